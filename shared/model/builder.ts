import { Column, dropRepeats, f64, permute, sortOrder, u32, u8 } from "./columns";
import { laneExtent } from "./dataset";
import { deeperThan, serialisableCopy } from "./depth";
import { TimeBase } from "./time";
import type { CounterSeries, LaneData, LaneInfo, MarkerKindValue } from "./types";
import { SpanFlag } from "./types";

export interface SpanInput {
  start: number;
  end: number;
  name: string;
  depth?: number;
  flags?: number;
  /** Extra fields shown on selection; stored as JSON text. */
  args?: Record<string, unknown> | null;
  /** The args already as text (from argsText), for a reader that holds spans until the end. */
  argsText?: ArgsText;
  line?: number;
  /** Source file index; defaults to the file being read. */
  file?: number;
}

export interface MarkerInput {
  t: number;
  name: string;
  kind: MarkerKindValue;
  args?: Record<string, unknown> | null;
  line?: number;
  file?: number;
}

/** Interns strings per lane so repeated phase names and args cost one table entry. */
class StringTable {
  readonly strings: string[] = [""];
  private readonly index = new Map<string, number>([["", 0]]);

  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** The args text of a span or marker back as an object ({} when there are none). */
export function parseArgs(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Args as JSON text. A value nested past MAX_VALUE_DEPTH would overflow the stack here or
 * wherever the args are shown or exported, so it is cut and the file is told; a BigInt or
 * a cycle (a format's slip) is written as far as it can be rather than failing the file.
 */
export function argsText(args: Record<string, unknown> | null | undefined): ArgsText {
  if (!args) return "";
  let any = false;
  let nested = false;
  for (const k in args) {
    const v = args[k];
    if (v === undefined || v === null) continue;
    any = true;
    if (typeof v === "object") nested = true;
  }
  if (!any) return "";
  if (!nested || !deeperThan(args)) {
    try {
      return JSON.stringify(args);
    } catch {
      // Below: the copy has no BigInts and no cycles.
    }
  }
  const { value, cuts } = serialisableCopy(args);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    text = JSON.stringify({ unreadable: (e as Error).message });
  }
  return cuts ? { cut: text } : text;
}

/** Args as JSON text; `cut` when a value nested too deep was cut (the file is told). */
export type ArgsText = string | { cut: string };

/** Spans as columns, for LaneBuilder.spanBatch: depths final, times as the batch's offset takes them. */
export interface SpanBatch {
  start: Float64Array;
  end: Float64Array;
  depth: Uint8Array;
  flags: Uint8Array;
  line: Uint32Array;
  name: readonly string[];
  args: readonly ArgsText[];
}

/** Per file index, how many spans and markers had args cut for depth, and the first one's line. */
export type ArgsCuts = Map<number, { count: number; line: number }>;

/** One lane's columns; offsets are from the lane's own origin (a whole second). */
class LaneStore {
  readonly strings = new StringTable();
  readonly spanCols = {
    start: f64(),
    end: f64(),
    name: u32(),
    depth: u8(),
    flags: u8(),
    args: u32(),
    file: u32(),
    line: u32(),
  };
  readonly markerCols = { t: f64(), name: u32(), kind: u8(), args: u32(), file: u32(), line: u32() };
  readonly counters = new Map<string, { t: Column<Float64Array>; v: Column<Float64Array> }>();
  /** Fixed by the first time base that has one; null while nothing placed in time was added. */
  originSec: number | null = null;
  /** Inputs that gave this lane data: the lane ends where the latest of them ends. */
  readonly files = new Set<number>();
  lastFile = -1;
  /** An explicit end (a snapshot's time), as an offset from originSec. */
  endHint = -Infinity;

  constructor(public info: LaneInfo) {}

  /** Fills identity fields that are still unknown (later files may know the layer range). */
  mergeInfo(info: Partial<LaneInfo>): void {
    const target = this.info as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(info)) {
      if (v === undefined || v === null) continue;
      if (k === "state") {
        this.info.state = { ...this.info.state, ...(v as LaneInfo["state"]) };
      } else if (target[k] === undefined || target[k] === null) {
        target[k] = v;
      }
    }
  }
}

/**
 * What a format writes a lane through. Its offsets are those of one TimeBase (one input's,
 * or a collector's own); the writer re-expresses them against the lane's origin, so a lane
 * fed by several inputs keeps every instant exact, and inputs years apart never share an origin.
 */
export class LaneBuilder {
  constructor(
    private readonly store: LaneStore,
    private readonly time: TimeBase,
    private readonly builder: ModelBuilder,
  ) {}

  get info(): LaneInfo {
    return this.store.info;
  }

  mergeInfo(info: Partial<LaneInfo>): void {
    this.store.mergeInfo(info);
  }

  /** Shift from this writer's time base to the lane's origin (exact: whole seconds). */
  private shift(): number {
    if (!this.time.hasOrigin) return 0;
    const o = this.time.originSec;
    const store = this.store;
    if (store.originSec === null) store.originSec = o;
    return o === store.originSec ? 0 : (o - store.originSec) * 1e9;
  }

  /**
   * The input data belongs to: the one being read, or between inputs (a collector's
   * `finish()` replaying what it gathered) the lane's latest one.
   */
  private get file(): number {
    const f = this.builder.fileIndex;
    return f >= 0 ? f : Math.max(this.store.lastFile, 0);
  }

  /** Interns the args text; args cut for depth are counted for the file's warning. */
  private args(
    args: Record<string, unknown> | null | undefined,
    file: number,
    line = 0,
    text: ArgsText = argsText(args),
  ): number {
    if (typeof text === "string") return this.store.strings.id(text);
    const seen = this.builder.argsCuts.get(file);
    if (seen) seen.count++;
    else this.builder.argsCuts.set(file, { count: 1, line });
    return this.store.strings.id(text.cut);
  }

  private touch(file: number, t: number): void {
    if (file !== this.store.lastFile) {
      this.store.files.add(file);
      this.store.lastFile = file;
    }
    this.builder.reach(file, this.time, t);
  }

  span(s: SpanInput): void {
    const c = this.store.spanCols;
    const d = this.shift();
    const file = s.file ?? this.file;
    c.start.push(s.start + d);
    c.end.push(Math.max(s.end, s.start) + d);
    c.name.push(this.store.strings.id(s.name));
    c.depth.push(s.depth ?? 0);
    c.flags.push(s.flags ?? 0);
    c.args.push(this.args(s.args, file, s.line, s.argsText));
    c.file.push(file);
    c.line.push(s.line ?? 0);
    // An open span's end is where the format chose to stop it, not data the input holds.
    this.touch(file, s.flags && s.flags & SpanFlag.Open ? s.start : Math.max(s.end, s.start));
  }

  /**
   * Many spans at once, as span() adds them one by one (a trace's thread, held until its
   * file was read), in `order` (indexes into the batch; null: as they are), `offset` added to
   * their times. Written column by column: one call per span and per value cost a trace's
   * parse worker a tenth of its time.
   */
  spanBatch(b: SpanBatch, order: Uint32Array | null, offset: number): void {
    const n = b.start.length;
    if (!n) return;
    const c = this.store.spanCols;
    const d = this.shift();
    const file = this.file;
    const at = c.start.length;
    const start = c.start.room(n);
    const end = c.end.room(n);
    const name = c.name.room(n);
    const depth = c.depth.room(n);
    const flags = c.flags.room(n);
    const args = c.args.room(n);
    const files = c.file.room(n);
    const line = c.line.room(n);
    const strings = this.store.strings;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      const j = at + k;
      // The same sums, in the same order, as span() of { start: offset + start, ... }.
      const s0 = offset + b.start[i];
      const s1 = Math.max(offset + b.end[i], s0);
      start[j] = s0 + d;
      end[j] = s1 + d;
      name[j] = strings.id(b.name[i]);
      depth[j] = b.depth[i];
      flags[j] = b.flags[i];
      args[j] = this.args(null, file, b.line[i], b.args[i]);
      files[j] = file;
      line[j] = b.line[i];
      this.touch(file, b.flags[i] & SpanFlag.Open ? s0 : s1);
    }
    for (const col of [c.start, c.end, c.name, c.depth, c.flags, c.args, c.file, c.line]) col.length += n;
  }

  marker(m: MarkerInput): void {
    const c = this.store.markerCols;
    const file = m.file ?? this.file;
    c.t.push(m.t + this.shift());
    c.name.push(this.store.strings.id(m.name));
    c.kind.push(m.kind);
    c.args.push(this.args(m.args, file, m.line));
    c.file.push(file);
    c.line.push(m.line ?? 0);
    this.touch(file, m.t);
  }

  counter(name: string, t: number, v: number): void {
    if (!Number.isFinite(v) || !Number.isFinite(t)) return;
    let series = this.store.counters.get(name);
    if (!series) {
      series = { t: f64(), v: f64() };
      this.store.counters.set(name, series);
    }
    series.t.push(t + this.shift());
    series.v.push(v);
    this.touch(this.file, t);
  }

  /** A series' samples at once, as counter() adds them one by one, `offset` added to their times. */
  counterBatch(name: string, t: ArrayLike<number>, v: ArrayLike<number>, offset: number): void {
    const file = this.file;
    let series: { t: Column<Float64Array>; v: Column<Float64Array> } | undefined;
    let d = 0;
    let ts: Float64Array = new Float64Array(0);
    let vs = ts;
    let m = 0;
    for (let i = 0; i < t.length; i++) {
      const ti = offset + t[i];
      const vi = v[i];
      if (!Number.isFinite(vi) || !Number.isFinite(ti)) continue;
      // Where counter() would first shift and make the series: not for a batch of nothing.
      if (!series) {
        d = this.shift();
        series = this.store.counters.get(name);
        if (!series) this.store.counters.set(name, (series = { t: f64(), v: f64() }));
        m = series.t.length;
        ts = series.t.room(t.length - i);
        vs = series.v.room(t.length - i);
      }
      ts[m] = ti + d;
      vs[m] = vi;
      m++;
      this.touch(file, ti);
    }
    if (series) series.t.length = series.v.length = m;
  }

  /**
   * The lane's data runs at least to `t` (the time a snapshot was taken): a phase still open
   * in it lasts until then, not only until its last record.
   */
  endAt(t: number): void {
    if (!Number.isFinite(t)) return;
    const e = t + this.shift();
    if (e > this.store.endHint) this.store.endHint = e;
  }

  get spanCount(): number {
    return this.store.spanCols.start.length;
  }

  get markerCount(): number {
    return this.store.markerCols.t.length;
  }
}

/** Sorted, compact lane data; `fileEnd(f)` is where input f ends, as an offset from `originSec`. */
function buildLane(store: LaneStore, fileEnd: (file: number, originSec: number) => number): LaneData {
  const s = store.spanCols;
  const start = s.start.toArray();
  const depth = s.depth.toArray();
  const spanOrder = sortOrder(start, Float64Array.from(depth));
  const m = store.markerCols;
  const mt = m.t.toArray();
  const markerOrder = sortOrder(mt);
  const counters: CounterSeries[] = [];
  for (const [name, series] of store.counters) {
    const raw = series.t.toArray();
    const order = sortOrder(raw);
    counters.push({ name, ...dropRepeats(permute(raw, order), permute(series.v.toArray(), order)) });
  }
  counters.sort((a, b) => a.name.localeCompare(b.name));
  const originSec = store.originSec ?? 0;
  const lane: LaneData = {
    info: store.info,
    originSec,
    end: 0,
    strings: store.strings.strings,
    spans: {
      start: permute(start, spanOrder),
      end: permute(s.end.toArray(), spanOrder),
      name: permute(s.name.toArray(), spanOrder),
      depth: permute(depth, spanOrder),
      flags: permute(s.flags.toArray(), spanOrder),
      args: permute(s.args.toArray(), spanOrder),
      file: permute(s.file.toArray(), spanOrder),
      line: permute(s.line.toArray(), spanOrder),
    },
    markers: {
      t: permute(mt, markerOrder),
      name: permute(m.name.toArray(), markerOrder),
      kind: permute(m.kind.toArray(), markerOrder),
      args: permute(m.args.toArray(), markerOrder),
      file: permute(m.file.toArray(), markerOrder),
      line: permute(m.line.toArray(), markerOrder),
    },
    counters,
  };
  let end = Math.max(store.endHint, laneExtent(lane)?.[1] ?? -Infinity);
  for (const f of store.files) end = Math.max(end, fileEnd(f, originSec));
  lane.end = Number.isFinite(end) ? end : 0;
  return lane;
}

/**
 * Collects lanes for one ingest run. Each input gets its own TimeBase (`time`, replaced by
 * `setFile`), so inputs far apart in time keep their resolution; state that spans inputs
 * keeps a TimeBase of its own and passes it to `lane()`. Formats call `lane()` with a stable
 * id; a second call with the same id writes to the same lane (one rank seen in two files).
 */
export class ModelBuilder {
  private timeBase = new TimeBase();
  private readonly lanes = new Map<string, LaneStore>();
  private readonly writers = new WeakMap<TimeBase, Map<string, LaneBuilder>>();
  private file = 0;
  /** Spans and markers whose args were cut for depth, per file index (the pipeline warns). */
  readonly argsCuts: ArgsCuts = new Map();
  /** Per input, its latest instant: the time base it was read in and the offset. */
  private readonly ends: ({ time: TimeBase; t: number; approx: number } | undefined)[] = [];

  /** The current input's time base. */
  get time(): TimeBase {
    return this.timeBase;
  }

  get fileIndex(): number {
    return this.file;
  }

  /**
   * Subsequent data is attributed to this input, and read in a fresh time base; -1 once every
   * input is read (what collectors add then belongs to each lane's latest input).
   */
  setFile(index: number): void {
    this.file = index;
    this.timeBase = new TimeBase();
  }

  lane(info: LaneInfo, time: TimeBase = this.timeBase): LaneBuilder {
    let store = this.lanes.get(info.id);
    if (!store) {
      store = new LaneStore({ ...info });
      this.lanes.set(info.id, store);
    } else {
      store.mergeInfo(info);
    }
    let byId = this.writers.get(time);
    if (!byId) this.writers.set(time, (byId = new Map()));
    let writer = byId.get(info.id);
    if (!writer) byId.set(info.id, (writer = new LaneBuilder(store, time, this)));
    return writer;
  }

  /** Records that input `file` holds an instant at offset t of `time` (see LaneData.end). */
  reach(file: number, time: TimeBase, t: number): void {
    const approx = time.originSec * 1e9 + t;
    const e = this.ends[file];
    if (!e) this.ends[file] = { time, t, approx };
    else if (approx > e.approx) {
      e.time = time;
      e.t = t;
      e.approx = approx;
    }
  }

  hasLane(id: string): boolean {
    return this.lanes.has(id);
  }

  get laneCount(): number {
    return this.lanes.size;
  }

  build(): LaneData[] {
    const fileEnd = (f: number, originSec: number) => {
      const e = this.ends[f];
      return e ? e.t + (e.time.originSec - originSec) * 1e9 : -Infinity;
    };
    return [...this.lanes.values()].map((l) => buildLane(l, fileEnd));
  }
}

export { SpanFlag };
