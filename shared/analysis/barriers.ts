/**
 * Barrier occurrences: the same barrier (one instance, one barrier phase, one task, n-th
 * time) as seen by every rank that reached it. Clock estimation reads their exits (one real
 * instant on every rank); straggler detection reads their enters (who kept the rest waiting).
 * Collectives of PyTorch traces are barriers too (see collectives.ts).
 */
import { PYTORCH_PROFILER } from "../formats/chrome/kineto";
import { phaseFamily } from "../model/phases";
import type { LaneData } from "../model/types";
import { SpanFlag } from "../model/types";
import { collectiveOccurrences, isCollective } from "./collectives";

/** One rank's stay in one barrier; times are the lane's own (unshifted) offsets. */
export interface BarrierVisit {
  lane: LaneData;
  /** null when the enter was not observed (ring buffer evicted it). */
  enter: number | null;
  /** null when the rank is still inside at the end of the data. */
  exit: number | null;
}

export interface BarrierOccurrence {
  group: string;
  phase: string;
  taskId: string | null;
  /** 0 for the first time this lane met (phase, task), 1 for the second, ... */
  occurrence: number;
  visits: BarrierVisit[];
  /**
   * Every rank leaves at one real instant (a barrier's release), so exits can calibrate
   * clocks. False for an NCCL op on the CPU, which returns once the kernel is queued.
   */
  exitsTogether: boolean;
}

/** Depth-0 phases that hold a rank until every rank of its group arrives. */
export function isBarrierPhase(name: string): boolean {
  return phaseFamily(name) === "barrier";
}

/** `args.taskId` of a span, parsed once per distinct args string of the lane. */
function taskIdReader(lane: LaneData): (argsIndex: number) => string | null {
  const cache = new Map<number, string | null>();
  return (index) => {
    let id = cache.get(index);
    if (id !== undefined) return id;
    id = null;
    const text = lane.strings[index];
    if (text) {
      try {
        const raw = (JSON.parse(text) as { taskId?: unknown }).taskId;
        if (typeof raw === "string" || typeof raw === "number") id = String(raw);
      } catch {
        // args are written by our own builder; a bad one just means "no task".
      }
    }
    cache.set(index, id);
    return id;
  };
}

/**
 * Groups every lane's barrier spans into occurrences. Occurrences are matched by task id and
 * by order within the task: a barrier keyed by task is met once per task on every rank, so a
 * ring buffer that lost older tasks on one rank does not shift the match of newer ones.
 * Barriers without a task id are matched by order alone, which needs equal histories.
 */
export function barrierOccurrences(lanes: LaneData[]): BarrierOccurrence[] {
  return [...phaseOccurrences(lanes), ...collectiveOccurrences(lanes)];
}

function phaseOccurrences(lanes: LaneData[]): BarrierOccurrence[] {
  const byKey = new Map<string, BarrierOccurrence>();
  for (const lane of lanes) {
    // A profiler's depth-0 "sync" or "wait" op is not a cross-rank barrier; its collectives are.
    if (lane.info.state?.profiler === PYTORCH_PROFILER) continue;
    const { spans, strings } = lane;
    const taskOf = taskIdReader(lane);
    const seen = new Map<string, number>();
    for (let i = 0; i < spans.start.length; i++) {
      if (spans.depth[i] !== 0) continue;
      const phase = strings[spans.name[i]];
      if (!isBarrierPhase(phase) || isCollective(phase)) continue;
      const taskId = taskOf(spans.args[i]);
      const laneKey = `${phase}\u0000${taskId ?? ""}`;
      const occurrence = seen.get(laneKey) ?? 0;
      seen.set(laneKey, occurrence + 1);
      const key = `${lane.info.group}\u0000${laneKey}\u0000${occurrence}`;
      let occ = byKey.get(key);
      if (!occ) {
        occ = { group: lane.info.group, phase, taskId, occurrence, visits: [], exitsTogether: true };
        byKey.set(key, occ);
      }
      const flags = spans.flags[i];
      occ.visits.push({
        lane,
        enter: flags & SpanFlag.TruncatedStart ? null : spans.start[i],
        exit: flags & SpanFlag.Open ? null : spans.end[i],
      });
    }
  }
  return [...byKey.values()];
}

/** Median of a non-empty list (sorts a copy). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median absolute deviation from the median: a spread one outlier cannot inflate. */
export function mad(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}
