/** One word of a shell command after expansion; `unresolved` when it holds something the reader cannot know (`$(...)`, an unset variable). */
export interface ShellWord {
  text: string;
  unresolved: boolean;
  /** The variables it expands that were set on some paths only. */
  uncertain?: string[];
}

/** One simple command of a script, as the shell runs it. */
export interface ShellCommand {
  words: ShellWord[];
  /** Started with `exec`: the shell replaces itself with it. */
  exec: boolean;
  /** The operator after it: ";", "&&", "||", "|", "&", "\n", or "" at the end. */
  next: string;
  /** The operator before it ("" for the first). */
  previous: string;
  /** Its redirections to or from files (`> /data/x`, `>> log`, `< in`); `2>&1` is none. */
  redirects: ShellRedirect[];
  /** Why it may not run, when the script decides at run time: "inside `if`", "after `||`", "after a test and `&&`". */
  conditional?: string;
  /** The variables and arrays in its words that were set only on some paths (inside `if`, after `[ ... ] &&`). */
  uncertain: string[];
  /** Inside `( … )`: a `cd` or an assignment there does not reach what follows. */
  subshell?: true;
  /** `AOF=no exec /start.sh`: assignments in front of it, which only it sees. */
  env?: Record<string, string>;
  /** Assignments in front of it whose values are not known here (`DIR=$SECRET_DIR exec /start.sh`). */
  unknownEnv?: string[];
}

/** A redirection of a command: the operator (">", ">>", "<", ">|") and the file. */
export interface ShellRedirect {
  op: string;
  target: ShellWord;
}

/** What a `sh -c` script amounts to for the readers: its simple commands and the files it copies. */
export interface ShellScript {
  commands: ShellCommand[];
  /** `cp SRC DST` lines: DST -> SRC (Bitnami's start scripts copy mounted config files before starting). */
  copies: Map<string, string>;
  /** Constructs the reader does not follow, named ("command substitution `$(< file)`"). */
  unresolved: string[];
  /** `cp` destinations whose source is chosen at run time: two different sources, or a source from a variable set on some paths only. */
  uncertainCopies: string[];
  /** Constructs that change what runs in ways the reader does not follow (a function, `eval`), named: the command line read may not be the one that runs. */
  unfollowed: string[];
  /** Variables the script assigns (exported or not): a script it runs may see them. */
  assigned: string[];
}

/** A piece of a word before expansion; expansions are deferred so that earlier assignments apply. */
type Segment =
  | { kind: "text"; text: string; quoted: boolean }
  | { kind: "var"; name: string; op: string; word: string; quoted: boolean }
  | { kind: "array"; name: string; quoted: boolean }
  | { kind: "positional"; which: string; quoted: boolean }
  | { kind: "unknown"; text: string };

type Token = { kind: "word"; segments: Segment[] } | { kind: "op"; op: string } | { kind: "array"; name: string; append: boolean; words: Segment[][] };

// `NAME=value`, `NAME+=value`, `NAME[index]=value`: name, index, "+".
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]*)\])?(\+)?=/;
const RESERVED_PREFIX = new Set(["if", "then", "else", "elif", "do", "while", "until", "{", "!", "time"]);
/** Words that open a compound command whose body runs on some paths only, and the words that close them. */
const OPENERS = new Set(["if", "while", "until", "for", "case", "select"]);
const CLOSERS = new Set(["fi", "done", "esac", "}"]);
/** Commands that read variables the reader cannot see (`. /conf/env.sh`). */
const SOURCERS = new Set([".", "source"]);
/** Commands that set the variables they name to values the reader cannot see, and how many leading operands are not names. */
const SETS_NAMED = new Map([["read", 0], ["unset", 0], ["getopts", 1], ["mapfile", 0], ["readarray", 0], ["printf", 0]]);
/** Builtins whose `NAME=value` arguments set variables as plain assignments do. */
const DECLARERS = new Set(["export", "readonly", "local", "declare", "typeset"]);
const LIST_CONTINUES = new Set(["&&", "||", "|"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Reads a POSIX shell script (a `sh -c` argument, a start script from a ConfigMap) far enough to
 * find the command that starts the server: quoting, `\` escapes and line continuations, comments,
 * `;` `&&` `||` `|` `&` and newlines, redirections, `$VAR`/`${VAR}`/`${VAR:-x}`/`${VAR-x}` from
 * the container's environment and earlier assignments, bash arrays (`ARGS=(...)`, `ARGS+=(...)`,
 * `"${ARGS[@]}"`, as Bitnami's start scripts build the command line), positional `$1`/`$@`.
 * Conditionals are read as if every branch ran, but each command says when it runs on some paths
 * only (inside `if`/`case`/a loop or a `{ }` after `&&`, after `&&` or `||`), and which of its
 * variables were set on some paths only, or from them, or may have been set by a sourced file or an
 * `export $(...)`; command substitution and the rest are marked unresolved. Pure.
 */
export function readShellScript(script: string, env: Record<string, string>, positional: string[] = [], unknownEnv: { names: readonly string[]; unset: boolean } = { names: [], unset: false }): ShellScript {
  const unresolved: string[] = [];
  const tokens = tokenize(script, unresolved);
  const state: State = { vars: new Map(Object.entries(env)), unknownValues: new Set(unknownEnv.names), unsetUnknown: unknownEnv.unset, arrays: new Map(), positional, uncertain: new Set(), used: new Set(), opaque: false, certain: new Set(), arrayTags: new Map(), inConditional: false, positionalUncertain: false };
  const commands: ShellCommand[] = [];
  const copies = new Map<string, string>();
  const copySources = new Map<string, Set<string>>();
  const uncertainCopies = new Set<string>();
  const unfollowed = new Set<string>();
  let current: ShellWord[] = [];
  let redirects: ShellRedirect[] = [];
  let previous = "";
  let redirectOp: string | undefined;
  // The compound commands the next command is inside (why each runs on some paths only, "" for a
  // `{ }` that always runs), and whether its and-or list runs on some paths only.
  const open: string[] = [];
  let lastOp = "";
  let listConditional = false;
  // The `( … )` subshells open: what they set is gone at their `)`.
  const subshells: { saved: State; depth: number }[] = [];
  const conditionalNow = (): string | undefined => {
    const inside = [...open].reverse().find((why) => why !== "");
    if (inside !== undefined) return inside;
    if (lastOp === "||") return "after `||`";
    if (lastOp === "&&") return "after `&&`";
    if (lastOp === "|" && listConditional) return "after `&&`";
    return undefined;
  };
  const assign = (name: string, value: string | undefined, uncertain: boolean): void => {
    if (value !== undefined) {
      state.vars.set(name, value);
      state.unknownValues.delete(name);
    }
    if (uncertain) state.uncertain.add(name);
    else {
      state.uncertain.delete(name);
      state.certain.add(name);
    }
  };
  const flush = (op: string): void => {
    let words = current;
    const own = redirects;
    const used = [...state.used];
    current = [];
    redirects = [];
    state.used = new Set();
    const conditional = conditionalNow();
    if (!LIST_CONTINUES.has(lastOp)) listConditional = false;
    // Whatever follows `&&` or `||` depends on how the command before it exited.
    if (op === "&&" || op === "||") listConditional = true;
    lastOp = op;
    while (words.length > 0 && RESERVED_PREFIX.has(words[0]?.text ?? "") && !words[0]?.unresolved) {
      const reserved = words[0]?.text as string;
      if (OPENERS.has(reserved)) open.push(`inside \`${reserved}\``);
      else if (reserved === "{") open.push(conditional ?? "");
      words = words.slice(1);
    }
    const head = words[0]?.unresolved ? undefined : words[0]?.text;
    if (head !== undefined && CLOSERS.has(head)) {
      open.pop();
      words = words.slice(1);
    } else if (head !== undefined && OPENERS.has(head)) open.push(`inside \`${head}\``);
    const firstNonAssignment = words.findIndex((w) => !ASSIGNMENT.test(w.text));
    const prefixEnv: Record<string, string> = {};
    const prefixUnknown: string[] = [];
    // A value built from an uncertain variable is as uncertain as it is.
    const uncertainValue = (w: ShellWord): boolean => conditional !== undefined || w.unresolved || (w.uncertain?.length ?? 0) > 0;
    if (firstNonAssignment === -1) {
      for (const w of words) {
        const [, name = "", index, plus] = ASSIGNMENT.exec(w.text) ?? [];
        const value = w.text.slice(w.text.indexOf("=") + 1);
        // `ARGS[1]=no` changes one element: the array is no longer the one read.
        if (index !== undefined) {
          state.uncertain.add(name);
          unfollowed.add("an assignment to an array element");
        } else assign(name, plus ? (state.vars.get(name) ?? "") + value : value, uncertainValue(w) || (plus !== undefined && isUncertain(name, state)));
      }
      words = [];
    } else {
      for (const w of words.slice(0, firstNonAssignment)) {
        const [, name = "", index] = ASSIGNMENT.exec(w.text) ?? [];
        if (index !== undefined) continue;
        if (uncertainValue(w)) prefixUnknown.push(name);
        else prefixEnv[name] = w.text.slice(w.text.indexOf("=") + 1);
      }
      words = words.slice(firstNonAssignment);
    }
    if (words.length > 0 && DECLARERS.has(words[0]?.text ?? "")) {
      for (const w of words.slice(1)) {
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(w.text)?.[0];
        if (name !== undefined && !w.unresolved) assign(name, w.text.startsWith(`${name}=`) ? w.text.slice(name.length + 1) : undefined, uncertainValue(w));
        // `export $(grep -v '^#' .env | xargs)`: any variable may now hold anything.
        else if (w.unresolved && !w.text.startsWith("-")) state.opaque = true;
      }
    }
    if (words.length > 0 && SOURCERS.has(words[0]?.text ?? "")) state.opaque = true;
    const program = words[0]?.unresolved ? undefined : words[0]?.text;
    if (program === "eval") unfollowed.add("`eval`");
    if (program === "alias") unfollowed.add("`alias`");
    if (state.vars.has("IFS") && !env.IFS) unfollowed.add("a change of `IFS`");
    if (program === "function" || (op === "(" && words.length === 1 && program !== undefined && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(program) && !OPENERS.has(program))) unfollowed.add("a shell function");
    if (program === "set" && words.slice(1).some((w) => w.text === "--" || !w.text.startsWith("-") && !w.text.startsWith("+"))) state.positionalUncertain = true;
    if (program === "shift") state.positionalUncertain = true;
    if (head === "for" && words[1] !== undefined) assign(words[1].text, undefined, true);
    const skip = program !== undefined ? SETS_NAMED.get(program) : undefined;
    if (skip !== undefined && (program !== "printf" || words.some((w) => w.text === "-v"))) {
      for (const w of words.slice(1).filter((x) => !x.text.startsWith("-")).slice(skip)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(w.text)) assign(w.text, undefined, true);
    }
    // `exec 2>&1`, `exec >> /data/start.log`: redirections of the shell itself, no command.
    if (words.length === 1 && words[0]?.text === "exec" && used.length === 0) words = [];
    if (words.length > 0) {
      // `exec` in a `( … )` replaces the subshell: the script's own shell stays.
      const exec = words[0]?.text === "exec" && subshells.length === 0;
      let rest = words[0]?.text === "exec" ? words.slice(1) : words;
      // `exec -a NAME`, `-c`, `-l`: options of exec, not the program.
      if (words[0]?.text === "exec") while (rest[0]?.text.startsWith("-")) rest = rest.slice(rest[0]?.text === "-a" ? 2 : 1);
      commands.push({ words: rest, exec, next: op, previous, redirects: own, ...(conditional !== undefined ? { conditional } : {}), uncertain: used, ...(subshells.length > 0 ? { subshell: true as const } : {}), ...(Object.keys(prefixEnv).length > 0 ? { env: prefixEnv } : {}), ...(prefixUnknown.length > 0 ? { unknownEnv: prefixUnknown } : {}) });
      if (rest[0]?.text === "cp") {
        const paths = rest.slice(1).filter((w) => !w.text.startsWith("-"));
        const [src, dst] = paths;
        if (paths.length === 2 && src && dst && !src.unresolved && !dst.unresolved) {
          copies.set(dst.text, src.text);
          const sources = copySources.get(dst.text) ?? new Set<string>();
          sources.add(src.text);
          copySources.set(dst.text, sources);
          // One source copied on some paths only is Bitnami's "copy the mounted file if there is one"; two sources, or one from an uncertain variable, pick the file.
          if (sources.size > 1 || (src.uncertain?.length ?? 0) > 0 || (dst.uncertain?.length ?? 0) > 0) uncertainCopies.add(dst.text);
        }
      }
      previous = op;
    } else if (own.some((r) => r.op.startsWith(">"))) {
      // `> /data/appendonly.aof` alone: the shell truncates the file and runs nothing.
      commands.push({ words: [], exec: false, next: op, previous, redirects: own, ...(conditional !== undefined ? { conditional } : {}), uncertain: used });
      previous = op;
    } else if (op !== "\n" && op !== "") previous = op;
  };
  for (const token of tokens) {
    if (token.kind === "op") {
      if (token.op.startsWith("<") || token.op.startsWith(">")) {
        redirectOp = token.op;
        continue;
      }
      // `(` opens a subshell; a function's `name()` closes it again at once (and is flagged as a function).
      if (token.op === "(") {
        const why = conditionalNow();
        flush("(");
        open.push(why ?? "");
        subshells.push({ saved: copyState(state), depth: open.length });
        continue;
      }
      flush(token.op);
      // A case pattern's `)` inside the subshell leaves `open` deeper than the subshell's own entry.
      const subshell = subshells.at(-1);
      if (token.op === ")" && subshell !== undefined && subshell.depth === open.length) {
        subshells.pop();
        open.pop();
        Object.assign(state, subshell.saved);
      }
      continue;
    }
    if (token.kind === "array") {
      // Each element keeps its own uncertain variables: Bitnami's `ARGS+=("--requirepass" "$PW")` with a
      // password read on some paths only must not make `--include` beside it uncertain.
      const conditional = conditionalNow() !== undefined;
      const elements: ShellWord[] = [];
      const tags: string[][] = [];
      const commandUsed = state.used;
      for (const w of token.words) {
        state.used = new Set();
        for (const e of expandWord(w, state)) {
          elements.push(e);
          tags.push([...new Set([...(e.uncertain ?? []), ...state.used, ...(conditional ? [token.name] : [])])]);
        }
      }
      state.used = commandUsed;
      if (elements.some((e) => e.unresolved)) unresolved.push(`a word of the array ${token.name} is not known`);
      const values = elements.map((e) => e.text);
      state.arrays.set(token.name, token.append ? [...(state.arrays.get(token.name) ?? []), ...values] : values);
      state.arrayTags.set(token.name, token.append ? [...(state.arrayTags.get(token.name) ?? []), ...tags] : tags);
      // `ARGS=(...)` on some paths leaves the whole array uncertain; on every path it makes it certain again.
      if (!token.append && conditional) state.uncertain.add(token.name);
      else if (!token.append) {
        state.uncertain.delete(token.name);
        state.certain.add(token.name);
      }
      continue;
    }
    const commandUsed = state.used;
    state.used = new Set();
    state.inConditional = conditionalNow() !== undefined;
    const words = expandWord(token.segments, state);
    const wordUsed = [...state.used];
    state.used = new Set([...commandUsed, ...wordUsed]);
    if (wordUsed.length > 0) for (const w of words) w.uncertain = [...new Set([...(w.uncertain ?? []), ...wordUsed])];
    if (redirectOp !== undefined) {
      const [target] = words;
      if (target) redirects.push({ op: redirectOp, target });
      redirectOp = undefined;
      continue;
    }
    current.push(...words);
  }
  flush("");
  return { commands, copies, unresolved, uncertainCopies: [...uncertainCopies], unfollowed: [...unfollowed], assigned: [...new Set([...[...state.vars.keys()].filter((name) => !Object.hasOwn(env, name) || env[name] !== state.vars.get(name)), ...state.uncertain])] };
}

interface State {
  vars: Map<string, string>;
  /** Variables the container has set to a value not known here (a Kubernetes Secret, the downward API) and the script has not assigned since. */
  unknownValues: Set<string>;
  /** Every variable the script has not assigned and `env` does not hold may be set to an unknown value. */
  unsetUnknown: boolean;
  arrays: Map<string, string[]>;
  positional: string[];
  /** Variables and arrays set on some paths only. */
  uncertain: Set<string>;
  /** The uncertain ones the command being read has expanded so far. */
  used: Set<string>;
  /** A sourced file or `export $(...)` ran: any variable not assigned since may hold anything. */
  opaque: boolean;
  /** Variables and arrays assigned on every path (so an earlier `opaque` does not touch them). */
  certain: Set<string>;
  /** Per array element, the uncertain variables it came from (and the array's name when it was appended on some paths only). */
  arrayTags: Map<string, string[][]>;
  /** The word being expanded belongs to a command that runs on some paths only (for `${X:=value}`). */
  inConditional: boolean;
  /** `set --` or `shift` ran: `$1`, `$@` may no longer be the arguments given. */
  positionalUncertain: boolean;
}

// A copy of what a subshell may change, for its `)` to put back.
function copyState(state: State): State {
  return {
    ...state,
    vars: new Map(state.vars),
    unknownValues: new Set(state.unknownValues),
    arrays: new Map(state.arrays),
    positional: [...state.positional],
    uncertain: new Set(state.uncertain),
    certain: new Set(state.certain),
    arrayTags: new Map(state.arrayTags),
  };
}

function isUncertain(name: string, state: State): boolean {
  return state.uncertain.has(name) || (state.opaque && !state.certain.has(name));
}

interface Expanded {
  text: string;
  /** Subject to field splitting (an unquoted expansion). */
  split: boolean;
  unresolved: boolean;
  elements?: string[];
  /** Per element, the uncertain variables it came from. */
  elementTags?: string[][];
}

function expandSegment(segment: Segment, state: State): Expanded {
  switch (segment.kind) {
    case "text":
      return { text: segment.text, split: false, unresolved: false };
    case "unknown":
      return { text: segment.text, split: false, unresolved: true };
    case "positional": {
      // `$0` is the script's own name, not an argument: `exec gosu redis "$0" "$@"` runs the script again.
      if (segment.which === "0") return { text: "$0", split: false, unresolved: true };
      if (state.positionalUncertain) state.used.add(segment.which === "*" ? "@" : segment.which);
      if (segment.which === "@" || segment.which === "*") {
        return segment.quoted && segment.which === "@" ? { text: "", split: false, unresolved: false, elements: state.positional } : { text: state.positional.join(" "), split: !segment.quoted, unresolved: false };
      }
      return { text: state.positional[Number(segment.which) - 1] ?? "", split: !segment.quoted, unresolved: false };
    }
    case "array": {
      if (isUncertain(segment.name, state)) state.used.add(segment.name);
      const elements = state.arrays.get(segment.name);
      if (!elements) return { text: `\${${segment.name}[@]}`, split: false, unresolved: true };
      const elementTags = state.arrayTags.get(segment.name) ?? [];
      if (segment.quoted) return { text: "", split: false, unresolved: false, elements, elementTags };
      for (const tag of elementTags) for (const v of tag) state.used.add(v);
      return { text: elements.join(" "), split: true, unresolved: false };
    }
    case "var": {
      if (isUncertain(segment.name, state)) state.used.add(segment.name);
      // Set (or maybe set: an optional key, `envFrom`) to a value not known here.
      if (state.unknownValues.has(segment.name) || (state.unsetUnknown && !state.vars.has(segment.name))) return { text: `$${segment.name}`, split: false, unresolved: true };
      const value = state.vars.get(segment.name);
      const set = value !== undefined;
      const empty = value === undefined || value === "";
      let wordUnresolved = false;
      const word = (): string => {
        const inline = expandInline(segment.word, state);
        wordUnresolved = inline.unresolved;
        return inline.text;
      };
      const split = !segment.quoted;
      switch (segment.op) {
        case ":-": {
          const text = empty ? word() : (value as string);
          return { text, split, unresolved: wordUnresolved };
        }
        case "-": {
          const text = set ? (value as string) : word();
          return { text, split, unresolved: wordUnresolved };
        }
        case ":=":
        case "=":
          if (segment.op === ":=" ? empty : !set) {
            state.vars.set(segment.name, word());
            if (wordUnresolved) state.uncertain.add(segment.name);
            if (state.inConditional) state.uncertain.add(segment.name);
            else state.certain.add(segment.name);
          }
          return { text: state.vars.get(segment.name) ?? "", split, unresolved: false };
        case ":+": {
          const text = empty ? "" : word();
          return { text, split, unresolved: wordUnresolved };
        }
        case "+": {
          const text = set ? word() : "";
          return { text, split, unresolved: wordUnresolved };
        }
        default:
          return set ? { text: value, split, unresolved: false } : { text: `$${segment.name}`, split: false, unresolved: true };
      }
    }
  }
}

// `$NAME` and `${NAME}` inside a default word, from what is known; the uncertain ones count as
// used. Unresolved when a name is not set or something else is expanded (`${B:-x}`, `$(...)`).
function expandInline(word: string, state: State): { text: string; unresolved: boolean } {
  const unquoted = word.replace(/^"(.*)"$/s, "$1").replace(/^'(.*)'$/s, "$1");
  let unresolved = false;
  const text = unquoted.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b) as string;
    if (isUncertain(name, state)) state.used.add(name);
    const value = state.unknownValues.has(name) ? undefined : state.vars.get(name);
    if (value === undefined) unresolved = true;
    return value ?? all;
  });
  return { text, unresolved: unresolved || /\$[{(A-Za-z_0-9@*#?$!'-]|`/.test(text) };
}

// Joins a word's segments into words: unquoted expansions split on blanks, `"${A[@]}"` gives one word per element.
function expandWord(segments: Segment[], state: State): ShellWord[] {
  const words: ShellWord[] = [];
  let text = "";
  let unresolved = false;
  let started = false;
  let tags = new Set<string>();
  const emit = (): void => {
    words.push(tags.size > 0 ? { text, unresolved, uncertain: [...tags] } : { text, unresolved });
    text = "";
    unresolved = false;
    started = false;
    tags = new Set();
  };
  for (const segment of segments) {
    const expanded = expandSegment(segment, state);
    if (expanded.elements) {
      expanded.elements.forEach((element, i) => {
        if (i > 0) emit();
        text += element;
        for (const v of expanded.elementTags?.[i] ?? []) tags.add(v);
        started = true;
      });
      continue;
    }
    unresolved ||= expanded.unresolved;
    if (!expanded.split) {
      text += expanded.text;
      started = true;
      continue;
    }
    const fields = expanded.text.split(/[ \t\n]+/);
    fields.forEach((field, i) => {
      if (i > 0 && started) emit();
      text += field;
      if (field !== "") started = true;
    });
  }
  if (started) emit();
  return words;
}

function tokenize(script: string, unresolved: string[]): Token[] {
  const tokens: Token[] = [];
  // Here-documents whose bodies start after the current line.
  const heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let segments: Segment[] = [];
  let raw = "";
  let i = 0;
  const literal = (text: string, quoted: boolean): void => {
    const last = segments.at(-1);
    if (last?.kind === "text" && last.quoted === quoted) last.text += text;
    else segments.push({ kind: "text", text, quoted });
  };
  const endWord = (): void => {
    if (segments.length > 0) tokens.push({ kind: "word", segments });
    segments = [];
    raw = "";
  };
  // A `$...` expansion at i; leaves i after it.
  const dollar = (quoted: boolean): Segment => {
    const rest = script.slice(i + 1);
    if (rest.startsWith("(")) {
      const end = matching(script, i + 1, "(", ")");
      const text = script.slice(i, end + 1);
      i = end + 1;
      unresolved.push(`${rest.startsWith("((") ? "arithmetic" : "command substitution"} \`${text}\``);
      return { kind: "unknown", text };
    }
    if (rest.startsWith("{")) {
      const end = matching(script, i + 1, "{", "}");
      const body = script.slice(i + 2, end);
      i = end + 1;
      const array = /^([A-Za-z_][A-Za-z0-9_]*)\[[@*]\]$/.exec(body);
      if (array) return { kind: "array", name: array[1] as string, quoted };
      const named = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+?])([\s\S]*))?$/.exec(body);
      if (!named) {
        unresolved.push(`the expansion \`\${${body}}\``);
        return { kind: "unknown", text: `\${${body}}` };
      }
      const op = named[2] ?? "";
      return { kind: "var", name: named[1] as string, op: op.endsWith("?") ? "" : op, word: named[3] ?? "", quoted };
    }
    const name = NAME.exec(rest)?.[0];
    if (name) {
      i += 1 + name.length;
      return { kind: "var", name, op: "", word: "", quoted };
    }
    const special = rest[0];
    if (special !== undefined && /[0-9@*]/.test(special)) {
      i += 2;
      return { kind: "positional", which: special, quoted };
    }
    if (special !== undefined && /[?$!#-]/.test(special)) {
      i += 2;
      unresolved.push(`the special parameter \`$${special}\``);
      return { kind: "unknown", text: `$${special}` };
    }
    i += 1;
    return { kind: "text", text: "$", quoted };
  };

  while (i < script.length) {
    const ch = script[i] as string;
    if (ch === "\\" && script[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      endWord();
      i++;
      continue;
    }
    if (ch === "#" && segments.length === 0) {
      while (i < script.length && script[i] !== "\n") i++;
      continue;
    }
    if (ch === "\n") {
      endWord();
      tokens.push({ kind: "op", op: "\n" });
      i++;
      // A here-document's body is data, not commands: skipped up to its delimiter line.
      for (const doc of heredocs.splice(0)) {
        for (;;) {
          const eol = script.indexOf("\n", i);
          const line = script.slice(i, eol === -1 ? script.length : eol);
          i = eol === -1 ? script.length : eol + 1;
          if ((doc.stripTabs ? line.replace(/^\t+/, "") : line).replace(/\r$/, "") === doc.delimiter || eol === -1) break;
        }
      }
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === "&&" || two === "||" || two === ";;") {
      endWord();
      tokens.push({ kind: "op", op: two });
      i += 2;
      continue;
    }
    if (ch === "(" && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(raw) && segments.length === 1) {
      const append = raw.endsWith("+=");
      const name = raw.slice(0, append ? -2 : -1);
      const end = matching(script, i, "(", ")");
      const inner = tokenize(script.slice(i + 1, end), unresolved);
      tokens.push({ kind: "array", name, append, words: inner.flatMap((t) => (t.kind === "word" ? [t.segments] : [])) });
      segments = [];
      raw = "";
      i = end + 1;
      continue;
    }
    if (";&|()".includes(ch)) {
      endWord();
      tokens.push({ kind: "op", op: ch });
      i++;
      continue;
    }
    if ((ch === "<" || ch === ">") && script[i + 1] === "(") {
      // Process substitution: a file name whose content is a command's output.
      const end = matching(script, i + 1, "(", ")");
      const text = script.slice(i, end + 1);
      unresolved.push(`process substitution \`${text}\``);
      segments.push({ kind: "unknown", text });
      raw += ch;
      i = end + 1;
      continue;
    }
    if (ch === "<" || ch === ">") {
      // 2>&1, >/dev/null, < file: neither the redirection nor its target is an argument.
      if (/^\d+$/.test(raw)) segments = [];
      endWord();
      const from = i;
      while (script[i] === "<" || script[i] === ">" || (script[i] === "|" && i > from)) i++;
      if (script[i] === "&") {
        i++;
        // `>&file` (bash): stdout and stderr to a file, which is a redirection with a target.
        if (/[0-9-]/.test(script[i] ?? "")) {
          while (i < script.length && /[0-9-]/.test(script[i] as string)) i++;
          continue;
        }
      }
      const op = script.slice(from, i);
      tokens.push({ kind: "op", op });
      if (op === "<<") {
        const stripTabs = script[i] === "-";
        if (stripTabs) i++;
        while (script[i] === " " || script[i] === "\t") i++;
        const start = i;
        while (i < script.length && !/[\s;&|<>()]/.test(script[i] as string)) i++;
        const word = script.slice(start, i);
        heredocs.push({ delimiter: word.replace(/["'\\]/g, ""), stripTabs });
        segments.push({ kind: "text", text: word, quoted: false });
        endWord();
      }
      continue;
    }
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end === -1 ? script.length : end;
      if (end === -1) unresolved.push("an unclosed single quote");
      literal(script.slice(i + 1, stop), true);
      raw += "'";
      i = stop + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      let closed = false;
      raw += '"';
      while (i < script.length) {
        const c = script[i] as string;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === "\\" && i + 1 < script.length && '$`"\\\n'.includes(script[i + 1] as string)) {
          if (script[i + 1] !== "\n") literal(script[i + 1] as string, true);
          i += 2;
          continue;
        }
        if (c === "$") {
          segments.push(dollar(true));
          continue;
        }
        if (c === "`") {
          const end = script.indexOf("`", i + 1);
          const body = script.slice(i, end === -1 ? script.length : end + 1);
          unresolved.push(`command substitution ${body}`);
          segments.push({ kind: "unknown", text: body });
          i = end === -1 ? script.length : end + 1;
          continue;
        }
        literal(c, true);
        i++;
      }
      if (!closed) unresolved.push("an unclosed double quote");
      if (segments.length === 0) literal("", true);
      continue;
    }
    if (ch === "\\") {
      literal(script[i + 1] ?? "", true);
      raw += "\\";
      i += 2;
      continue;
    }
    if (ch === "$" && script[i + 1] === "'") {
      // ANSI-C quoting ($'\t'): escapes the reader does not decode.
      const end = script.indexOf("'", i + 2);
      const text = script.slice(i, end === -1 ? script.length : end + 1);
      unresolved.push(`the ANSI-C quoted word \`${text}\``);
      segments.push({ kind: "unknown", text });
      raw += "$'";
      i = end === -1 ? script.length : end + 1;
      continue;
    }
    if (ch === "~" && segments.length === 0 && raw === "") {
      // A tilde starting a word is a home directory, which is not known here.
      let end = i + 1;
      while (end < script.length && /[A-Za-z0-9_.-]/.test(script[end] as string)) end++;
      const text = script.slice(i, end);
      unresolved.push(`the home directory \`${text}\``);
      segments.push({ kind: "unknown", text });
      raw += text;
      i = end;
      continue;
    }
    if (ch === "$") {
      segments.push(dollar(false));
      raw += "$";
      continue;
    }
    if (ch === "`") {
      const end = script.indexOf("`", i + 1);
      const body = script.slice(i, end === -1 ? script.length : end + 1);
      unresolved.push(`command substitution ${body}`);
      segments.push({ kind: "unknown", text: body });
      raw += "`";
      i = end === -1 ? script.length : end + 1;
      continue;
    }
    // Unquoted literal characters: never field-split (they hold no blanks).
    literal(ch, false);
    raw += ch;
    i++;
  }
  endWord();
  return tokens;
}

// The index of the bracket closing the one at `open` (nested; quoted text skipped); the text's end if none.
function matching(text: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return text.length;
      i = end;
      continue;
    }
    if (c === left) depth++;
    else if (c === right && --depth === 0) return i;
  }
  return text.length;
}
