import { describe, expect, it } from "vitest";
import type { LaneData, Model } from "../../../shared/model/types";
import { counter, ingestFiles, markers, spans } from "../helpers";
import { kineto } from "../kinetoTrace";

/** Absolute ns of an offset (per-lane origins when the model has them, else the dataset's). */
function abs(m: Model, lane: LaneData, offset: number): bigint {
  const origin = (lane as LaneData & { originSec?: number }).originSec ?? m.originSec;
  return BigInt(origin) * 1_000_000_000n + BigInt(offset);
}

const label = (m: Model, text: string) => {
  const lane = m.lanes.find((l) => l.info.label === text);
  if (!lane) throw new Error(`no lane "${text}" among ${m.lanes.map((l) => l.info.label).join(", ")}`);
  return lane;
};

const cpuThread = (pid: number, tid: number) => [
  { name: "process_name", ph: "M", ts: 0, pid, tid: 0, args: { name: "python" } },
  { name: "process_labels", ph: "M", ts: 0, pid, tid: 0, args: { labels: "CPU" } },
  { name: "thread_name", ph: "M", ts: 0, pid, tid, args: { name: `thread ${tid} (python)` } },
];

describe("PyTorch profiler traces", () => {
  const base = "1721065959000000001"; // odd: a double cannot hold it
  const events = [
    ...cpuThread(24572, 24572),
    { ph: "X", cat: "cpu_op", name: "aten::mm", pid: 24572, tid: 24572, ts: 1000.123, dur: 20.456 },
    { ph: "X", cat: "kernel", name: "sm90_gemm", pid: 0, tid: 7, ts: 1010.001, dur: 5.5 },
    { name: "process_labels", ph: "M", ts: 0, pid: 0, tid: 0, args: { labels: "GPU 0" } },
    { name: "thread_name", ph: "M", ts: 0, pid: 0, tid: 7, args: { name: "stream 7 " } },
    // A thread known only by its name: no lane.
    { name: "thread_name", ph: "M", ts: 0, pid: 24572, tid: 999, args: { name: "thread 999 (idle)" } },
  ];

  for (const envelopeLast of [false, true]) {
    it(`places ts on baseTimeNanoseconds exactly, the base ${envelopeLast ? "after" : "before"} the events`, async () => {
      const m = await ingestFiles({ "w.json": kineto({ rank: 3, world: 8, base, envelopeLast, events }) });
      expect(m.files[0].errors).toEqual([]);
      const cpu = label(m, "rank 3 · thread 24572");
      const gpu = label(m, "rank 3 · GPU 0 stream 7");
      expect(m.lanes).toHaveLength(2);
      expect(abs(m, cpu, cpu.spans.start[0])).toBe(1721065959000000001n + 1000123n);
      expect(cpu.spans.end[0] - cpu.spans.start[0]).toBe(20_456);
      expect(abs(m, gpu, gpu.spans.start[0])).toBe(1721065959000000001n + 1010001n);
      for (const l of m.lanes) expect([l.info.rank, l.info.worldSize]).toEqual([3, 8]);
      expect(cpu.info.group).toBe(gpu.info.group);
    });
  }

  it("older traces (no base) hold epoch µs; one too long for a double still keeps its ns", async () => {
    const text = kineto({
      events: [{ ph: "X", name: "aten::add", pid: 1, tid: 1, ts: 0, dur: 1.001 }],
    }).replace('"ts":0', '"ts": 1621401187223005.123');
    const m = await ingestFiles({ "old.json": text });
    const l = m.lanes[0];
    expect(abs(m, l, l.spans.start[0])).toBe(1621401187223005123n);
    expect(l.spans.end[0] - l.spans.start[0]).toBe(1001);
  });

  it("string pids and tids never merge: two string CPU threads, a GPU stream, the profiler row", async () => {
    const m = await ingestFiles({
      "t.json": kineto({
        events: [
          { ph: "X", name: "a", pid: 24572, tid: "24572", ts: 1621401187223197, dur: 21 },
          { ph: "X", name: "b", pid: 24572, tid: "24610", ts: 1621401187223198, dur: 5 },
          { ph: "X", name: "Memcpy HtoD", pid: 0, tid: "stream 7", ts: 1621401187224556, dur: 1 },
          {
            ph: "X",
            name: "PyTorch Profiler (0)",
            pid: "Traces",
            tid: "PyTorch Profiler",
            ts: 1621401187223005,
            dur: 9,
          },
        ],
      }),
    });
    expect(m.lanes.map((l) => l.info.label).sort()).toEqual([
      "GPU 0 stream 7",
      "PyTorch Profiler",
      "thread 24572",
      "thread 24610",
    ]);
  });

  it("a folder of rank files is one job, ordered by rank; a run from another day is another", async () => {
    const rankFile = (rank: number, baseNs: string) =>
      kineto({
        rank,
        world: 2,
        base: baseNs,
        events: [
          ...cpuThread(100 + rank, 100 + rank),
          { ph: "X", name: "ProfilerStep#1", pid: 100 + rank, tid: 100 + rank, ts: 5, dur: 100 },
        ],
      });
    const m = await ingestFiles({
      "run/host-b_101.1721065959000000000.pt.trace.json": rankFile(1, "1721065959000000000"),
      "run/host-a_100.1721065959000000000.pt.trace.json": rankFile(0, "1721065959000000000"),
      "run/host-a_100.1721152359000000000.pt.trace.json": rankFile(0, "1721152359000000000"),
    });
    const groups = [...new Set(m.lanes.map((l) => l.info.group))];
    expect(groups).toHaveLength(2);
    const first = m.lanes.filter((l) => l.info.group === groups[0]);
    expect(first.map((l) => [l.info.label, l.info.node])).toEqual([
      ["rank 0 · thread 100", "host-a"],
      ["rank 1 · thread 101", "host-b"],
    ]);
    expect(groups[0]).toBe("pytorch:run · 2 ranks · 2024-07-15 17:52:39");
    expect(groups[1]).toBe("pytorch:run · 2 ranks · 2024-07-16 17:52:39");
  });
});

describe("Chrome trace details other tools accept", () => {
  it("C events with an id are their own series, one per name[id] and args key", async () => {
    const m = await ingestFiles({
      "c.json": JSON.stringify([
        { ph: "X", name: "work", pid: 1, tid: 1, ts: 1700000000000000, dur: 10 },
        { ph: "C", name: "mem", id: 1, pid: 1, tid: 1, ts: 1700000000000001, args: { bytes: 10 } },
        { ph: "C", name: "mem", id: 2, pid: 1, tid: 1, ts: 1700000000000002, args: { bytes: 20 } },
        { ph: "C", name: "mem", id: 1, pid: 1, tid: 1, ts: 1700000000000003, args: { bytes: 11 } },
        { ph: "C", name: "io", id: "disk0", pid: 1, tid: 1, ts: 1700000000000004, args: { r: 1, w: 2 } },
      ]),
    });
    const l = m.lanes[0];
    expect(l.counters.map((c) => c.name).sort()).toEqual(["io[disk0].r", "io[disk0].w", "mem[1]", "mem[2]"]);
    expect(counter(l, "mem[1]")!.v).toEqual([10, 11]);
    expect(counter(l, "mem[2]")!.v).toEqual([20]);
  });

  it("ts and dur given as strings are read exactly", async () => {
    const m = await ingestFiles({
      "s.json": JSON.stringify({
        traceEvents: [
          { ph: "X", name: "a", pid: 1, tid: 1, ts: "1700000000000000.5", dur: "2.25" },
          { ph: "i", s: "t", name: "mark", pid: 1, tid: 1, ts: "1700000000000003" },
          { ph: "X", name: "bad", pid: 1, tid: 1, ts: "soon", dur: 1 },
        ],
      }),
    });
    const l = m.lanes[0];
    expect(abs(m, l, l.spans.start[0])).toBe(1700000000000000500n);
    expect(l.spans.end[0] - l.spans.start[0]).toBe(2250);
    expect(markers(l).map((x) => abs(m, l, x.t))).toEqual([1700000000000003000n]);
    expect(m.files[0].errors).toEqual([{ line: 1, message: 'X event "bad" has no valid "ts"' }]);
    expect(spans(l)).toHaveLength(1);
  });
});
