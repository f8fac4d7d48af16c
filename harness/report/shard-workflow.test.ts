import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Workflow {
  env: { MATRIX_OPTIONS: string; SHARDS: number };
  jobs: { shard: { strategy: { matrix: { shard: number[] } }; steps: { run?: string }[] }; merge: { needs: string; steps: { run?: string }[] } };
}

// The documented workflow is what users copy: its shard list and commands must agree with each other and the CLI.
describe("docs/github-actions/matrix-shards.yml", () => {
  const workflow = parse(readFileSync(new URL("../../docs/github-actions/matrix-shards.yml", import.meta.url), "utf8")) as Workflow;

  it("lists shards 1..SHARDS, each once", () => {
    expect(workflow.jobs.shard.strategy.matrix.shard).toEqual(Array.from({ length: workflow.env.SHARDS }, (_, i) => i + 1));
  });

  it("runs every shard with the same options and joins them after all shards", () => {
    const runs = workflow.jobs.shard.steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toContainEqual(expect.stringMatching(/^npx redis-persistence matrix \$MATRIX_OPTIONS --shard \$\{\{ matrix.shard \}\}\/\$SHARDS --out shard-\$\{\{ matrix.shard \}\}/));
    expect(workflow.jobs.merge.needs).toBe("shard");
    expect(workflow.jobs.merge.steps.flatMap((s) => (s.run ? [s.run] : []))).toContain("npx redis-persistence merge shard-* --out reports");
  });
});
