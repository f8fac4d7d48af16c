import { describe, expect, it } from "vitest";
import { DeploymentError } from "./deployment-error.js";
import { interpolate, parseDotEnv } from "./compose-interpolate.js";
import { splitComposeCommand } from "./compose-shellwords.js";
import { readShellScript } from "./shell-script.js";

describe("splitComposeCommand (compose-go's shellwords)", () => {
  it.each([
    ['redis-server --save ""', ["redis-server", "--save", ""]],
    ["redis-server --save '' --appendonly yes", ["redis-server", "--save", "", "--appendonly", "yes"]],
    ['sh -c "exec redis-server --appendonly yes"', ["sh", "-c", "exec redis-server --appendonly yes"]],
    ["a\\ b 'c d' \"e\\\"f\"", ["a b", "c d", 'e"f']],
    ["redis-server  --port\t6380", ["redis-server", "--port", "6380"]],
  ])("%j", (line, words) => {
    expect(splitComposeCommand(line)).toEqual({ words });
  });

  it("stops at an unquoted ; & | < > as compose does, saying where", () => {
    expect(splitComposeCommand("redis-server --appendonly yes && echo hi")).toEqual({ words: ["redis-server", "--appendonly", "yes"], droppedFrom: "&& echo hi" });
    expect(splitComposeCommand("redis-server 2>/dev/null")).toEqual({ words: ["redis-server"], droppedFrom: ">/dev/null" });
  });

  it("refuses an unbalanced quote or a stray parenthesis", () => {
    expect(splitComposeCommand('redis-server "x')).toBeNull();
    expect(splitComposeCommand("redis-server (x)")).toBeNull();
  });
});

describe("interpolate (compose-go's template)", () => {
  const env = { A: "1", EMPTY: "" };
  const run = (text: string) => {
    const state = { unset: new Set<string>() };
    return { out: interpolate(text, env, state, "f.yml:1"), unset: [...state.unset] };
  };
  it.each([
    ["$A ${A} $$A", "1 1 $A"],
    ["${EMPTY:-d} ${EMPTY-d} ${NOPE-d} ${NOPE:-d}", "d  d d"],
    ["${A:+x} ${EMPTY:+x} ${EMPTY+x} ${NOPE+x}", "x  x "],
    ["${NOPE:-${A}}", "1"],
    ["${NOPE:-${NOPE2:-deep}}", "deep"],
    ["cost $1 and $ alone", "cost $1 and $ alone"],
  ])("%s -> %j", (text, out) => {
    expect(run(text).out).toBe(out);
  });

  it("reads an unset variable as empty and records it", () => {
    expect(run("x${NOPE}y$NOPE2")).toEqual({ out: "xy", unset: ["NOPE", "NOPE2"] });
  });

  it("fails ${VAR:?message} on an unset or empty variable, ${VAR?message} on an unset one only", () => {
    expect(() => run("${EMPTY:?needed}")).toThrow(/required variable EMPTY is missing a value: needed/);
    expect(run("${EMPTY?needed}").out).toBe("");
    expect(() => run("${NOPE?}")).toThrow(DeploymentError);
  });

  it("calls a malformed ${...} an invalid template", () => {
    expect(() => run("${A")).toThrow(/Invalid template/);
    expect(() => run("${1A}")).toThrow(/Invalid template/);
  });
});

describe("parseDotEnv", () => {
  it("reads KEY=VALUE, export, quotes and comments", () => {
    expect(parseDotEnv("# c\nA=1\nexport B='x y'\nC=\"a\\nb\"\nD=v # trailing\n\nbad line\n")).toEqual({ A: "1", B: "x y", C: "a\nb", D: "v" });
  });
});

describe("readShellScript", () => {
  const words = (script: string, env: Record<string, string> = {}, positional: string[] = []) => readShellScript(script, env, positional).commands.map((c) => [c.exec ? "exec" : "", ...c.words.map((w) => w.text)].filter(Boolean));

  it("splits commands at ; && || | & and newlines, and drops redirections", () => {
    expect(words("mkdir -p /data && redis-server --port 1 > /tmp/log 2>&1; echo done\nexec x")).toEqual([
      ["mkdir", "-p", "/data"],
      ["redis-server", "--port", "1"],
      ["echo", "done"],
      ["exec", "x"],
    ]);
  });

  it("expands variables from the env and earlier assignments, with defaults", () => {
    expect(words('P=6380; redis-server --port "$P" --requirepass "${PASS:-none}" --dir ${DIR-/data} $EXTRA', { EXTRA: "--appendonly yes" })).toEqual([["redis-server", "--port", "6380", "--requirepass", "none", "--dir", "/data", "--appendonly", "yes"]]);
  });

  it("keeps a quoted empty word and marks unknown variables and command substitutions", () => {
    const read = readShellScript('redis-server --save "" --requirepass "$NOPE" --masterauth "$(cat /run/secret)"', {});
    expect(read.commands[0]?.words.map((w) => [w.text, w.unresolved])).toEqual([
      ["redis-server", false],
      ["--save", false],
      ["", false],
      ["--requirepass", false],
      ["$NOPE", true],
      ["--masterauth", false],
      ["$(cat /run/secret)", true],
    ]);
  });

  it("says which commands run on some paths only: inside if/case/loops, after `&&` or `||`", () => {
    const read = readShellScript("mkdir -p /data && chown redis /data\nif [ -f /x ]; then a; else b; fi\nc || d\n[ -n \"$X\" ] && e && f\n! grep -q y /z && g\ncase $R in p) h ;; esac\nwhile true; do i; done\n[ -f /x ] && echo a | tee b\nexec redis-server", {});
    expect(read.commands.map((c) => [c.words[0]?.text, c.conditional ?? ""])).toEqual([
      ["mkdir", ""],
      ["chown", "after `&&`"],
      ["[", ""],
      ["a", "inside `if`"],
      ["b", "inside `if`"],
      ["c", ""],
      ["d", "after `||`"],
      ["[", ""],
      ["e", "after `&&`"],
      ["f", "after `&&`"],
      ["grep", ""],
      ["g", "after `&&`"],
      ["case", ""],
      ["h", "inside `case`"],
      ["true", ""],
      ["i", "inside `while`"],
      ["[", ""],
      ["echo", "after `&&`"],
      ["tee", "after `&&`"],
      ["redis-server", ""],
    ]);
  });

  it("marks the words whose variables were set on some paths only, until an assignment on every path", () => {
    const read = readShellScript('A=1\n[ -f /x ] && A=2 && export B=3\nif true; then ARGS+=(--x); fi\nredis-server $A "$B" "${ARGS[@]}"\nA=4\nredis-server $A', { B: "0" });
    expect(read.commands[3]?.words.map((w) => [w.text, w.uncertain ?? []])).toEqual([
      ["redis-server", []],
      ["2", ["A"]],
      ["3", ["B"]],
      ["--x", ["ARGS"]],
    ]);
    expect(read.commands[3]?.uncertain).toEqual(["A", "B"]);
    expect(read.commands[4]?.words.map((w) => w.uncertain ?? [])).toEqual([[], []]);
  });

  it("carries a condition into a `{ }` group, and uncertainty through assignments, array elements and sourced files (found by review)", () => {
    const braces = readShellScript('[ "$D" = yes ] && { echo d; exec redis-server --appendonly yes; }\nexec redis-server --save ""', {});
    expect(braces.commands.map((c) => [c.words[0]?.text, c.conditional ?? ""])).toEqual([["[", ""], ["echo", "after `&&`"], ["redis-server", "after `&&`"], ["redis-server", ""]]);
    const copied = readShellScript('AO=no; [ "$D" = yes ] && AO=yes\nFLAGS="--appendonly $AO"\nARGS=("--port" "1" "--appendonly" "$AO")\nexec redis-server $FLAGS "${ARGS[@]}"', {});
    expect(copied.commands.at(-1)?.words.map((w) => [w.text, w.uncertain ?? []])).toEqual([
      ["redis-server", []],
      ["--appendonly", ["FLAGS"]],
      ["yes", ["FLAGS"]],
      ["--port", []],
      ["1", []],
      ["--appendonly", []],
      ["yes", ["AO"]],
    ]);
    const sourced = readShellScript(". /conf/env.sh\nB=1\nexec redis-server --appendonly ${AO:-yes} --port $B", {});
    expect(sourced.commands.at(-1)?.words.map((w) => [w.text, w.uncertain ?? []])).toEqual([["redis-server", []], ["--appendonly", []], ["yes", ["AO"]], ["--port", []], ["1", []]]);
    expect(readShellScript('[ "$M" = c ] && : "${AO:=yes}"\nexec redis-server --appendonly "${AO:-no}"', {}).commands.at(-1)?.words.at(-1)?.uncertain).toEqual(["AO"]);
    expect(readShellScript("export $(grep -v '^#' /conf/.env | xargs)\nexec redis-server --appendonly $AO", { AO: "yes" }).commands.at(-1)?.words.at(-1)?.uncertain).toEqual(["AO"]);
  });

  it("names a `cp` destination whose source is chosen at run time, not Bitnami's copy-if-missing", () => {
    expect(readShellScript("if [ \"$M\" = c ]; then cp /conf/c.conf /etc/r.conf; else cp /conf/d.conf /etc/r.conf; fi", {}).uncertainCopies).toEqual(["/etc/r.conf"]);
    expect(readShellScript('C=c.conf; [ "$D" = yes ] && C=d.conf; cp "/conf/$C" /etc/r.conf', {}).uncertainCopies).toEqual(["/etc/r.conf"]);
    expect(readShellScript("if [[ ! -f /etc/r.conf ]]; then cp /mnt/r.conf /etc/r.conf; fi", {}).uncertainCopies).toEqual([]);
  });

  it("builds bash arrays as Bitnami's start scripts do", () => {
    expect(words('ARGS=("--port" "${REDIS_PORT}")\nARGS+=("--include" "/etc/a b.conf")\nexec redis-server "${ARGS[@]}"', { REDIS_PORT: "6379" })).toEqual([["exec", "redis-server", "--port", "6379", "--include", "/etc/a b.conf"]]);
  });

  it("records `cp SRC DST`, skips reserved words, comments and line continuations", () => {
    const read = readShellScript("# start\nif [[ ! -f /etc/x ]]; then\n  cp /mnt/x /etc/x\nfi\nredis-server \\\n  --port 1", {});
    expect(read.copies).toEqual(new Map([["/etc/x", "/mnt/x"]]));
    expect(read.commands.map((c) => c.words[0]?.text)).toEqual(["[[", "cp", "redis-server"]);
    expect(read.commands.at(-1)?.words.map((w) => w.text)).toEqual(["redis-server", "--port", "1"]);
  });

  it("reads positional parameters of `sh -c script name args`", () => {
    expect(words('exec redis-server "$@"', {}, ["--port", "1"])).toEqual([["exec", "redis-server", "--port", "1"]]);
  });

  it("forgets at `)` what a `( … )` subshell set, and its `exec` leaves the script's shell in place", () => {
    expect(words("AO=no\n( AO=yes; echo sub )\nexec redis-server --appendonly $AO")).toEqual([["echo", "sub"], ["exec", "redis-server", "--appendonly", "no"]]);
    expect(words('(ARGS=(--appendonly yes))\nexec redis-server "${ARGS[@]}" --save x').at(-1)).toEqual(["exec", "redis-server", "${ARGS[@]}", "--save", "x"]);
    const sub = readShellScript("(exec redis-server --appendonly yes)", {});
    expect(sub.commands[0]?.exec).toBe(false);
    // `[ … ] && ( … )`: what runs inside runs on some paths only.
    expect(readShellScript('[ "$M" = d ] && ( exec redis-server --appendonly yes )\nexec redis-server', {}).commands.find((c) => c.words.length === 3)?.conditional).toBe("after `&&`");
  });

  it("a case pattern's `)` inside a subshell does not end it; a function definition is flagged as one", () => {
    expect(words("AO=no\n( case $M in a) AO=yes ;; esac )\nexec redis-server --appendonly $AO").at(-1)).toEqual(["exec", "redis-server", "--appendonly", "no"]);
    expect(readShellScript("start() { exec redis-server; }\nstart", {}).unfollowed).toEqual(["a shell function"]);
  });

  it("an ANSI-C quoted word is not known here", () => {
    expect(readShellScript("exec redis-server $'--appendonly\\tno'", {}).commands[0]?.words.at(-1)).toMatchObject({ unresolved: true });
  });
});
