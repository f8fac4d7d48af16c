import { describe, expect, it } from "vitest";
import { parallelWarning } from "./matrix-command.js";

describe("parallelWarning", () => {
  it("says nothing while every cell has two cores", () => {
    expect(parallelWarning(1, 1)).toBeUndefined();
    expect(parallelWarning(2, 4)).toBeUndefined();
    expect(parallelWarning(4, 8)).toBeUndefined();
  });

  it("warns beyond two cores a cell, naming the cores and the most that fits", () => {
    expect(parallelWarning(2, 2)).toMatch(/^--parallel 2 on 2 cores: .*measured under contention.*At most 1 here/);
    expect(parallelWarning(3, 4)).toMatch(/At most 2 here/);
    expect(parallelWarning(2, 1)).toMatch(/on 1 core:/);
  });
});
