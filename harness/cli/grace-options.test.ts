import { describe, expect, it } from "vitest";
import { graceSweepOptions, parseDatasetSizes, parseGraces } from "./grace-options.js";
import { MATRIX_HELP } from "./help.js";

describe("--graces and --dataset-sizes", () => {
  it("reads graces as whole seconds (bare numbers are seconds), sorted and deduplicated", () => {
    expect(parseGraces("--graces", "30,0,1,2,5,10,1")).toEqual([0, 1_000, 2_000, 5_000, 10_000, 30_000]);
    expect(parseGraces("--graces", "10s, 1m")).toEqual([10_000, 60_000]);
  });

  it("refuses a fraction of a second, which Docker would round, and what is not a duration", () => {
    expect(() => parseGraces("--graces", "1.5")).toThrow("--graces 1.5: Docker counts the stop grace in whole seconds; give e.g. 1 or 2");
    expect(() => parseGraces("--graces", "500ms")).toThrow(/whole seconds; give e.g. 0 or 1/);
    expect(() => parseGraces("--graces", "soon")).toThrow(/--graces soon: not a duration/);
    expect(() => parseGraces("--graces", " , ")).toThrow(/--graces is empty/);
  });

  it("reads dataset sizes in MiB or GiB, at least 1 MiB", () => {
    expect(parseDatasetSizes("--dataset-sizes", "1GiB,64,256,64")).toEqual([64, 256, 1024]);
    expect(() => parseDatasetSizes("--dataset-sizes", "0")).toThrow(/at least 1 MiB/);
    expect(() => parseDatasetSizes("--dataset-sizes", "big")).toThrow(/expected a size in MiB/);
  });

  it("is opt-in: no --graces, no sweep; sizes default to --dataset-size; not with --versions; sizes alone are refused", () => {
    expect(graceSweepOptions({}, 64)).toBeUndefined();
    expect(graceSweepOptions({ graces: "1,30" }, 64)).toEqual({ gracesMs: [1_000, 30_000], datasetSizesMiB: [64] });
    expect(graceSweepOptions({ graces: "1", "dataset-sizes": "64,256" }, 8)).toEqual({ gracesMs: [1_000], datasetSizesMiB: [64, 256] });
    expect(() => graceSweepOptions({ "dataset-sizes": "64" }, 64)).toThrow(/give --graces too/);
    expect(() => graceSweepOptions({ graces: "1", versions: "6.0" }, 64)).toThrow(/drop --versions/);
  });

  it("is in the matrix's --help", () => {
    expect(MATRIX_HELP).toMatch(/--graces <list> +also sweep the stop grace \(opt-in\)/);
    expect(MATRIX_HELP).toMatch(/--dataset-sizes <list> +the grace sweep's dataset sizes/);
  });
});
