/** A compose `command:`/`entrypoint:` string split as compose splits it. */
export interface ComposeWords {
  words: string[];
  /** The unquoted `;`, `&`, `|`, `<` or `>` where splitting stopped: compose silently drops the rest. */
  droppedFrom?: string;
}

const isSpace = (ch: string): boolean => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";

/**
 * Splits a string the way compose does (compose-go's ShellCommand calls mattn/go-shellwords'
 * Parse with environment and backtick parsing off): quotes group, a backslash escapes the next
 * character outside single quotes (`\t` and `\n` become tab and newline), `""` is an empty word,
 * and an unquoted `;` `&` `|` `<` `>` ends the command there. An unbalanced quote or a stray
 * `(`/`)` is an error, as compose reports it. Returns null on such an error. Pure.
 */
export function splitComposeCommand(line: string): ComposeWords | null {
  const words: string[] = [];
  let buf = "";
  let got = false;
  let escaped = false;
  let dq = false;
  let sq = false;
  let backQuote = false;
  let dollarQuote = false;
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (escaped) {
      escaped = false;
      if (backQuote || dollarQuote) {
        buf += `\\${ch}`;
      } else {
        buf += ch === "t" ? "\t" : ch === "n" ? "\n" : ch;
      }
      got = true;
      continue;
    }
    if (ch === "\\") {
      if (sq) buf += ch;
      else escaped = true;
      continue;
    }
    if (isSpace(ch)) {
      if (sq || dq || backQuote || dollarQuote) buf += ch;
      else if (got) {
        words.push(buf);
        buf = "";
        got = false;
      }
      continue;
    }
    if (ch === "`" && !sq && !dq && !dollarQuote) backQuote = !backQuote;
    else if (ch === ")" && !sq && !dq && !backQuote) {
      if (!dollarQuote) return null;
      dollarQuote = false;
    } else if (ch === "(" && !sq && !dq && !backQuote) {
      if (!dollarQuote && buf.endsWith("$") && !buf.endsWith("\\$")) {
        dollarQuote = true;
        buf += ch;
        continue;
      }
      return null;
    } else if (ch === '"' && !sq && !dollarQuote && !backQuote) {
      if (dq) got = true;
      dq = !dq;
      continue;
    } else if (ch === "'" && !dq && !dollarQuote && !backQuote) {
      if (sq) got = true;
      sq = !sq;
      continue;
    } else if (";&|<>".includes(ch) && !sq && !dq && !backQuote && !dollarQuote) {
      if (ch === ">" && /^\d+$/.test(buf)) got = false;
      if (got) words.push(buf);
      return { words, droppedFrom: chars.slice(i).join("") };
    }
    got = true;
    buf += ch;
  }
  if (escaped || sq || dq || backQuote || dollarQuote) return null;
  if (got) words.push(buf);
  return { words };
}
