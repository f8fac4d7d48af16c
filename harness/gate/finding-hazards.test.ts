import { describe, expect, it } from "vitest";
import { FINDINGS } from "../../configs/findings.js";
import { effectiveConf } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
import { findingHazards } from "./finding-hazards.js";
import { parseConf } from "./parse-conf.js";

const explain = (text: string) => explainConf(effectiveConf(parseConf(text)));

describe("findingHazards", () => {
  it("warns an everysec config that passes at the documented 2 s of the measured slow-disk power loss", () => {
    const [hazard] = findingHazards(explain('save ""\nappendonly yes\n'), 2_000);
    expect(hazard).toMatchObject({ id: FINDINGS.slowFsyncPowerLoss.id, severity: "warning", failsGate: false });
    expect(hazard?.message).toMatch(/3\.4-3\.5 s/);
    expect(findingHazards(explain("appendonly yes\n"), 5_000).map((h) => h.id)).toEqual([FINDINGS.slowFsyncPowerLoss.id]);
  });

  it("says nothing where the bound already fails the config, or the mode is not everysec", () => {
    expect(findingHazards(explain('save ""\nappendonly yes\n'), 1_000)).toEqual([]);
    expect(findingHazards(explain('save ""\nappendonly yes\nappendfsync always\n'), 2_000)).toEqual([]);
    expect(findingHazards(explain("appendonly no\n"), 10_000_000)).toEqual([]);
  });
});
