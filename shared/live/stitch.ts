/**
 * Stitching: every poll of Skulk's cluster timeline is a window onto each runner's
 * 128-entry flight-recorder ring. Merged here into one history per runner that outgrows
 * the ring: overlapping windows count an entry once, and where a window no longer
 * overlaps what we hold and the ring was full, the entries between were evicted unseen:
 * that is recorded as a gap, never papered over.
 */

import { int, isObject, str, type JsonObject } from "../formats/types";
import { TimeBase } from "../model/time";
import { isPyIso, Interner, RunnerHistory, type Incoming, type Memory } from "./history";

/** Entries Skulk keeps per runner (RunnerSupervisorDiagnostics.flight_recorder). */
export const RING_SIZE = 128;

export interface Gap {
  runnerId: string;
  nodeId: string | null;
  /** `at` of the newest entry held before the poll, exactly as received. */
  from: string;
  /** `at` of the oldest entry in the poll's window for this runner. */
  to: string;
  durationNs: number;
  /** `generatedAt` of the poll that showed the gap. */
  seenIn: string | null;
}

export interface MergeResult {
  /** Entries in the poll. */
  entries: number;
  added: number;
  duplicates: number;
  rejected: number;
  /** The first rejected entry's problem, for a warning. */
  firstError: string | null;
  gaps: Gap[];
}

export interface StitchOptions {
  ringSize?: number;
  /**
   * When the server caps the merged timeline at this many entries, a full timeline cuts
   * every runner's window at its oldest entry (a gap for runners we last saw before it).
   */
  timelineCap?: number | null;
}

/** A runner's `runners[]` synopsis (state at generatedAt) and when it was seen. */
export interface Synopsis {
  raw: JsonObject;
  /** Offset of the poll's generatedAt (see `time`), and the string itself. */
  seenAt: number;
  seenIn: string | null;
}

/** Lifted onto each timeline entry from the runner's state: not part of an entry's identity. */
const LIFTED = new Set(["at", "runnerId", "nodeId", "deviceRank", "worldSize"]);
/** Skulk's field order, so a written entry reads as Skulk writes one. */
const BODY_ORDER = ["phase", "event", "detail", "attrs", "taskId", "commandId"];

/** JSON with object keys sorted at every depth: one text per value, whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export class Stitcher {
  /** Exact instants as float64 ns offsets from one whole-second origin (exact for 104 days). */
  readonly time = new TimeBase();
  readonly strings = new Interner();
  readonly gaps: Gap[] = [];
  readonly synopses = new Map<string, Synopsis>();
  private readonly runners = new Map<string, RunnerHistory>();
  private readonly ringSize: number;
  private readonly timelineCap: number | null;

  /** Fields of the latest poll, as received. */
  latest: {
    generatedAt: string | null;
    generatedT: number | null;
    localNodeId: unknown;
    masterNodeId: unknown;
    unreachableNodes: unknown[];
  } = { generatedAt: null, generatedT: null, localNodeId: null, masterNodeId: null, unreachableNodes: [] };
  first: string | null = null;
  polls = 0;

  constructor(opts: StitchOptions = {}) {
    this.ringSize = opts.ringSize ?? RING_SIZE;
    this.timelineCap = opts.timelineCap ?? null;
  }

  /** Merges one `GET /v1/diagnostics/cluster/timeline` document. */
  merge(doc: JsonObject): MergeResult {
    const result: MergeResult = {
      entries: 0,
      added: 0,
      duplicates: 0,
      rejected: 0,
      firstError: null,
      gaps: [],
    };
    const generatedAt = str(doc.generatedAt);
    const generatedT = generatedAt === null ? null : this.time.fromIso(generatedAt);
    this.polls++;
    this.first ??= generatedAt;
    this.latest = {
      generatedAt,
      generatedT,
      localNodeId: doc.localNodeId ?? null,
      masterNodeId: doc.masterNodeId ?? null,
      unreachableNodes: Array.isArray(doc.unreachableNodes) ? doc.unreachableNodes : [],
    };
    if (Array.isArray(doc.runners)) {
      for (const r of doc.runners) {
        const id = isObject(r) ? str(r.runnerId) : null;
        if (id) this.synopses.set(id, { raw: r as JsonObject, seenAt: generatedT ?? 0, seenIn: generatedAt });
      }
    }
    const timeline = Array.isArray(doc.timeline) ? doc.timeline : [];
    result.entries = timeline.length;
    const byRunner = new Map<string, Incoming[]>();
    timeline.forEach((raw, i) => {
      const parsed = this.parse(raw, i);
      if (typeof parsed === "string") {
        result.rejected++;
        result.firstError ??= parsed;
        return;
      }
      const [runner, e] = parsed;
      let list = byRunner.get(runner.runnerId);
      if (!list) byRunner.set(runner.runnerId, (list = []));
      list.push(e);
    });
    // A capped timeline holds nothing older than its oldest entry, for any runner.
    let cutAt: number | null = null;
    if (this.timelineCap !== null && timeline.length >= this.timelineCap) {
      for (const list of byRunner.values())
        for (const e of list) if (cutAt === null || e.t < cutAt) cutAt = e.t;
    }
    for (const [runnerId, list] of byRunner) {
      const h = this.runners.get(runnerId)!;
      list.sort((a, b) => a.t - b.t); // stable: ties keep the poll's order
      const newest = h.newest;
      const evicted = list.length >= this.ringSize || (cutAt !== null && newest !== null && newest < cutAt);
      if (newest !== null && list[0].t > newest && evicted) {
        const gap: Gap = {
          runnerId,
          nodeId: h.nodeId,
          from: h.atString(h.n - 1, this.time.originSec),
          to: list[0].rawAt,
          durationNs: list[0].t - newest,
          seenIn: generatedAt,
        };
        this.gaps.push(gap);
        result.gaps.push(gap);
      }
      this.mergeRunner(h, list, result);
    }
    return result;
  }

  /** Entries of one instant are matched one to one, so repeats within a poll survive. */
  private mergeRunner(h: RunnerHistory, list: Incoming[], result: MergeResult): void {
    for (let i = 0; i < list.length;) {
      const t = list[i].t;
      let j = i;
      while (j < list.length && list[j].t === t) j++;
      const lo = h.lowerBound(t);
      let hi = lo;
      while (hi < h.n && h.t[hi] === t) hi++;
      const matched = new Uint8Array(hi - lo);
      const fresh: Incoming[] = [];
      for (let k = i; k < j; k++) {
        let found = false;
        for (let m = lo; m < hi; m++) {
          if (!matched[m - lo] && h.same(m, list[k])) {
            matched[m - lo] = 1;
            found = true;
            break;
          }
        }
        if (found) result.duplicates++;
        else fresh.push(list[k]);
      }
      for (const e of fresh) h.insert(hi++, e);
      result.added += fresh.length;
      i = j;
    }
  }

  private parse(raw: unknown, index: number): [RunnerHistory, Incoming] | string {
    if (!isObject(raw)) return `timeline[${index}] is not an object`;
    const runnerId = str(raw.runnerId);
    const rawAt = str(raw.at);
    if (!runnerId) return `timeline[${index}] has no runnerId`;
    const t = rawAt === null ? null : this.time.fromIso(rawAt);
    if (t === null || rawAt === null)
      return `timeline[${index}] has no valid "at" (${JSON.stringify(raw.at)})`;
    if (!str(raw.phase) || !str(raw.event)) return `timeline[${index}] lacks "phase" or "event"`;
    let h = this.runners.get(runnerId);
    if (!h) this.runners.set(runnerId, (h = new RunnerHistory(runnerId)));
    h.nodeId = str(raw.nodeId) ?? h.nodeId;
    h.deviceRank = int(raw.deviceRank) ?? h.deviceRank;
    h.worldSize = int(raw.worldSize) ?? h.worldSize;
    const memory = this.memory(raw.mlxMemory);
    const parts: string[] = [];
    const add = (k: string) => parts.push(`${JSON.stringify(k)}:${canonicalJson(raw[k])}`);
    for (const k of BODY_ORDER) if (k in raw) add(k);
    const rest = Object.keys(raw)
      .filter((k) => !LIFTED.has(k) && !BODY_ORDER.includes(k) && !(memory && k === "mlxMemory"))
      .sort();
    for (const k of rest) add(k);
    return [
      h,
      {
        t,
        body: this.strings.id(parts.join(",")),
        at: isPyIso(rawAt, t, this.time.originSec) ? null : rawAt,
        rawAt,
        memory,
      },
    ];
  }

  /** Columns for a snapshot in exactly Skulk's shape; null keeps it in the body as received. */
  private memory(m: unknown): Memory | null {
    if (!isObject(m)) return null;
    const keys = Object.keys(m);
    if (keys.length !== 6) return null;
    const at = str(m.generatedAt);
    const source = str(m.source);
    if (at === null || source === null) return null;
    const t = this.time.fromIso(at);
    if (t === null || !isPyIso(at, t, this.time.originSec)) return null;
    const bytes = (v: unknown): number | null => {
      if (v === null) return NaN;
      if (!isObject(v) || Object.keys(v).length !== 1 || !Number.isSafeInteger(v.inBytes)) return null;
      return v.inBytes as number;
    };
    const active = bytes(m.active);
    const cache = bytes(m.cache);
    const peak = bytes(m.peak);
    const wiredLimit = bytes(m.wiredLimit);
    if (active === null || cache === null || peak === null || wiredLimit === null) return null;
    return { t, active, cache, peak, wiredLimit, source: this.strings.id(source) };
  }

  runnerIds(): string[] {
    return [...this.runners.keys()];
  }

  history(runnerId: string): RunnerHistory | undefined {
    return this.runners.get(runnerId);
  }

  /** Entries held for a runner (0 when unknown). */
  count(runnerId: string): number {
    return this.runners.get(runnerId)?.n ?? 0;
  }

  get size(): number {
    let n = 0;
    for (const h of this.runners.values()) n += h.n;
    return n;
  }

  get bytes(): number {
    let n = 0;
    for (const h of this.runners.values()) n += h.bytes;
    for (const s of this.strings.values) n += s.length + 32;
    return n;
  }

  /** Entry i of a runner as the JSON text of a ClusterTimelineEntry. */
  entryJson(h: RunnerHistory, i: number): string {
    const origin = this.time.originSec;
    const mem = h.memoryJson(i, origin, this.strings);
    return (
      `{"at":${JSON.stringify(h.atString(i, origin))},"nodeId":${JSON.stringify(h.nodeId)},` +
      `"runnerId":${JSON.stringify(h.runnerId)},"deviceRank":${h.deviceRank},"worldSize":${h.worldSize},` +
      `${this.strings.values[h.body[i]]}${mem === null ? "" : `,"mlxMemory":${mem}`}}`
    );
  }

  /** Entries of a runner as objects (tests and small views; the snapshot streams text). */
  entries(runnerId: string): JsonObject[] {
    const h = this.runners.get(runnerId);
    if (!h) return [];
    return Array.from({ length: h.n }, (_, i) => JSON.parse(this.entryJson(h, i)) as JsonObject);
  }
}
