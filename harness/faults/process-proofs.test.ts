import { describe, expect, it } from "vitest";
import { dataMountProof, gracefulExitProof, killProof, shortGraceOutcome } from "./process-proofs.js";

// Log lines as Redis 7.0 prints them (docker logs of the official image).
const STARTED = "1:M 01 Dec 2026 09:00:00.000 * Ready to accept connections";
const SIGTERM = "1:signal-handler (1764579600) Received SIGTERM scheduling shutdown...";
const REQUESTED = "1:M 01 Dec 2026 09:00:01.000 # User requested shutdown...";
const SAVING = "1:M 01 Dec 2026 09:00:01.001 * Saving the final RDB snapshot before exiting.";
const SAVED = "1:M 01 Dec 2026 09:00:04.300 * DB saved on disk";
const BYE = "1:M 01 Dec 2026 09:00:04.301 # Redis is now ready to exit, bye bye...";
const log = (...lines: string[]): string => lines.join("\n");

describe("fault proofs", () => {
  it("a kill holds only with exit code 137 and no shutdown in the log", () => {
    expect(killProof(137, log(STARTED)).held).toBe(true);
    expect(killProof(0, log(STARTED, SIGTERM, REQUESTED, BYE))).toMatchObject({ held: false, seen: expect.stringMatching(/exit code 0; the log shows a shutdown/) });
    expect(killProof(137, log(STARTED, SIGTERM)).held).toBe(false);
  });

  it("a graceful stop holds only with exit code 0 and \"ready to exit\"", () => {
    expect(gracefulExitProof(0, log(STARTED, SIGTERM, REQUESTED, SAVING, SAVED, BYE)).held).toBe(true);
    expect(gracefulExitProof(0, log(STARTED, "1:M 01 Dec 2026 09:00:04.301 # Valkey is now ready to exit, bye bye...")).held).toBe(true);
    expect(gracefulExitProof(137, log(STARTED, SIGTERM, REQUESTED, SAVING)).held).toBe(false);
    expect(gracefulExitProof(0, log(STARTED)).held).toBe(false);
  });

  describe("short grace", () => {
    it("holds when SIGKILL landed after the final save began and before it completed", () => {
      expect(shortGraceOutcome(137, log(STARTED, SIGTERM, REQUESTED, SAVING))).toMatchObject({ proof: { held: true } });
    });

    it("does not hold when the save completed within the grace (a grace long enough)", () => {
      expect(shortGraceOutcome(0, log(STARTED, SIGTERM, REQUESTED, SAVING, SAVED, BYE))).toMatchObject({ proof: { held: false, seen: expect.stringMatching(/final save completed/) } });
    });

    it("does not hold when the kill came without a final save having started", () => {
      expect(shortGraceOutcome(137, log(STARTED, SIGTERM, REQUESTED))).toMatchObject({ proof: { held: false } });
    });

    it("looks at the last final save only: an earlier completed one does not count", () => {
      expect(shortGraceOutcome(137, log(STARTED, SAVING, SAVED, BYE, STARTED, SIGTERM, SAVING))).toMatchObject({ proof: { held: true } });
      expect(shortGraceOutcome(137, log(STARTED, SAVING, STARTED, SAVING, SAVED))).toMatchObject({ proof: { held: false } });
    });

    it("is not applicable when there was no final save and the server exited by itself", () => {
      expect(shortGraceOutcome(0, log(STARTED, SIGTERM, REQUESTED, BYE))).toEqual({ notApplicable: expect.stringMatching(/no final save to interrupt/) });
    });
  });

  it("a recreate proves which /data the new container got", () => {
    expect(dataMountProof("volume a", "volume a", true).held).toBe(true);
    expect(dataMountProof("volume a", "volume b", true).held).toBe(false);
    expect(dataMountProof("volume a", "volume b", false).held).toBe(true);
    expect(dataMountProof("volume a", "volume a", false).held).toBe(false);
  });
});
