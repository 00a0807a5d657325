import { describe, expect, it } from "vitest";
import { alignStormlog } from "../../../shared/analysis/stormlogAlign";
import { ModelBuilder } from "../../../shared/model/builder";

/** One stormlog rank: allocator samples every `interval` ns from `first`, `count` of them. */
function rank(b: ModelBuilder, group: string, r: number | null, first: number, interval = 100e6, count = 50) {
  const lane = b.lane({
    id: `stormlog:${group}:${r}`,
    label: `rank ${r}`,
    source: "stormlog",
    group,
    rank: r,
    device: `cuda:${r ?? 0}`,
  });
  for (let i = 0; i < count; i++) {
    const t = first + i * interval;
    lane.counter("allocator.allocated", t, 1e9 + i * 1e6);
    // A second counter sampled at the same instants must not halve the interval.
    lane.counter("device.used", t, 2e9);
  }
  return lane;
}

describe("stormlog first-sample alignment", () => {
  it("lines every rank's first sample up with rank 0's and flags skew above 5× the interval", () => {
    const b = new ModelBuilder();
    // Input order is not rank order: rank 0 must still be the reference.
    rank(b, "job-1", 2, 5e9 - 40e6);
    rank(b, "job-1", 1, 5e9 + 30e6);
    rank(b, "job-1", 3, 5e9 + 2e9);
    rank(b, "job-1", 0, 5e9);
    const { groups, perLane } = alignStormlog(b.build());
    expect(groups).toHaveLength(1);
    const g = groups[0];
    expect(g.referenceLaneId).toBe("stormlog:job-1:0");
    expect(g.medianIntervalNs).toBe(100e6);
    expect(g.thresholdNs).toBe(500e6);
    expect(g.ranks.map((r) => [r.rank, r.skewNs, r.shiftNs, r.flagged])).toEqual([
      [0, 0, 0, false],
      [1, 30e6, -30e6, false],
      [2, -40e6, 40e6, false],
      [3, 2e9, -2e9, true],
    ]);
    expect(perLane.get("stormlog:job-1:3")).toBe(-2e9);
    expect(perLane.get("stormlog:job-1:0")).toBe(0);
  });

  it("aligns each session on its own and leaves other sources alone", () => {
    const b = new ModelBuilder();
    rank(b, "job-1", 0, 0);
    rank(b, "job-1", 1, 10e6);
    rank(b, "job-2", 0, 7e9, 1e9, 10);
    rank(b, "job-2", 1, 7e9 + 3e9, 1e9, 10);
    b.lane({ id: "skulk:r0", label: "r0", source: "skulk", group: "skulk:i1", node: "n", rank: 0 }).counter(
      "mlx.active",
      123e9,
      1,
    );
    const { groups, perLane } = alignStormlog(b.build());
    expect(groups.map((g) => [g.group, g.medianIntervalNs])).toEqual([
      ["job-1", 100e6],
      ["job-2", 1e9],
    ]);
    expect(perLane.get("stormlog:job-1:1")).toBe(-10e6);
    // 3 s of skew at 1 s sampling is under the 5 s threshold.
    expect(groups[1].ranks[1]).toMatchObject({ skewNs: 3e9, flagged: false });
    expect(perLane.has("skulk:r0")).toBe(false);
  });

  it("falls back to the lowest rank, and lists ranks with no sample as unaligned", () => {
    const b = new ModelBuilder();
    rank(b, "job-9", 3, 4e9);
    rank(b, "job-9", 1, 1e9);
    b.lane({ id: "stormlog:job-9:empty", label: "rank 2", source: "stormlog", group: "job-9", rank: 2 });
    const [g] = alignStormlog(b.build()).groups;
    expect(g.referenceLaneId).toBe("stormlog:job-9:1");
    expect(g.ranks.find((r) => r.rank === 3)).toMatchObject({ skewNs: 3e9, flagged: true });
    expect(g.unaligned).toEqual(["stormlog:job-9:empty"]);
  });

  it("flags nothing when a group has a single sample and so no interval", () => {
    const b = new ModelBuilder();
    rank(b, "once", 0, 0, 1, 1);
    rank(b, "once", 1, 9e9, 1, 1);
    const [g] = alignStormlog(b.build()).groups;
    expect(g.medianIntervalNs).toBeNull();
    expect(g.ranks.map((r) => [r.shiftNs, r.flagged])).toEqual([
      [0, false],
      [-9e9, false],
    ]);
  });
});
