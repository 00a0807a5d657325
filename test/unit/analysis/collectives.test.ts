/**
 * NCCL collectives of PyTorch profiler traces as barriers: who arrived last (Findings) and
 * what the kernels' shared ends say about the hosts' clocks (Clocks).
 */
import { describe, expect, it } from "vitest";
import { estimateClockOffsets } from "../../../shared/analysis/clock";
import { stragglers } from "../../../shared/analysis/stragglers";
import { ingestFiles } from "../helpers";
import { kineto } from "../kinetoTrace";

const MS = 1000; // µs
const KERNEL = "ncclDevKernel_AllReduce_Sum_f32_RING_LL(ncclDevKernelArgsStorage<4096ul>)";

interface Call {
  /** True time the rank calls the collective, µs from the base. */
  at: number;
  /** True time the kernel finishes on every rank (one instant), µs. */
  release: number;
  seq?: number;
}

/** One rank's file: a DDP-like step per call, CPU op inside record_param_comms, and its kernel. */
function rankTrace(rank: number, calls: Call[], clockAheadUs: number): string {
  const pid = 1000 + rank;
  const events: Record<string, unknown>[] = [
    { name: "thread_name", ph: "M", ts: 0, pid, tid: pid, args: { name: `thread ${pid} (python)` } },
    { name: "process_labels", ph: "M", ts: 0, pid: 0, tid: 0, args: { labels: "GPU 0" } },
    { name: "thread_name", ph: "M", ts: 0, pid: 0, tid: 7, args: { name: "stream 7" } },
  ];
  const local = (t: number) => Number((t + clockAheadUs).toFixed(3));
  calls.forEach((c, i) => {
    const comms = { "Collective name": "allreduce", "Process Group Name": "0", "Group size": 2 };
    events.push(
      {
        ph: "X",
        cat: "user_annotation",
        name: `ProfilerStep#${i}`,
        pid,
        tid: pid,
        ts: local(c.at - 20 * MS),
        dur: 30 * MS,
      },
      // Not a barrier across ranks, though "sync" sounds like one.
      {
        ph: "X",
        cat: "cuda_runtime",
        name: "cudaStreamSynchronize",
        pid,
        tid: pid,
        ts: local(c.at - 30 * MS),
        dur: rank * MS + 1,
      },
      {
        ph: "X",
        cat: "cpu_op",
        name: "record_param_comms",
        pid,
        tid: pid,
        ts: local(c.at),
        dur: 50,
        args: c.seq === undefined ? comms : { ...comms, Seq: c.seq },
      },
      { ph: "X", cat: "cpu_op", name: "nccl:all_reduce", pid, tid: pid, ts: local(c.at + 1), dur: 40 },
      {
        ph: "X",
        cat: "kernel",
        name: KERNEL,
        pid: 0,
        tid: 7,
        ts: local(c.at + 10),
        dur: c.release - c.at - 10,
      },
    );
  });
  return kineto({ rank, world: 2, base: "1721065959000000000", events });
}

/** Three steps; at the second, rank 1 calls the all_reduce 5 ms after rank 0. */
function twoRanks(lateUs = 5 * MS) {
  const steps = [10, 110, 210].map((t) => t * MS);
  const rank0 = steps.map((at) => ({ at }));
  const rank1 = steps.map((at, i) => ({ at: at + (i === 1 ? lateUs : 1 * MS) }));
  // The kernel ends 1 ms after the last rank's kernel started, on both ranks at once.
  const release = steps.map((_, i) => Math.max(rank0[i].at, rank1[i].at) + 10 + 1 * MS);
  return {
    rank0: rank0.map((c, i) => ({ ...c, release: release[i] })),
    rank1: rank1.map((c, i) => ({ ...c, release: release[i] })),
  };
}

describe("NCCL collectives are barriers", () => {
  it("a rank that reaches an all_reduce 5 ms late is the last to arrive", async () => {
    const { rank0, rank1 } = twoRanks();
    const m = await ingestFiles({
      "job/host-a_1000.1721065959000.pt.trace.json": rankTrace(0, rank0, 0),
      "job/host-b_1001.1721065959000.pt.trace.json": rankTrace(1, rank1, 0),
    });
    const late = stragglers(m.lanes).filter((s) => s.lateNs > 0);
    const top = late[0];
    expect(top.last.rank).toBe(1);
    expect(top.lateNs).toBe(5e6);
    expect(top.occurrence).toBe(1);
    expect(top.worldSize).toBe(2);
    expect(top.arrivals.map((a) => a.rank)).toEqual([0, 1]);
    // The CPU op and its GPU kernel both saw it; the wrapper is the same call, not a third.
    const atSecond = late.filter((s) => s.occurrence === 1).map((s) => [s.phase, s.lateNs]);
    expect(atSecond.sort()).toEqual([
      ["nccl:all_reduce", 5e6],
      ["ncclDevKernel_AllReduce_Sum_f32_RING_LL", 5e6],
    ]);
    expect(late.some((s) => /record_param_comms|cudaStreamSynchronize|ProfilerStep/.test(s.phase))).toBe(
      false,
    );
  });

  it("kernel ends, one instant on every rank, give the hosts' clock offset; CPU enqueue ends do not", async () => {
    const { rank0, rank1 } = twoRanks();
    // host-b's clock reads 2 ms ahead. Its CPU ops end 3, 7 and 3 ms after rank 0's (as read):
    // counted as barrier exits they would pull the estimate off 2 ms.
    const m = await ingestFiles({
      "job/host-a_1000.1721065959000.pt.trace.json": rankTrace(0, rank0, 0),
      "job/host-b_1001.1721065959000.pt.trace.json": rankTrace(1, rank1, 2 * MS),
    });
    const clock = estimateClockOffsets(m.lanes);
    expect(clock.reference).toBe("host-a");
    const b = clock.nodes.find((n) => n.node === "host-b")!;
    expect(b.offsetNs).toBe(2e6);
    expect(b.observations).toBe(3);
    // On the corrected timeline, rank 1 was 5 ms late (7 ms as its own clock read it).
    const top = stragglers(m.lanes, clock.perLane).filter((s) => s.lateNs > 0)[0];
    expect([top.last.rank, top.lateNs]).toEqual([1, 5e6]);
    expect(stragglers(m.lanes)[0].lateNs).toBe(7e6);
  });

  it("matches by c10d's Seq when Kineto gives it, even when one rank's window missed a call", async () => {
    const { rank0, rank1 } = twoRanks(4 * MS);
    // Rank 0's profile starts after its first all_reduce: by order, its first would meet
    // rank 1's first; by Seq, its seq 1 meets rank 1's seq 1.
    const withSeq = (calls: { at: number; release: number }[]) =>
      calls.map((c, i) => ({ ...c, seq: 40 + i }));
    const m = await ingestFiles({
      "job/a_1000.1721065959000.pt.trace.json": rankTrace(0, withSeq(rank0).slice(1), 0),
      "job/b_1001.1721065959000.pt.trace.json": rankTrace(1, withSeq(rank1), 0),
    });
    const cpu = stragglers(m.lanes).filter((s) => s.phase === "record_param_comms (allreduce)");
    expect(cpu.map((s) => [s.occurrence, s.last.rank, s.lateNs]).sort()).toEqual([
      [41, 1, 4e6],
      [42, 1, 1e6],
    ]);
    expect(cpu[0].taskId).toBe("process group 0");
  });
});
