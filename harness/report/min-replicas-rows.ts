import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { appendDirectives } from "../../configs/append-directives.js";
import { failoverContract } from "../../configs/failover-contracts.js";
import { minReplicasLines, withMinReplicasName } from "../../configs/min-replicas.js";
import type { ModeSpec } from "../../configs/modes.js";
import type { FailoverFaultName } from "../faults/failover/failover-fault.js";
import type { CustomRow } from "./run-matrix.js";

/** A mode run with min-replicas-to-write 1 and one max-lag: a row of its own in a sentinel matrix. */
export interface MinReplicasRow {
  mode: ModeSpec;
  lagS: number;
  row: CustomRow;
}

/** The rows of `matrix --topology sentinel --min-replicas`, their configs in a temporary folder that `remove()` deletes. */
export interface MinReplicasRows {
  rows: MinReplicasRow[];
  remove(): Promise<void>;
}

/**
 * Writes each mode's config with the knob's two lines appended (Redis takes the last value of a
 * directive) and makes a row of it per max-lag, named as npm test names it ("aof-everysec+min-replicas-2s").
 */
export async function minReplicasRows(modes: readonly ModeSpec[], lags: readonly number[]): Promise<MinReplicasRows> {
  if (lags.length === 0) return { rows: [], remove: async () => undefined };
  const dir = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-min-replicas-"));
  try {
    const rows: MinReplicasRow[] = [];
    for (const mode of modes) {
      const text = await readFile(mode.configFile, "utf8");
      for (const lagS of lags) {
        const name = withMinReplicasName(mode.mode, lagS);
        const configFile = path.join(dir, `${name}.conf`);
        await writeFile(configFile, appendDirectives(text, minReplicasLines(lagS), "redis-persistence matrix --min-replicas"));
        const row: CustomRow = {
          mode: name,
          configFile,
          reportedConfigFile: mode.configFile,
          summary: `${mode.summary}; with min-replicas-to-write 1, min-replicas-max-lag ${lagS} appended`,
          faultFor: (fault) => fault,
          expectationFor: (faultName) => ({ expected: failoverContract(mode.mode, "reply", faultName as FailoverFaultName, lagS) }),
        };
        rows.push({ mode, lagS, row });
      }
    }
    return { rows, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
