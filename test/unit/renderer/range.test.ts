import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../../shared/model/builder";
import { buildLaneView } from "../../../renderer/src/view/laneView";
import { extremes, levelExtremes, rangeStats } from "../../../renderer/src/view/rangeStats";

/** A rank: load 0–10 s, prefill 10–12 s, a nested decode step inside it, a barrier from 15 s on. */
function rank() {
  const b = new ModelBuilder();
  const lane = b.lane({ id: "r0", label: "rank 0", source: "skulk", group: "g", rank: 0 });
  lane.span({ start: 0, end: 10e9, name: "load_model" });
  lane.span({ start: 10e9, end: 12e9, name: "prefill" });
  lane.span({ start: 10.5e9, end: 11e9, name: "decode_step", depth: 1 });
  lane.span({ start: 15e9, end: 40e9, name: "decode_barrier" });
  lane.counter("mlx.active", 0, 100);
  lane.counter("mlx.active", 9e9, 500);
  lane.counter("mlx.active", 14e9, 50);
  lane.counter("mlx.active", 30e9, 900);
  return buildLaneView(b.build()[0]);
}

describe("range statistics", () => {
  it("sum each phase family's time clipped to the range, nested spans not counted twice", () => {
    const [r] = rangeStats([{ view: rank(), shift: 0 }], { start: 8e9, end: 20e9 });
    const byFamily = Object.fromEntries(r.families.map((f) => [f.family, f.ns]));
    // load 8–10 s, prefill 10–12 s, barrier 15–20 s; 12–15 s has no phase.
    expect(byFamily).toEqual({ setup: 2e9, prefill: 2e9, barrier: 5e9 });
    expect(r.uncovered).toBe(3e9);
    expect(r.families[0].family).toBe("barrier");
  });

  it("read lanes through their shift onto the axis", () => {
    // Shifted 5 s later, axis 13–20 s is the lane's 8–15 s.
    const [r] = rangeStats([{ view: rank(), shift: 5e9 }], { start: 13e9, end: 20e9 });
    const byFamily = Object.fromEntries(r.families.map((f) => [f.family, f.ns]));
    expect(byFamily).toEqual({ setup: 2e9, prefill: 2e9 });
    expect(r.uncovered).toBe(3e9);
  });

  it("give memory's low and high as a step function: the value holding at the start counts", () => {
    const [r] = rangeStats([{ view: rank(), shift: 0 }], { start: 10e9, end: 20e9 });
    // 500 holds from 9 s into the range; 50 from 14 s; 900 only comes at 30 s.
    expect(r.memory).toEqual([{ name: "mlx.active", min: 50, max: 500 }]);
  });

  it("extremes: a sample exactly at the start, a range before any sample, NaN skipped", () => {
    const c = { name: "m", t: new Float64Array([5, 10, 20]), v: new Float64Array([1, NaN, 3]) };
    expect(extremes(c, 5, 12)).toEqual({ min: 1, max: 1 });
    expect(extremes(c, 0, 4)).toBeNull();
    expect(extremes(c, 0, 25)).toEqual({ min: 1, max: 3 });
    expect(extremes(c, 25, 30)).toEqual({ min: 3, max: 3 });
  });
});

describe("range statistics of a paged lane's memory", () => {
  it("bound it by the resident level's buckets that reach into the range and the value holding at its start", () => {
    // Buckets of 2^4 = 16 ns: [0,16) min 1 max 9 last 5; [16,32) min 2 max 3 last 2; [48,64) min 7 max 8 last 8.
    const level = {
      k: 4,
      t: new Float64Array([1, 17, 50]),
      min: new Float64Array([1, 2, 7]),
      max: new Float64Array([9, 3, 8]),
      last: new Float64Array([5, 2, 8]),
    };
    // 20–40: the second bucket, and 5 holding from the first.
    expect(levelExtremes(level, 20, 40)).toEqual({ min: 2, max: 5 });
    // 33–45: no bucket inside; 2 holds from the second.
    expect(levelExtremes(level, 33, 45)).toEqual({ min: 2, max: 2 });
    // 0–60: everything.
    expect(levelExtremes(level, 0, 60)).toEqual({ min: 1, max: 9 });
    // Before the first sample: nothing.
    expect(levelExtremes(level, -40, -20)).toBeNull();
  });
});
