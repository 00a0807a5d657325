import { Column, f64, permute, sortOrder, u32, u8 } from "./columns";
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
function argsText(args: Record<string, unknown> | null | undefined): string | { cut: string } {
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

/** Per file index, how many spans and markers had args cut for depth, and the first one's line. */
export type ArgsCuts = Map<number, { count: number; line: number }>;

export class LaneBuilder {
  private readonly strings = new StringTable();
  private readonly spanCols = {
    start: f64(),
    end: f64(),
    name: u32(),
    depth: u8(),
    flags: u8(),
    args: u32(),
    file: u32(),
    line: u32(),
  };
  private readonly markerCols = { t: f64(), name: u32(), kind: u8(), args: u32(), file: u32(), line: u32() };
  private readonly counters = new Map<string, { t: Column<Float64Array>; v: Column<Float64Array> }>();
  constructor(
    public info: LaneInfo,
    private readonly currentFile: { index: number },
    private readonly cuts: ArgsCuts = new Map(),
  ) {}

  private args(args: Record<string, unknown> | null | undefined, file: number, line = 0): number {
    const text = argsText(args);
    if (typeof text === "string") return this.strings.id(text);
    const seen = this.cuts.get(file);
    if (seen) seen.count++;
    else this.cuts.set(file, { count: 1, line });
    return this.strings.id(text.cut);
  }

  private get file(): number {
    return this.currentFile.index;
  }

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

  span(s: SpanInput): void {
    const c = this.spanCols;
    c.start.push(s.start);
    c.end.push(Math.max(s.end, s.start));
    c.name.push(this.strings.id(s.name));
    c.depth.push(s.depth ?? 0);
    c.flags.push(s.flags ?? 0);
    const file = s.file ?? this.file;
    c.args.push(this.args(s.args, file, s.line));
    c.file.push(file);
    c.line.push(s.line ?? 0);
  }

  marker(m: MarkerInput): void {
    const c = this.markerCols;
    c.t.push(m.t);
    c.name.push(this.strings.id(m.name));
    c.kind.push(m.kind);
    const file = m.file ?? this.file;
    c.args.push(this.args(m.args, file, m.line));
    c.file.push(file);
    c.line.push(m.line ?? 0);
  }

  counter(name: string, t: number, v: number): void {
    if (!Number.isFinite(v) || !Number.isFinite(t)) return;
    let series = this.counters.get(name);
    if (!series) {
      series = { t: f64(), v: f64() };
      this.counters.set(name, series);
    }
    series.t.push(t);
    series.v.push(v);
  }

  get spanCount(): number {
    return this.spanCols.start.length;
  }

  get markerCount(): number {
    return this.markerCols.t.length;
  }

  /** Sorted, compact lane data. */
  build(): LaneData {
    const s = this.spanCols;
    const start = s.start.toArray();
    const depth = s.depth.toArray();
    const spanOrder = sortOrder(start, Float64Array.from(depth));
    const m = this.markerCols;
    const mt = m.t.toArray();
    const markerOrder = sortOrder(mt);
    const counters: CounterSeries[] = [];
    for (const [name, series] of this.counters) {
      const raw = series.t.toArray();
      const order = sortOrder(raw);
      counters.push({ name, ...dropRepeats(permute(raw, order), permute(series.v.toArray(), order)) });
    }
    counters.sort((a, b) => a.name.localeCompare(b.name));
    return {
      info: this.info,
      strings: this.strings.strings,
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
  }
}

/**
 * Drops a sample equal in time and value to the one before it: the same snapshot read from
 * two files (a runner's flight recorder and the cluster timeline) says nothing twice.
 */
function dropRepeats(t: Float64Array, v: Float64Array): { t: Float64Array; v: Float64Array } {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    if (n > 0 && t[i] === t[n - 1] && v[i] === v[n - 1]) continue;
    t[n] = t[i];
    v[n] = v[i];
    n++;
  }
  return n === t.length ? { t, v } : { t: t.slice(0, n), v: v.slice(0, n) };
}

/**
 * Collects lanes for one ingest run. All lanes share one TimeBase, so offsets are
 * comparable across files. Formats call `lane()` with a stable id; a second call with the
 * same id returns the same lane (e.g. one rank seen in two files).
 */
export class ModelBuilder {
  readonly time: TimeBase;
  private readonly lanes = new Map<string, LaneBuilder>();
  private readonly currentFile = { index: 0 };
  /** Spans and markers whose args were cut for depth, per file index (the pipeline warns). */
  readonly argsCuts: ArgsCuts = new Map();

  constructor(time = new TimeBase()) {
    this.time = time;
  }

  /** Subsequent spans/markers are attributed to this file index. */
  setFile(index: number): void {
    this.currentFile.index = index;
  }

  lane(info: LaneInfo): LaneBuilder {
    let lane = this.lanes.get(info.id);
    if (!lane) {
      lane = new LaneBuilder({ ...info }, this.currentFile, this.argsCuts);
      this.lanes.set(info.id, lane);
    } else {
      lane.mergeInfo(info);
    }
    return lane;
  }

  hasLane(id: string): boolean {
    return this.lanes.has(id);
  }

  get laneCount(): number {
    return this.lanes.size;
  }

  build(): LaneData[] {
    return [...this.lanes.values()].map((l) => l.build());
  }
}

export { SpanFlag };
