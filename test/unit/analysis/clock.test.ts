import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateClockOffsets, type ClockEstimate, type NodeOffset } from "../../../shared/analysis/clock";
import { DEMO_NODES, generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { ModelBuilder } from "../../../shared/model/builder";
import { ingestFiles } from "../helpers";
import { errorOf, laneIdOf, syntheticLanes } from "./synthetic";

function node(est: ClockEstimate, name: string): NodeOffset {
  const n = est.nodes.find((x) => x.node === name);
  if (!n) throw new Error(`no estimate for ${name} among ${est.nodes.map((x) => x.node).join(", ")}`);
  return n;
}

/** Two instances spanning every node, ranks spread round-robin, plus node-z on its own. */
function cluster(count: number, jitterNs: number, seed = 3) {
  const names = Array.from({ length: count }, (_, i) => `node-${String.fromCharCode(97 + i)}`);
  const offsets: Record<string, number> = { "node-z": 250e6 };
  names.forEach((n, i) => (offsets[n] = i === 0 ? 0 : Math.round((i % 2 ? 1 : -1) * (i * 17.3e6 + 0.4e6))));
  const ranks = (k: number) =>
    Array.from({ length: Math.max(2, count) * 2 }, (_, r) => names[(r + k) % count]);
  const lanes = syntheticLanes({
    offsets,
    instances: [
      { id: "i1", ranks: ranks(0) },
      { id: "i2", ranks: ranks(1) },
      { id: "iz", ranks: ["node-z", "node-z"] },
    ],
    tasks: 8,
    jitterNs,
    seed,
  });
  return { names, offsets, lanes };
}

describe("clock offsets from barrier exits", () => {
  it.each([2, 4, 8])("lands within the exit jitter of the true skew for %i nodes", (count) => {
    const jitter = 300e3;
    const { names, offsets, lanes } = cluster(count, jitter);
    const est = estimateClockOffsets(lanes);
    expect(est.reference).toBe("node-a");
    for (const name of names.slice(1)) {
      const n = node(est, name);
      expect(Math.abs(errorOf(offsets, "node-a", name, n.offsetNs))).toBeLessThanOrEqual(jitter + 1);
      // 8 tasks × 2 barriers × 2 instances.
      expect(n.observations).toBe(32);
      expect(n.spreadNs).toBeLessThanOrEqual(jitter);
      expect(n.confidence).toBe("high");
      expect(n.via).toEqual([]);
      expect(n.boundsNs![0]).toBeLessThanOrEqual(n.offsetNs);
      expect(n.boundsNs![1]).toBeGreaterThanOrEqual(n.offsetNs);
    }
    // node-z's ranks only ever met each other: its clock cannot be related to node-a's.
    const z = node(est, "node-z");
    expect(z).toMatchObject({ offsetNs: 0, confidence: "none", observations: 0 });
    expect(z.reason).toMatch(/shares no barrier with node-a/);
    expect(est.perLane.get(laneIdOf("iz", 0))).toBe(0);
  });

  it("gives every lane the shift that undoes its node's offset", () => {
    const { offsets, lanes } = cluster(2, 100e3);
    const est = estimateClockOffsets(lanes);
    const b = node(est, "node-b");
    expect(Math.abs(b.offsetNs - offsets["node-b"])).toBeLessThanOrEqual(100e3 + 1);
    for (const lane of lanes) {
      const expected = lane.info.node === "node-b" ? -b.offsetNs : 0;
      expect(est.perLane.get(lane.info.id)).toBe(expected);
    }
  });

  it("ignores one rank descheduled long after a release (median, not mean or minimum)", () => {
    const jitter = 200e3;
    const offsets = { "node-a": 0, "node-b": 12e6 };
    const lanes = syntheticLanes({
      offsets,
      instances: [{ id: "i1", ranks: ["node-a", "node-b"] }],
      tasks: 6,
      jitterNs: jitter,
      // A barrier that does real work after the last arrival leaves the causality bounds
      // loose (±20 ms), so only the estimator stands between the outlier and the answer.
      releaseGapNs: 20e6,
      outliers: [{ instance: "i1", task: 2, rank: 0, byNs: 80e6 }],
    });
    const b = node(estimateClockOffsets(lanes), "node-b");
    expect(Math.abs(b.offsetNs - 12e6)).toBeLessThanOrEqual(jitter + 1);
  });

  it("holds the estimate inside the causality bounds when most exits of a node are late", () => {
    const offsets = { "node-a": 0, "node-b": -7e6 };
    // Rank 0 was descheduled after four of six releases: the median of exits is 30 ms off,
    // but node-b cannot have left before node-a entered, which pins the offset.
    const lanes = syntheticLanes({
      offsets,
      instances: [{ id: "i1", ranks: ["node-a", "node-b"] }],
      tasks: 3,
      jitterNs: 50e3,
      arrivalSpreadNs: 100e3,
      outliers: [
        { instance: "i1", task: 1, rank: 0, byNs: 30e6 },
        { instance: "i1", task: 2, rank: 0, byNs: 30e6 },
      ],
    });
    const b = node(estimateClockOffsets(lanes), "node-b");
    expect(b.boundsNs![1] - b.boundsNs![0]).toBeLessThan(1e6);
    expect(Math.abs(b.offsetNs + 7e6)).toBeLessThanOrEqual(300e3);
  });

  it("chains through a shared node when a node never met the reference", () => {
    const jitter = 250e3;
    const offsets = { "node-a": 0, "node-b": -21e6, "node-c": 48e6 };
    const lanes = syntheticLanes({
      offsets,
      instances: [
        { id: "ab", ranks: ["node-a", "node-b", "node-a", "node-b"] },
        { id: "bc", ranks: ["node-c", "node-b"] },
      ],
      tasks: 6,
      jitterNs: jitter,
    });
    const c = node(estimateClockOffsets(lanes), "node-c");
    expect(c.via).toEqual(["node-b"]);
    expect(Math.abs(c.offsetNs - 48e6)).toBeLessThanOrEqual(2 * jitter + 1);
    expect(c.confidence).toBe("medium");
    expect(c.reason).toMatch(/chained through node-b/);
  });

  it("reads the reference from rank 0, unless told otherwise", () => {
    const offsets = { "node-a": 5e6, "node-b": 0 };
    // node-b holds more lanes, but rank 0 lives on node-a.
    const lanes = syntheticLanes({
      offsets,
      instances: [{ id: "i1", ranks: ["node-a", "node-b", "node-b", "node-b"] }],
      tasks: 4,
      jitterNs: 50e3,
    });
    const auto = estimateClockOffsets(lanes);
    expect(auto.reference).toBe("node-a");
    expect(Math.abs(node(auto, "node-b").offsetNs + 5e6)).toBeLessThanOrEqual(50e3 + 1);
    const manual = estimateClockOffsets(lanes, { reference: "node-b" });
    expect(manual.reference).toBe("node-b");
    expect(Math.abs(node(manual, "node-a").offsetNs - 5e6)).toBeLessThanOrEqual(50e3 + 1);
  });

  it("says so when a node's lanes hold no barrier at all, and when barriers contradict one offset", () => {
    const b = new ModelBuilder();
    const info = (id: string, nodeName: string, rank: number) => ({
      id,
      label: id,
      source: "skulk" as const,
      group: "skulk:i1",
      node: nodeName,
      rank,
    });
    const a0 = b.lane(info("a0", "node-a", 0));
    const b1 = b.lane(info("b1", "node-b", 1));
    b.lane(info("q2", "node-q", 2)).span({ name: "load_model", start: 0, end: 5e9 });
    // Task 1 says the clocks agree to 10 µs; task 2 says node-b is 100 ms ahead: drift.
    a0.span({ name: "prefill_barrier", start: 0, end: 10e3, args: { taskId: "t1" } });
    b1.span({ name: "prefill_barrier", start: 0, end: 10e3, args: { taskId: "t1" } });
    a0.span({ name: "prefill_barrier", start: 60e9, end: 60e9 + 10e3, args: { taskId: "t2" } });
    b1.span({ name: "prefill_barrier", start: 60.1e9, end: 60.1e9 + 10e3, args: { taskId: "t2" } });
    const est = estimateClockOffsets(b.build());
    expect(node(est, "node-q")).toMatchObject({ confidence: "none", offsetNs: 0 });
    expect(node(est, "node-q").reason).toMatch(/no completed barrier/);
    expect(node(est, "node-b").confidence).toBe("low");
    expect(node(est, "node-b").reason).toMatch(/drift/);
  });

  it("finds node B's clock 35 ms ahead of node A's in the demo, and names them", async () => {
    const files = Object.fromEntries(generateSkulkDemo().map((f) => [f.path, f.content]));
    const model = await ingestFiles(files);
    const est = estimateClockOffsets(model.lanes);
    expect(est.reference).toBe(DEMO_NODES.a.id);
    const b = node(est, DEMO_NODES.b.id);
    expect(b.label).toBe("Ben's Mac mini");
    expect(b.reason).toMatch(/shared with Ana's Mac Studio$/);
    // The demo's exits are one instant to the microsecond; the bounds hold the truth too.
    expect(Math.abs(b.offsetNs - 35e6)).toBeLessThanOrEqual(1e3);
    expect(b.observations).toBeGreaterThanOrEqual(2);
    expect(b.boundsNs![0]).toBeLessThanOrEqual(35e6);
    expect(b.boundsNs![1]).toBeGreaterThanOrEqual(35e6);
    expect(["high", "medium"]).toContain(b.confidence);
    for (const lane of model.lanes)
      expect(est.perLane.get(lane.info.id)).toBe(lane.info.node === DEMO_NODES.b.id ? -b.offsetNs : 0);
  });

  it("property: every node's estimate lies within the jitter for random skews and jitters", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: -2e9, max: 2e9 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1e3, max: 20e6 }),
        fc.integer({ min: 0, max: 50e6 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (count, skews, jitter, releaseGapNs, seed) => {
          const names = Array.from({ length: count }, (_, i) => `n${i}`);
          const offsets = Object.fromEntries(names.map((n, i) => [n, skews[i]]));
          const ranks = Array.from({ length: count * 2 }, (_, r) => names[r % count]);
          const lanes = syntheticLanes({
            offsets,
            instances: [{ id: "i1", ranks }],
            tasks: 3,
            jitterNs: jitter,
            releaseGapNs,
            seed,
          });
          const est = estimateClockOffsets(lanes);
          expect(est.reference).toBe("n0");
          for (const n of est.nodes)
            expect(Math.abs(errorOf(offsets, "n0", n.node, n.offsetNs))).toBeLessThanOrEqual(jitter + 1);
        },
      ),
      { numRuns: 150 },
    );
  });
});
