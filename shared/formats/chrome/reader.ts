/**
 * Reads one Chrome trace file's events into per-thread buffers. Nothing reaches the model
 * until the whole file is read: Kineto may put `baseTimeNanoseconds` and `distributedInfo`
 * after `traceEvents`, and a lane's identity (rank, names) is only known then.
 */
import type { FileReportBuilder } from "../../ingest/report";
import { argsText, type ArgsText } from "../../model/builder";
import { f64, sortOrder, u32, u8 } from "../../model/columns";
import { MarkerKind, SpanFlag, type LaneInfo, type MarkerKindValue } from "../../model/types";
import type { JsonObject } from "../types";
import { isObject, num, str } from "../types";
import { durationNs, TraceClock } from "./clock";

export interface SpanItem {
  start: number;
  end: number;
  name: string;
  /**
   * Args as text, without the keys that became flags or the depth: a trace's spans are held
   * until the whole file is read, and their parsed args were most of a reader's memory.
   */
  args: ArgsText;
  /** The depth `args.depth` gives; null: from nesting. */
  depth: number | null;
  line: number;
  flags: number;
}

/**
 * A thread's spans as columns. A trace's spans are all held until the file is read, and as
 * objects (two boxed doubles each) they took twice the memory.
 */
export class SpanList {
  readonly start = f64();
  readonly end = f64();
  /** NaN: from nesting. */
  readonly depth = f64();
  readonly line = u32();
  readonly flags = u8();
  readonly name: string[] = [];
  readonly args: ArgsText[] = [];

  get length(): number {
    return this.name.length;
  }

  push(s: SpanItem): void {
    this.start.push(s.start);
    this.end.push(s.end);
    this.depth.push(s.depth ?? NaN);
    this.line.push(s.line);
    this.flags.push(s.flags);
    this.name.push(s.name);
    this.args.push(s.args);
  }

  /** Indexes in start order, the longer first at one start (a parent before its children). */
  order(): Uint32Array | null {
    const start = this.start.toArray();
    const end = this.end.toArray();
    for (let i = 0; i < end.length; i++) end[i] = -end[i];
    return sortOrder(start, end);
  }
}

export interface MarkerItem {
  t: number;
  name: string;
  kind: MarkerKindValue;
  args: JsonObject | null;
  line: number;
}

/** One (pid, tid) of the file; times are ns from the file's clock anchor. */
export interface Thread {
  key: string;
  pid: string;
  tid: string;
  /** First event args naming a rank or node (Skulk's traces carry them on every span). */
  hint: JsonObject | null;
  spans: SpanList;
  /** B events waiting for their E. */
  stack: SpanItem[];
  markers: MarkerItem[];
  counters: Map<string, { t: number[]; v: number[] }>;
}

/** An instant or counter that belongs to a process or to the whole trace, not to a thread. */
interface Scoped {
  scope: "p" | "g";
  pid: string;
  tid: string;
  marker?: MarkerItem;
  counter?: { series: string; t: number; v: number };
}

const KIND_BY_NAME: Record<string, MarkerKindValue> = {
  info: MarkerKind.Info,
  warning: MarkerKind.Warning,
  error: MarkerKind.Error,
  exception: MarkerKind.Exception,
  cancel: MarkerKind.Cancel,
  crash: MarkerKind.Crash,
  peak: MarkerKind.Peak,
  critical: MarkerKind.Critical,
};

/** Phases read as something else (async spans, flows, samples, objects): counted, not shown. */
const NOT_SHOWN: Record<string, string> = {
  b: "async",
  e: "async",
  n: "async",
  S: "async",
  T: "async",
  F: "async",
  s: "flow",
  t: "flow",
  f: "flow",
  P: "sample",
  O: "object",
  N: "object",
  D: "object",
  R: "mark",
  V: "memory dump",
  v: "memory dump",
  c: "context",
  "(": "context",
  ")": "context",
};

/** pid/tid as text: Kineto writes `"24572"` in one event and `24572` in the next. */
function idOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return "";
}

export class TraceReader {
  readonly clock = new TraceClock();
  readonly threads = new Map<string, Thread>();
  readonly processNames = new Map<string, string>();
  readonly processLabels = new Map<string, string>();
  readonly threadNames = new Map<string, string>();
  /** Lane identities written by Rankscope's own export (`args.rankscope`). */
  readonly identities = new Map<string, Partial<LaneInfo>>();
  private readonly scoped: Scoped[] = [];
  private readonly notShown = new Map<string, number>();
  /** Earliest and latest time seen, ns from the anchor. */
  min = Infinity;
  max = -Infinity;

  constructor(private readonly report: FileReportBuilder) {}

  /** Threads by pid, then tid: found without building the key of every event. */
  private readonly byPid = new Map<string, Map<string, Thread>>();
  private last: Thread | null = null;

  thread(pid: string, tid: string, hint?: JsonObject | null): Thread {
    let t: Thread | null | undefined = this.last;
    if (!t || t.pid !== pid || t.tid !== tid) {
      let tids = this.byPid.get(pid);
      if (!tids) this.byPid.set(pid, (tids = new Map()));
      t = tids.get(tid);
      if (!t) {
        const key = `${pid}\u0000${tid}`;
        t = { key, pid, tid, hint: null, spans: new SpanList(), stack: [], markers: [], counters: new Map() };
        tids.set(tid, t);
        this.threads.set(key, t);
      }
      this.last = t;
    }
    if (!t.hint && hint && (typeof hint.rank === "number" || typeof hint.node_id === "string")) t.hint = hint;
    return t;
  }

  /** Names and args texts already held (see `shared`). */
  private readonly texts = new Map<string, string>();

  /**
   * One string for every repeat of a text (JSON.parse makes each value its own): a trace
   * holds its spans' names and args until the whole file is read.
   */
  private shared(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    if (this.texts.size < MAX_SHARED_TEXTS) this.texts.set(text, text);
    return text;
  }

  private argsText(args: JsonObject | null, drop: readonly string[]): ArgsText {
    const text = argsText(args && without(args, drop));
    return typeof text === "string" ? this.shared(text) : text;
  }

  private seen(t: number): void {
    if (t < this.min) this.min = t;
    if (t > this.max) this.max = t;
  }

  event(raw: unknown, line: number): void {
    if (!isObject(raw)) return this.report.error(line, "trace event is not an object");
    const ph = str(raw.ph);
    if (!ph) return this.report.error(line, 'trace event has no "ph"');
    const pid = idOf(raw.pid);
    const tid = idOf(raw.tid);
    const name = this.shared(str(raw.name) ?? "");
    const args = isObject(raw.args) ? raw.args : null;
    if (ph === "M") return this.metadata(name, pid, tid, args);
    const t = this.clock.local(raw.ts);
    if (t === null) return this.report.error(line, `${ph} event "${name}" has no valid "ts"`);
    this.report.records++;
    this.seen(t);
    switch (ph) {
      case "X": {
        const dur = durationNs(raw.dur) ?? durationNs(raw.tdur) ?? 0;
        const end = t + Math.max(dur, 0);
        this.seen(end);
        const flags =
          (args?.open ? SpanFlag.Open : 0) |
          (args?.truncatedStart ? SpanFlag.TruncatedStart : 0) |
          (args?.inferred ? SpanFlag.Inferred : 0) |
          (args?.error ? SpanFlag.Error : 0);
        this.thread(pid, tid, args).spans.push({
          start: t,
          end,
          name,
          args: this.argsText(args, SPAN_KEYS),
          depth: depthOf(args),
          line,
          flags,
        });
        return;
      }
      case "B":
        this.thread(pid, tid, args).stack.push({
          start: t,
          end: t,
          name,
          args: this.argsText(args, DEPTH_KEY),
          depth: depthOf(args),
          line,
          flags: 0,
        });
        return;
      case "E": {
        const thread = this.thread(pid, tid, args);
        const open = thread.stack.pop();
        if (!open)
          return this.report.warnOnce("unmatched-E", `line ${line}: an "E" event without its "B" (ignored)`);
        thread.spans.push({
          start: open.start,
          end: t,
          name: open.name || name,
          args: open.args,
          depth: open.depth,
          line: open.line,
          flags: open.flags,
        });
        return;
      }
      case "i":
      case "I": {
        const kind =
          KIND_BY_NAME[str(args?.kind) ?? ""] ??
          (/error|fail|exception/i.test(name) ? MarkerKind.Error : MarkerKind.Info);
        const { kind: _kind, ...rest } = args ?? {};
        void _kind;
        const marker = { t, name, kind, args: rest, line };
        const scope = str(raw.s);
        if (scope === "g" || scope === "p" || !tid)
          this.scoped.push({ scope: scope === "g" ? "g" : "p", pid, tid, marker });
        else this.thread(pid, tid, args).markers.push(marker);
        return;
      }
      case "C":
        return this.counter(raw, name, pid, tid, t, args);
      default:
        this.notShown.set(ph, (this.notShown.get(ph) ?? 0) + 1);
    }
  }

  private counter(
    raw: JsonObject,
    name: string,
    pid: string,
    tid: string,
    t: number,
    args: JsonObject | null,
  ) {
    // Trace Event Format: a counter with an id is its own series, "name[id]".
    const id = raw.id === undefined || raw.id === null ? "" : `[${String(raw.id)}]`;
    const cat = str(raw.cat);
    if (!args) return;
    // Most counters carry one value ({"value": n}): counted first, so no list is built.
    let values = 0;
    for (const k in args) if (num(args[k]) !== null) values++;
    if (!values) return;
    for (const k in args) {
      const v = num(args[k]);
      if (v === null) continue;
      // Rankscope's own export names a series by `cat`; others by name (and key when several).
      const series =
        cat && values === 1 && k === "value" && this.identities.has(`${pid}\u0000${tid}`)
          ? cat
          : values === 1
            ? `${name}${id}`
            : `${name}${id}.${k}`;
      if (!tid) this.scoped.push({ scope: "p", pid, tid, counter: { series, t, v } });
      else pushCounter(this.thread(pid, tid), series, t, v);
    }
  }

  private metadata(name: string, pid: string, tid: string, args: JsonObject | null): void {
    const value = str(args?.name);
    const key = `${pid}\u0000${tid}`;
    if (name === "process_name" && value) this.processNames.set(pid, value);
    else if (name === "process_labels" && str(args?.labels)) this.processLabels.set(pid, str(args?.labels)!);
    else if (name === "thread_name") {
      if (value) this.threadNames.set(key, value);
      if (isObject(args?.rankscope)) {
        this.identities.set(key, args.rankscope as Partial<LaneInfo>);
        // An exported lane exists even when it held nothing.
        this.thread(pid, tid);
      }
    }
  }

  /**
   * Every thread that holds something, with process- and trace-wide instants placed on a
   * lane of their process (else the trace's main thread), never on a lane of their own
   * unless there is no other.
   */
  resolve(): Thread[] {
    const order = [...this.threads.values()];
    const main = () => order.find((t) => t.tid === t.pid && t.pid !== "") ?? order[0];
    for (const s of this.scoped) {
      let target =
        (s.tid ? this.threads.get(`${s.pid}\u0000${s.tid}`) : undefined) ??
        (s.pid
          ? (this.threads.get(`${s.pid}\u0000${s.pid}`) ?? order.find((t) => t.pid === s.pid))
          : undefined) ??
        (s.scope === "g" ? main() : undefined);
      if (!target) {
        target = this.thread(s.pid, s.tid);
        order.push(target);
      }
      if (s.marker) target.markers.push(s.marker);
      if (s.counter) pushCounter(target, s.counter.series, s.counter.t, s.counter.v);
    }
    this.scoped.length = 0;
    for (const t of order) {
      for (const open of t.stack) t.spans.push({ ...open, end: open.start, flags: SpanFlag.Open });
      t.stack.length = 0;
    }
    if (this.notShown.size) {
      const parts = [...this.notShown].map(([ph, n]) => `${n} "${ph}" (${NOT_SHOWN[ph] ?? "unknown"})`);
      this.report.warn(`events not shown: ${parts.join(", ")}`);
    }
    return order.filter(
      (t) => t.spans.length || t.markers.length || t.counters.size || this.identities.has(t.key),
    );
  }
}

function pushCounter(thread: Thread, series: string, t: number, v: number): void {
  let c = thread.counters.get(series);
  if (!c) thread.counters.set(series, (c = { t: [], v: [] }));
  c.t.push(t);
  c.v.push(v);
}

/** Keys of a span's args that its flags or depth stand for. */
const SPAN_KEYS = ["open", "truncatedStart", "inferred", "error", "depth"];
const DEPTH_KEY = ["depth"];
/** Distinct texts shared at most: a trace whose every span differs gains nothing more. */
const MAX_SHARED_TEXTS = 100_000;

function depthOf(args: JsonObject | null): number | null {
  return typeof args?.depth === "number" ? args.depth : null;
}

/** `args` without `keys`, copied only when it has one of them. */
function without(args: JsonObject, keys: readonly string[]): JsonObject {
  for (const k of keys)
    if (k in args) return Object.fromEntries(Object.entries(args).filter(([key]) => !keys.includes(key)));
  return args;
}
