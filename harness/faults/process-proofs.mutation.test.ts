import { describe, expect, it } from "vitest";
import { SIGKILL_EXIT_CODE, dataMountProof, gracefulExitProof, killProof, shortGraceOutcome } from "./process-proofs.js";

// Log lines as Redis 7.0 and Valkey print them (docker logs of the official images).
const STARTED = "1:M 01 Dec 2026 09:00:00.000 * Ready to accept connections tcp";
const SIGTERM = "1:signal-handler (1764579600) Received SIGTERM scheduling shutdown...";
const SIGINT = "1:signal-handler (1764579600) Received SIGINT scheduling shutdown...";
const REQUESTED = "1:M 01 Dec 2026 09:00:01.000 # User requested shutdown...";
const SAVING = "1:M 01 Dec 2026 09:00:01.001 * Saving the final RDB snapshot before exiting.";
const SAVED = "1:M 01 Dec 2026 09:00:04.300 * DB saved on disk";
const BYE = "1:M 01 Dec 2026 09:00:04.301 # Redis is now ready to exit, bye bye...";
const WRITES = Array.from({ length: 30 }, (_, i) => `1:M 01 Dec 2026 09:00:00.${String(i).padStart(3, "0")} * 10000 changes in 60 seconds. Saving...`);
const log = (...lines: string[]): string => lines.join("\n");

describe("killProof", () => {
  it("takes 137 as SIGKILL's exit code", () => {
    expect(SIGKILL_EXIT_CODE).toBe(137);
  });

  it.each([
    ["SIGTERM", SIGTERM],
    ["SIGINT", SIGINT],
    ["SHUTDOWN", REQUESTED],
    ["ready to exit", BYE],
  ])("does not hold when the log shows a shutdown (%s), and quotes the line", (_, line) => {
    expect(killProof(137, log(STARTED, `  ${line}  `, STARTED))).toEqual({
      claim: "SIGKILL ended the process (exit code 137, no shutdown in the log)",
      held: false,
      seen: `exit code 137; the log shows a shutdown: "${line}"`,
    });
  });

  it("quotes the first shutdown line when there are several", () => {
    expect(killProof(137, log(SIGTERM, REQUESTED, BYE)).seen).toBe(`exit code 137; the log shows a shutdown: "${SIGTERM}"`);
  });

  it("says what it saw when it holds, and when another exit code came without a shutdown", () => {
    expect(killProof(137, log(STARTED))).toMatchObject({ held: true, seen: "exit code 137; no shutdown line in the log" });
    expect(killProof(1, log(STARTED))).toMatchObject({ held: false, seen: "exit code 1; no shutdown line in the log" });
  });

  it("does not take a key or value that only mentions a signal for a shutdown", () => {
    expect(killProof(137, log(STARTED, "1:M * Received SIGHUP, reloading", "1:M * Received SIGUSR1")).held).toBe(true);
  });
});

describe("gracefulExitProof", () => {
  it("says what it saw", () => {
    expect(gracefulExitProof(0, log(SIGTERM, BYE))).toEqual({
      claim: 'the server shut down by itself within the grace (exit code 0, "ready to exit" logged)',
      held: true,
      seen: 'exit code 0; "ready to exit" logged',
    });
    expect(gracefulExitProof(137, log(SIGTERM, SAVING))).toMatchObject({ held: false, seen: 'exit code 137; no "ready to exit" line in the log' });
  });

  it("does not hold on exit code 0 without the line, nor on the line with another exit code", () => {
    expect(gracefulExitProof(0, log(SIGTERM, SAVING, SAVED)).held).toBe(false);
    expect(gracefulExitProof(1, log(SIGTERM, BYE)).held).toBe(false);
  });
});

describe("shortGraceOutcome", () => {
  const CLAIM = 'SIGKILL landed during the final save (exit code 137 after "Saving the final RDB snapshot", before "DB saved on disk")';

  it("says what it saw in each case", () => {
    expect(shortGraceOutcome(137, log(STARTED, SIGTERM, SAVING))).toEqual({ proof: { claim: CLAIM, held: true, seen: "exit code 137; the final save began and never completed" } });
    expect(shortGraceOutcome(0, log(SIGTERM, SAVING, SAVED, BYE))).toEqual({ proof: { claim: CLAIM, held: false, seen: 'exit code 0; the final save completed ("DB saved on disk")' } });
    expect(shortGraceOutcome(137, log(SIGTERM))).toEqual({ proof: { claim: CLAIM, held: false, seen: 'exit code 137; no "Saving the final RDB snapshot" line' } });
  });

  it("does not hold when the save was interrupted by something other than SIGKILL", () => {
    expect(shortGraceOutcome(1, log(SIGTERM, SAVING))).toEqual({ proof: { claim: CLAIM, held: false, seen: "exit code 1; the final save began and never completed" } });
  });

  it("does not hold when SIGKILL came after the save completed", () => {
    expect(shortGraceOutcome(137, log(SIGTERM, SAVING, SAVED))).toMatchObject({ proof: { held: false } });
  });

  it("is not applicable only when the server exited with 0 and never began a final save", () => {
    expect(shortGraceOutcome(0, log(SIGTERM, BYE))).toEqual({
      notApplicable: "no final save to interrupt: the server has no save points and exited within the grace (its AOF flush takes milliseconds)",
    });
    expect(shortGraceOutcome(1, log(SIGTERM))).toMatchObject({ proof: { held: false } });
  });

  it("finds the last final save by its place in a long log, not the one before it", () => {
    // A completed save ends right before the last one begins: an offset off by a character per line would reach back into it.
    expect(shortGraceOutcome(137, log(...WRITES, SAVING, SAVED, BYE, STARTED, SIGTERM, SAVING))).toMatchObject({ proof: { held: true } });
    expect(shortGraceOutcome(137, log(...WRITES, SAVING, SAVED, SAVING))).toMatchObject({ proof: { held: true } });
    expect(shortGraceOutcome(137, log(...WRITES, SAVING, SAVED, SAVING, SAVED))).toMatchObject({ proof: { held: false } });
  });

  it("finds a final save on the first line", () => {
    expect(shortGraceOutcome(137, log(SAVING))).toMatchObject({ proof: { held: true, seen: "exit code 137; the final save began and never completed" } });
    expect(shortGraceOutcome(137, log(SAVING, SAVED))).toMatchObject({ proof: { held: false, seen: 'exit code 137; the final save completed ("DB saved on disk")' } });
    expect(shortGraceOutcome(0, log(SAVING, SAVED, BYE))).toMatchObject({ proof: { held: false } });
    expect(shortGraceOutcome(137, SAVING + "\n")).toMatchObject({ proof: { held: true } });
  });
});

describe("dataMountProof", () => {
  it("states its claim and what it saw", () => {
    expect(dataMountProof("vol-a", "vol-a", true)).toEqual({ claim: "the new container runs on the same /data volume", held: true, seen: "/data was vol-a, is now vol-a" });
    expect(dataMountProof("vol-a", "anon-b", false)).toEqual({
      claim: "the new container's /data is a different mount (the old data is not there)",
      held: true,
      seen: "/data was vol-a, is now anon-b",
    });
  });
});
