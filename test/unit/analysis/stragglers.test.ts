import { describe, expect, it } from "vitest";
import { estimateClockOffsets } from "../../../shared/analysis/clock";
import { hangs, stragglers } from "../../../shared/analysis/stragglers";
import { DEMO_NODES, generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { ModelBuilder } from "../../../shared/model/builder";
import { SpanFlag } from "../../../shared/model/types";
import { ingestFiles } from "../helpers";
import { laneIdOf, syntheticLanes } from "./synthetic";

async function demo() {
  return ingestFiles(Object.fromEntries(generateSkulkDemo().map((f) => [f.path, f.content])));
}

describe("stragglers", () => {
  // node-b runs 45 ms ahead; rank 0 (node-a) reaches task 3's prefill barrier 30 ms late.
  const offsets = { "node-a": 0, "node-b": 45e6 };
  const lanes = syntheticLanes({
    offsets,
    instances: [{ id: "i1", ranks: ["node-a", "node-a", "node-b", "node-b"] }],
    tasks: 5,
    jitterNs: 100e3,
    arrivalSpreadNs: 1e6,
    late: { instance: "i1", task: 3, rank: 0, byNs: 30e6 },
  });

  it("finds the late rank and its lateness once clocks are aligned", () => {
    const top = stragglers(lanes, estimateClockOffsets(lanes).perLane)[0];
    expect(top).toMatchObject({
      group: "skulk:i1",
      phase: "prefill_barrier",
      taskId: "task-3",
      occurrence: 0,
    });
    expect(top.last.laneId).toBe(laneIdOf("i1", 0));
    // 30 ms late, less how far into the 1 ms arrival window the others came.
    expect(top.lateNs).toBeGreaterThan(29e6);
    expect(top.lateNs).toBeLessThanOrEqual(31e6);
    expect(top.spreadNs).toBeGreaterThanOrEqual(top.lateNs);
    expect(top.arrivals.map((a) => a.laneId).at(-1)).toBe(laneIdOf("i1", 0));
    expect(top.arrivals).toHaveLength(4);
    expect(top.worldSize).toBe(4);
    // Everyone else arrived within the window: no other barrier has a straggler near it.
    expect(stragglers(lanes, estimateClockOffsets(lanes).perLane)[1].lateNs).toBeLessThan(2e6);
  });

  it("blames node-b's ranks for its clock when nothing is aligned", () => {
    const raw = stragglers(lanes);
    // node-b's 45 ms head start outweighs the 30 ms the late rank cost.
    expect(raw[0].last.laneId).toMatch(/-r[23]$/);
    expect(raw.every((s) => s.last.laneId.endsWith("-r2") || s.last.laneId.endsWith("-r3"))).toBe(true);
  });

  it("reports times on the shifted timeline", () => {
    const shifts = new Map([[laneIdOf("i1", 0), 1e9]]);
    const raw = stragglers(lanes).find((s) => s.taskId === "task-1" && s.phase === "decode_barrier")!;
    const moved = stragglers(lanes, shifts).find(
      (s) => s.taskId === "task-1" && s.phase === "decode_barrier",
    )!;
    const enterOf = (s: typeof raw) => s.arrivals.find((a) => a.laneId === laneIdOf("i1", 0))!.enter;
    expect(enterOf(moved) - enterOf(raw)).toBe(1e9);
    expect(moved.last.laneId).toBe(laneIdOf("i1", 0));
  });

  it("skips barriers where fewer than two enters were seen", () => {
    const b = new ModelBuilder();
    const lane = (rank: number) =>
      b.lane({ id: `r${rank}`, label: `r${rank}`, source: "skulk", group: "g", node: "n", rank });
    // Rank 1's enter was evicted from its ring buffer: the span starts truncated.
    lane(0).span({ name: "prefill_barrier", start: 10, end: 50, args: { taskId: "t" } });
    lane(1).span({
      name: "prefill_barrier",
      start: 0,
      end: 50,
      flags: SpanFlag.TruncatedStart,
      args: { taskId: "t" },
    });
    expect(stragglers(b.build())).toEqual([]);
  });
});

describe("hangs", () => {
  it("finds demo rank 2 stuck in decode_barrier, and no idle rank", async () => {
    const model = await demo();
    const found = hangs(model.lanes);
    const rank2 = found.find((h) => h.group === "skulk:instance-1" && h.rank === 2);
    expect(rank2).toMatchObject({
      phase: "decode_barrier",
      family: "barrier",
      node: DEMO_NODES.b.id,
      label: "Ben's Mac mini · rank 2",
      alive: true,
    });
    // It entered 1.2 s after its peers began waiting for the first token, ~45 s before the save.
    expect(rank2!.durationNs).toBeGreaterThan(40e9);
    const lane = model.lanes.find((l) => l.info.id === rank2!.laneId)!;
    expect(rank2!.durationNs).toBe(lane.end - rank2!.since);
    // instance-2's surviving rank went back to idle: resting, not hung.
    expect(found.some((h) => h.laneId === "skulk:runner-a2")).toBe(false);
    expect(found.every((h) => !["idle", "created", "completion"].includes(h.phase))).toBe(true);
    // The crashed runner is reported, marked dead rather than waiting.
    expect(found.find((h) => h.laneId === "skulk:runner-b2")).toMatchObject({ alive: false });
    const durations = found.map((h) => h.durationNs);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
  });

  it("applies shifts to when the rank entered", async () => {
    const model = await demo();
    const shifts = estimateClockOffsets(model.lanes).perLane;
    const plain = hangs(model.lanes).find((h) => h.laneId === "skulk:runner-b0")!;
    const shifted = hangs(model.lanes, shifts).find((h) => h.laneId === "skulk:runner-b0")!;
    expect(plain.since - shifted.since).toBeCloseTo(35e6, -3);
    // The lane's end moves with it: how long the rank has been there does not change.
    expect(shifted.durationNs).toBe(plain.durationNs);
  });

  it("ignores lanes whose open span is a resting phase or below depth 0", () => {
    const b = new ModelBuilder();
    const l0 = b.lane({ id: "a", label: "a", source: "skulk", group: "g", rank: 0 });
    l0.span({ name: "idle", start: 0, end: 100, flags: SpanFlag.Open });
    l0.span({ name: "generator_step", start: 10, end: 100, depth: 1, flags: SpanFlag.Open });
    const l1 = b.lane({ id: "b", label: "b", source: "skulk", group: "g", rank: 1 });
    l1.span({ name: "warmup", start: 0, end: 40 });
    l1.span({ name: "prefill_barrier", start: 40, end: 100, flags: SpanFlag.Open });
    expect(hangs(b.build()).map((h) => [h.laneId, h.phase, h.since, h.durationNs])).toEqual([
      ["b", "prefill_barrier", 40, 60],
    ]);
  });
});
