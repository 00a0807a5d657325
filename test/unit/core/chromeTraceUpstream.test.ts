/**
 * Every Chrome-family file other projects wrote (test/fixtures/upstream: speedscope,
 * catapult, Kineto), read with its name hidden, against what its README row says.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LaneData, Model } from "../../../shared/model/types";
import { counter, ingestFiles, markers, spans } from "../helpers";

const UPSTREAM = path.join(__dirname, "../../fixtures/upstream");
const read = (rel: string) => new Uint8Array(readFileSync(path.join(UPSTREAM, rel)));

/** Reads one upstream file as "x.json": detection sees only the content. */
async function hidden(rel: string): Promise<Model> {
  const m = await ingestFiles({ "x.json": read(rel) });
  expect(m.files[0].format).toBe("chrome-trace");
  expect(m.files[0].errors).toEqual([]);
  return m;
}

/** Absolute ns of an offset (per-lane origins when the model has them, else the dataset's). */
function abs(m: Model, lane: LaneData, offset: number): bigint {
  const origin = (lane as LaneData & { originSec?: number }).originSec ?? m.originSec;
  return BigInt(origin) * 1_000_000_000n + BigInt(offset);
}

const byLabel = (m: Model, label: string) => {
  const lane = m.lanes.find((l) => l.info.label === label);
  if (!lane) throw new Error(`no lane "${label}" among ${m.lanes.map((l) => l.info.label).join(", ")}`);
  return lane;
};
const totalSpans = (m: Model) => m.lanes.reduce((n, l) => n + l.spans.start.length, 0);
const totalMarkers = (m: Model) => m.lanes.reduce((n, l) => n + l.markers.t.length, 0);

describe("speedscope's trace-event samples", () => {
  it("simple.json: B/E and X on one lane, 4 spans, the tdur-only one included", async () => {
    const m = await hidden("speedscope/simple.json");
    expect(m.lanes).toHaveLength(1);
    const s = spans(m.lanes[0]).map((x) => [x.name, x.depth, x.start, x.end]);
    // ts in µs from 0; epsilon has no dur, only its thread duration (tdur 4).
    expect(s).toEqual([
      ["alpha", 0, 0, 14_000],
      ["beta", 1, 1_000, 13_000],
      ["gamma", 2, 2_000, 7_000],
      ["epsilon", 2, 7_000, 11_000],
    ]);
    expect(spans(m.lanes[0])[2].args).toEqual({ detail: "foobar" });
  });

  it("simple-partial.json: an array without its closing bracket still gives 4 spans", async () => {
    const m = await hidden("speedscope/simple-partial.json");
    expect(spans(m.lanes[0]).map((x) => x.name)).toEqual(["alpha", "beta", "gamma", "epsilon"]);
    expect(m.files[0].warnings.some((w) => /ends before it closes/.test(w))).toBe(true);
  });

  it("multiprocess.json: 4 pids × 2 tids, named by their metadata: 8 lanes of 1 span", async () => {
    const m = await hidden("speedscope/multiprocess.json");
    expect(m.lanes).toHaveLength(8);
    expect(totalSpans(m)).toBe(8);
    expect(m.lanes.map((l) => l.info.label).sort()).toEqual(
      ["p0t0", "p0t1", "p1t0", "p1t1", "p2t0", "p2t1", "thread 0", "thread 1"].sort(),
    );
    expect(byLabel(m, "p1t1").info.group).toBe("trace:p1");
    expect(spans(byLabel(m, "p1t1"))[0].name).toBe("delta");
    // pid 3 has a process name but no thread names.
    expect(m.lanes.filter((l) => l.info.group === "trace:p3").map((l) => spans(l)[0].name)).toEqual(
      expect.arrayContaining(["zeta", "eta"]),
    );
  });

  it("only-begin-events.json: 3 B without E are 3 open spans", async () => {
    const m = await hidden("speedscope/only-begin-events.json");
    const s = spans(m.lanes[0]);
    expect(s.map((x) => x.name)).toEqual(["A", "B", "C"]);
    expect(s.every((x) => x.flags & 1)).toBe(true);
  });

  it("a Chrome 116 DevTools trace: 2456 X on 12 threads, 97 I markers, nothing else as spans", async () => {
    const m = await hidden("speedscope/Trace-20230603T221323.json");
    expect(m.lanes).toHaveLength(12);
    expect(totalSpans(m)).toBe(2456);
    expect(totalMarkers(m)).toBe(97);
    const main = m.lanes.find((l) => l.info.label === "CrBrowserMain" && l.spans.start.length === 1732);
    expect(main?.info.group).toBe("trace:Browser");
    // ts counts from boot: the earliest event (ts 9632361274) sits at metadata.startTime.
    const firstX = Math.min(...m.lanes.map((l) => l.spans.start[0]));
    const lane = m.lanes.find((l) => l.spans.start[0] === firstX)!;
    expect(abs(m, lane, firstX)).toBe(1685855600473000000n + (9632390457n - 9632361274n) * 1000n);
    expect(m.files[0].warnings.some((w) => /counts from boot/.test(w))).toBe(true);
    expect(m.files[0].warnings.some((w) => /234 "b" \(async\)/.test(w))).toBe(true);
  });
});

describe("catapult's test data", () => {
  it("nanoseconds.json: fractional µs are exact ns, 0 to 3021 ns, whatever displayTimeUnit says", async () => {
    const m = await hidden("catapult/nanoseconds.json");
    expect(m.lanes).toHaveLength(1);
    const l = m.lanes[0];
    expect(spans(l).map((x) => [x.name, Number(abs(m, l, x.start)), Number(abs(m, l, x.end))])).toEqual([
      ["us1", 0, 1100],
      ["us2", 1100, 1300],
      ["us3", 1300, 1600],
      ["us4", 1700, 2100],
      ["ns1", 3000, 3011],
      ["ns2", 3011, 3013],
      ["ns3", 3013, 3016],
      ["ns4", 3017, 3021],
    ]);
  });

  it("simple_trace.json: 12 spans (11 + 1), 6 markers of every scope, 1 counter of 5 samples", async () => {
    const m = await hidden("catapult/simple_trace.json");
    // threadC has only its name: no empty lane for it.
    expect(m.lanes.map((l) => l.info.label).sort()).toEqual(["threadA", "threadB"]);
    const a = byLabel(m, "threadA");
    const b = byLabel(m, "threadB");
    expect(a.spans.start.length).toBe(11);
    expect(spans(b).map((x) => [x.name, x.end - x.start])).toEqual([["A", 27_000]]);
    // The process-wide and the global instant land on the process's main thread.
    const at = (l: LaneData) => markers(l).map((x) => [x.name, Number(abs(m, l, x.t)) / 1e3]);
    expect(at(a).sort()).toEqual([
      ["GlobalEvent1", 880],
      ["ProcessWideEvent1", 835],
      ["ThreadLevelI1", 835],
      ["ThreadLevelI2", 837],
    ]);
    expect(at(b)).toEqual([
      ["ThreadLevelImmediate Three", 835],
      ["ThreadLevelImmediate4", 845],
    ]);
    const c = counter(a, "counter")!;
    expect(c.v).toEqual([10, 1, 5, 1, 10]);
    expect(c.t.map((t) => Number(abs(m, a, t)))).toEqual([826e3, 832e3, 839e3, 848e3, 854e3]);
    expect(a.counters).toHaveLength(1);
    // The E with an empty name closes "A long name…" (the B on top of the stack).
    const long = spans(a).find((x) => x.name.startsWith("A long name"))!;
    expect(long.end - long.start).toBe(7_000);
  });
});

describe("PyTorch profiler (Kineto) traces", () => {
  it("gpu_metrics_input.json: string tids, a GPU stream and the profiler's own row are 4 lanes", async () => {
    const m = await hidden("kineto/gpu_metrics_input.json");
    expect(m.lanes.map((l) => [l.info.label, l.spans.start.length]).sort()).toEqual([
      ["GPU 0 stream 7", 32],
      ["PyTorch Profiler", 1],
      ["thread 24572", 116],
      ["thread 24610", 105],
    ]);
    expect(totalSpans(m)).toBe(254);
    // No distributedInfo: no rank. Older Kineto: ts is epoch µs.
    expect(m.lanes.every((l) => l.info.rank == null)).toBe(true);
    const prof = byLabel(m, "PyTorch Profiler");
    expect(abs(m, prof, prof.spans.start[0])).toBe(1621401187223005000n);
    expect(prof.spans.end[0] - prof.spans.start[0]).toBe(13_896_000);
    expect(byLabel(m, "GPU 0 stream 7").info.device).toBe("GPU 0");
    expect(byLabel(m, "thread 24572").info.state?.thread).toBe("thread 24572 (python)");
    // Flow events name tid 24572 as a number: same thread, no fifth lane.
    expect(m.files[0].warnings.some((w) => /32 "s" \(flow\)/.test(w))).toBe(true);
  });

  it("the rank-34 gzipped trace: rank 34 of 300, times from baseTimeNanoseconds, exact to the ns", async () => {
    const m = await hidden("kineto/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz");
    expect(m.lanes).toHaveLength(4);
    expect(totalSpans(m)).toBe(16);
    expect(totalMarkers(m)).toBe(2);
    for (const l of m.lanes) expect([l.info.rank, l.info.worldSize]).toEqual([34, 300]);
    expect(m.lanes.map((l) => l.info.label).sort()).toEqual([
      "rank 34 · PyTorch Profiler",
      "rank 34 · thread 1074",
      "rank 34 · thread 3553",
      "rank 34 · thread 3554",
    ]);
    const first = m.lanes.map((l) => abs(m, l, l.spans.start[0])).sort()[0];
    expect(first).toBe(1721065959525586016n);
    // 1719853884000000000 + 1212075548353.304 µs, and a dur of 173209.713 µs.
    const t = spans(byLabel(m, "rank 34 · thread 3553"))[0];
    const lane = byLabel(m, "rank 34 · thread 3553");
    expect(t.name).toBe("gloo:all_reduce");
    expect(abs(m, lane, t.start)).toBe(1721065959548353304n);
    expect(t.end - t.start).toBe(173_209_713);
    // "Record Window End" (pid "", tid "") lands on the main thread, not a lane of its own.
    expect(markers(byLabel(m, "rank 34 · thread 1074")).map((x) => x.name)).toEqual([
      "Iteration Start: PyTorch Profiler",
      "Record Window End",
    ]);
    expect(m.files[0].path).toBe("x.json");
  });
});

describe("a damaged PyTorch trace", () => {
  it("the rank-34 trace cut off mid-gzip keeps its rank and every event before the cut", async () => {
    const whole = read("kineto/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz");
    const m = await ingestFiles({ "rank34.json.gz": whole.subarray(0, Math.floor(whole.length * 0.8)) });
    const f = m.files[0];
    expect(f.format).toBe("chrome-trace");
    expect(f.errors.map((e) => e.message).join()).toMatch(/gzip data is damaged or cut off/);
    // baseTimeNanoseconds sat at the end: lost with it, and said so.
    expect(f.warnings.some((w) => /no "baseTimeNanoseconds"/.test(w))).toBe(true);
    expect(f.records).toBeGreaterThan(0);
    expect(totalSpans(m)).toBe(f.records);
    for (const l of m.lanes) expect([l.info.rank, l.info.worldSize]).toEqual([34, 300]);
  });
});
