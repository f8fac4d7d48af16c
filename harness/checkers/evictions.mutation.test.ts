import { describe, expect, it } from "vitest";
import { lostOnlyToEviction } from "./evictions.js";
import { clientRun, scripted } from "./fixtures.js";
import { analyzeLoss } from "./loss.js";

describe("lostOnlyToEviction: more gone than evicted", () => {
  // 12 acknowledged writes lost, 5 preloaded keys of which 3 came back: 14 keys gone, Redis evicted 4.
  const { history, readBack } = scripted(clientRun(0, 20, 12), [], 3);
  const finding = lostOnlyToEviction(analyzeLoss(history, readBack), 5, 4);

  it("counts the missing preloaded keys and what eviction cannot account for", () => {
    expect(finding.valid).toBe(false);
    expect(finding.reason).toBe("14 keys are gone (12 acknowledged writes, 2 preloaded keys) but Redis evicted only 4: something other than eviction lost 10");
  });

  it("names at most ten lost writes as evidence, the first ones", () => {
    expect(finding.evidence).toEqual(Array.from({ length: 10 }, (_, i) => `client 0 seq ${8 + i} (ok): missing`));
  });
});
