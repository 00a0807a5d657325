import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateCluster } from "../../bench/generate";
import { walkPaths } from "../../electron/node/fsSource";
import { mergeResults, partition, PARALLEL_MIN_BYTES } from "../../shared/ingest/merge";
import { ingest } from "../../shared/ingest/pipeline";
import { inspectReport } from "../../shared/model/summary";
import { finalizeModel } from "../../shared/model/dataset";

describe("parallel ingest: partition and merge", () => {
  it("keeps directories whole and balances bytes", () => {
    const big = PARALLEL_MIN_BYTES;
    const files = [
      { path: "a/1", size: big },
      { path: "a/2", size: big },
      { path: "b/1", size: big },
      { path: "c/1", size: big / 2 },
      { path: "c/2", size: big / 2 },
    ];
    const groups = partition(files, 2);
    expect(groups).toHaveLength(2);
    for (const dir of ["a", "b", "c"])
      expect(groups.filter((g) => g.some((f) => f.path.startsWith(dir))).length).toBe(1);
    const bytes = groups.map((g) => g.reduce((n, f) => n + f.size, 0));
    expect(Math.abs(bytes[0] - bytes[1])).toBeLessThanOrEqual(big);
    expect(
      partition(
        files.map((f) => ({ ...f, size: 10 })),
        2,
      ),
    ).toHaveLength(1);
  });

  it("two workers' results merge into the model one reader builds", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-merge-")), "cluster");
    await generateCluster(dir, { nodes: 2, ranksPerNode: 2, entriesPerRank: 400, seed: 3 });
    const { sources } = await walkPaths([dir]);
    const whole = finalizeModel({ ...(await ingest(sources)), files: (await ingest(sources)).files });
    // Split by node directory, as partition() would for a big run, with different origins.
    const groups = [
      sources.filter((s) => s.path.includes("node-0")),
      sources.filter((s) => s.path.includes("node-1")),
    ];
    const results = await Promise.all(groups.map((g) => ingest(g)));
    const merged = mergeResults(results, sources);
    const a = inspectReport(whole);
    const b = inspectReport(finalizeModel({ ...merged, notes: merged.notes }));
    expect(b.files.map((f) => f.path)).toEqual(a.files.map((f) => f.path));
    expect(b.lanes).toEqual(a.lanes);
    expect(b.startNs).toBe(a.startNs);
    expect(b.endNs).toBe(a.endNs);
  });
});
