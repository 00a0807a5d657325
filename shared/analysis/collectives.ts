/**
 * Collectives of a training step (NCCL, gloo) as barrier occurrences.
 *
 * A PyTorch profiler trace shows each rank's side of a collective twice: the CPU op that
 * issued it (`nccl:all_reduce`, `gloo:all_reduce`, the `record_param_comms` that wraps it) and,
 * for NCCL, the GPU kernel that ran it (`ncclDevKernel_AllReduce_…`, `ncclKernel_…`). A kernel
 * cannot finish before every rank's kernel has started, so kernels are barriers in the full
 * sense: the last to start kept the others waiting, and their ends are one real instant.
 * NCCL's CPU ops only enqueue the kernel: their starts still say who called late, but their
 * ends are not shared; gloo's run the whole collective, so theirs are.
 *
 * Occurrences are matched across ranks by the sequence number Kineto copies from c10d
 * (`Seq`, per process group) where there is one, else by order: the n-th `nccl:all_reduce`
 * of a rank meets the n-th of every other rank of the job.
 */
import type { LaneData } from "../model/types";
import { SpanFlag } from "../model/types";
import type { BarrierOccurrence } from "./barriers";

type Side = "cpu" | "gpu";

interface Kind {
  side: Side;
  /** The ends are one instant on every rank (see the module comment). */
  exitsTogether: boolean;
  /** Which of two nested CPU spans of one call to keep: a backend op over its wrapper. */
  priority: number;
}

const CPU_OP = /^(nccl|rccl|gloo|mpi|ucc|xccl|hccl):[A-Za-z_]/;
const SYNC_CPU_OP = /^(gloo|mpi|ucc):/;
const PARAM_COMMS = "record_param_comms";
const GPU_KERNEL = /^(nccl|rccl)(Dev)?Kernel_/;

export function collectiveKind(name: string): Kind | null {
  if (GPU_KERNEL.test(name)) return { side: "gpu", exitsTogether: true, priority: 2 };
  if (CPU_OP.test(name)) return { side: "cpu", exitsTogether: SYNC_CPU_OP.test(name), priority: 2 };
  if (name === PARAM_COMMS) return { side: "cpu", exitsTogether: false, priority: 1 };
  return null;
}

export function isCollective(name: string): boolean {
  return collectiveKind(name) !== null;
}

interface Item {
  lane: LaneData;
  kind: Kind;
  name: string;
  start: number;
  end: number;
  flags: number;
  seq: number | null;
  pg: string | null;
}

interface CollectiveArgs {
  seq: number | null;
  pg: string | null;
  collective: string | null;
}

function argsReader(lane: LaneData): (index: number) => CollectiveArgs {
  const cache = new Map<number, CollectiveArgs>();
  return (index) => {
    let a = cache.get(index);
    if (a) return a;
    a = { seq: null, pg: null, collective: null };
    const text = lane.strings[index];
    if (text) {
      try {
        const raw = JSON.parse(text) as Record<string, unknown>;
        const seq = typeof raw.Seq === "string" ? Number(raw.Seq) : raw.Seq;
        if (typeof seq === "number" && Number.isInteger(seq)) a.seq = seq;
        const pg = raw["Process Group Name"];
        if (typeof pg === "string" || typeof pg === "number") a.pg = String(pg);
        if (typeof raw["Collective name"] === "string") a.collective = raw["Collective name"] as string;
      } catch {
        // Our own builder wrote it; unreadable args just carry no sequence number.
      }
    }
    cache.set(index, a);
    return a;
  };
}

/** A lane's collective spans, one per call: of nested CPU spans the backend op wins. */
function laneItems(lane: LaneData): Item[] {
  const { spans, strings } = lane;
  const kinds = new Map<number, Kind | null>();
  const argsOf = argsReader(lane);
  const out: Item[] = [];
  let lastCpu = -1;
  // Spans are sorted by start, so a wrapper comes before the op nested in it.
  for (let i = 0; i < spans.start.length; i++) {
    const nameId = spans.name[i];
    let kind = kinds.get(nameId);
    if (kind === undefined) kinds.set(nameId, (kind = collectiveKind(strings[nameId])));
    if (!kind) continue;
    const args = argsOf(spans.args[i]);
    const raw = strings[nameId];
    const name =
      kind.side === "gpu"
        ? raw.replace(/\(.*$/, "")
        : raw === PARAM_COMMS && args.collective
          ? `${PARAM_COMMS} (${args.collective})`
          : raw;
    const item: Item = {
      lane,
      kind,
      name,
      start: spans.start[i],
      end: spans.end[i],
      flags: spans.flags[i],
      seq: args.seq,
      pg: args.pg,
    };
    if (kind.side === "cpu" && lastCpu >= 0 && item.start < out[lastCpu].end) {
      // One call seen as wrapper and op: keep the one with a sequence number, else the op.
      const rank = (x: Item) => (x.seq !== null ? 10 : 0) + x.kind.priority;
      if (rank(item) > rank(out[lastCpu])) out[lastCpu] = item;
      continue;
    }
    if (kind.side === "cpu") lastCpu = out.length;
    out.push(item);
  }
  return out;
}

/**
 * Every collective that ranks of one job met, as occurrences barrier analysis reads like
 * Skulk's `*_barrier` phases. A rank's CPU threads (and its GPU streams) count as one
 * participant. Lanes without a rank are left out: two threads of one process calling
 * collectives are not two ranks meeting.
 */
export function collectiveOccurrences(lanes: LaneData[]): BarrierOccurrence[] {
  const participants = new Map<string, Item[]>();
  for (const lane of lanes) {
    if (lane.info.rank == null) continue;
    const items = laneItems(lane);
    if (!items.length) continue;
    const who = `${lane.info.group}\u0000${lane.info.rank}`;
    const list = participants.get(who);
    if (list) list.push(...items);
    else participants.set(who, items);
  }
  const byKey = new Map<string, BarrierOccurrence>();
  for (const items of participants.values()) {
    items.sort((a, b) => a.start - b.start);
    const order = new Map<string, number>();
    const met = new Set<string>();
    for (const it of items) {
      const pg = it.pg ?? "";
      let lineKey: string;
      let occurrence: number;
      if (it.seq !== null) {
        lineKey = `${it.kind.side}\u0000seq\u0000${pg}`;
        occurrence = it.seq;
      } else {
        lineKey = `${it.kind.side}\u0000${it.name}\u0000${pg}`;
        occurrence = order.get(lineKey) ?? 0;
        order.set(lineKey, occurrence + 1);
      }
      const key = `${it.lane.info.group}\u0000${lineKey}\u0000${occurrence}`;
      if (met.has(key)) continue;
      met.add(key);
      let occ = byKey.get(key);
      if (!occ) {
        occ = {
          group: it.lane.info.group,
          phase: it.name,
          taskId: it.pg !== null ? `process group ${it.pg}` : null,
          occurrence,
          visits: [],
          exitsTogether: it.kind.exitsTogether,
        };
        byKey.set(key, occ);
      }
      occ.visits.push({
        lane: it.lane,
        enter: it.flags & SpanFlag.TruncatedStart ? null : it.start,
        exit: it.flags & SpanFlag.Open ? null : it.end,
      });
    }
  }
  return [...byKey.values()];
}
