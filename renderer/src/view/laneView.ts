import { buildLaneLod, pickLevel, type LaneLod } from "../../../shared/model/lod";
import type { CounterSeries, LaneData } from "../../../shared/model/types";
import { MarkerKind, SpanFlag } from "../../../shared/model/types";
import { pagedSamples, pagedSpans, type PagedView } from "./paged";
import type { SpanTile } from "./tiles";

/** What drawing needs of a lane beyond its raw columns, computed once per load. */
export interface LaneView {
  data: LaneData;
  /**
   * Where the lane's offsets sit on the axis: axis time = lane offset + base. Lanes keep their
   * own origin (exact times); the axis counts from the open dataset's (or run's) origin.
   */
  base: number;
  /** Running maximum of span ends in start order: finds the first span reaching a time. */
  maxEnd: Float64Array;
  /** The memory series drawn under the bands, largest first (stacked: active + cache). */
  memory: { area: CounterSeries[]; line: CounterSeries | null };
  /** The phase the lane is still in at the end of the data, if any. */
  open: { name: string; start: number; end: number } | null;
  errorCount: number;
  /** Of a paged lane: the levels that stay in memory only (the rest are in `paged`). */
  lod: LaneLod;
  /**
   * A big lane whose raw items live in time tiles (db/paging.ts). Its `data` then holds only
   * what stays in memory: depth-0 spans and collectives, markers, the strings they use, and
   * for each paged counter its finest resident level's last values (approximate samples).
   */
  paged?: PagedView;
}

/**
 * Span columns as drawing reads them: raw spans, one level of detail, or tiles of either,
 * with the string table their ids index (a tile's own, or the lane's) and the level drawn
 * (`k`: log2 of its bucket, or RAW (-1) for raw spans).
 */
export type SpanArrays = SpanTile & { k: number };

export interface Samples {
  t: Float64Array;
  v: Float64Array;
}

const WHOLE = { start: -Infinity, end: Infinity };

/**
 * The spans to draw at `nsPerPx` over `range` (lane offsets): a merged level when raw spans
 * would be sub-pixel. A paged lane answers from the tiles of the range when they are in
 * memory, else from a coarser level (never nothing), and asks for the tiles it lacked.
 */
export function spansAt(view: LaneView, nsPerPx: number, range = WHOLE): SpanArrays {
  if (view.paged?.index.spans) return pagedSpans(view, nsPerPx, range);
  const level = pickLevel(view.lod.spans, nsPerPx);
  return level
    ? { ...level, strings: view.data.strings }
    : { ...view.data.spans, maxEnd: view.maxEnd, strings: view.data.strings, k: -1 };
}

/** Spans at `nsPerPx` from what is in memory alone (the overview: drawn once, never waits). */
export function residentSpansAt(view: LaneView, nsPerPx: number): SpanArrays {
  const level = pickLevel(view.lod.spans, nsPerPx) ?? (view.paged?.index.spans ? view.lod.spans[0] : null);
  return level
    ? { ...level, strings: view.data.strings }
    : { ...view.data.spans, maxEnd: view.maxEnd, strings: view.data.strings, k: -1 };
}

/** Every distinct span name of the lane (ids into its strings), paged spans included. */
export function spanNameIds(view: LaneView): Iterable<number> {
  return view.paged?.index.spans ? view.paged.index.spanNames : new Set(view.data.spans.name);
}

/** Raw items of the whole lane, paged ones included. */
export function laneCounts(view: LaneView): { spans: number; markers: number; samples: number } {
  if (view.paged) return view.paged.index.counts;
  let samples = 0;
  for (const c of view.data.counters) samples += c.t.length;
  return { spans: view.data.spans.start.length, markers: view.data.markers.t.length, samples };
}

/** A counter's samples to draw at `nsPerPx`: bucket maxima when samples would be sub-pixel. */
export function samplesAt(view: LaneView, series: CounterSeries, nsPerPx: number, range = WHOLE): Samples {
  const i = view.data.counters.indexOf(series);
  if (i >= 0 && view.paged?.index.counters[i]) return pagedSamples(view, i, nsPerPx, range);
  const level = i >= 0 ? pickLevel(view.lod.counters[i] ?? [], nsPerPx) : null;
  return level ? { t: level.t, v: level.max } : series;
}

const AREA_SERIES: string[][] = [
  ["mlx.active", "mlx.cache"],
  ["allocator.allocated"],
  ["device.used"],
  ["memory.peak"],
];
const LINE_SERIES = ["mlx.peak", "allocator.reserved", "device.total"];

/** A lane's total shift onto the axis: its base plus the user's shift (clocks, manual offsets). */
export function laneShift(view: LaneView, shifts: Record<string, number>): number {
  return view.base + (shifts[view.data.info.id] ?? 0);
}

export function buildLaneView(
  data: LaneData,
  lod: LaneLod = buildLaneLod(data),
  axisOriginSec = data.originSec,
  paged?: PagedView,
): LaneView {
  const n = data.spans.start.length;
  const maxEnd = new Float64Array(n);
  let m = -Infinity;
  let open: LaneView["open"] = null;
  for (let i = 0; i < n; i++) {
    m = Math.max(m, data.spans.end[i]);
    maxEnd[i] = m;
    if (
      data.spans.flags[i] & SpanFlag.Open &&
      data.spans.depth[i] === 0 &&
      !isRestingPhase(data.strings[data.spans.name[i]])
    ) {
      open = { name: data.strings[data.spans.name[i]], start: data.spans.start[i], end: data.spans.end[i] };
    }
  }
  const byName = new Map(data.counters.map((c) => [c.name, c]));
  let area: CounterSeries[] = [];
  for (const names of AREA_SERIES) {
    const found = names.map((x) => byName.get(x)).filter((c): c is CounterSeries => !!c);
    if (found.length) {
      area = found;
      break;
    }
  }
  if (!area.length && data.counters.length) area = [data.counters[0]];
  const line = LINE_SERIES.map((x) => byName.get(x)).find((c) => !!c) ?? null;
  let errorCount = 0;
  for (const k of data.markers.kind)
    if (k >= 2 && k !== MarkerKind.Peak && k !== MarkerKind.Gap) errorCount++;
  const base = (data.originSec - axisOriginSec) * 1e9;
  return { data, base, maxEnd, memory: { area, line }, open, errorCount, lod, ...(paged ? { paged } : {}) };
}

/** Phases a runner may sit in forever without anything being wrong: not a hang. */
export function isRestingPhase(name: string): boolean {
  return name === "idle" || name === "created" || name === "completion";
}

/** Index of the first span whose end reaches `t` (spans sorted by start). */
export function firstSpanReaching(spans: { maxEnd: Float64Array }, t: number): number {
  let lo = 0;
  let hi = spans.maxEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans.maxEnd[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of a sorted array that is >= t. */
export function lowerBound(arr: Float64Array, t: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A series' values for its ceiling: a paged one's finest resident bucket maxima. */
function ceilingValues(view: LaneView, c: CounterSeries): Float64Array {
  const i = view.data.counters.indexOf(c);
  return (view.paged?.index.counters[i] && view.lod.counters[i]?.[0]?.max) || c.v;
}

/** Largest value a lane's memory drawing reaches (stacked area or line). */
export function memoryMax(view: LaneView): number {
  let max = 0;
  if (view.memory.area.length) {
    const [first, ...rest] = view.memory.area.map((c) => ceilingValues(view, c));
    for (let i = 0; i < first.length; i++) {
      let v = first[i];
      for (const r of rest) v += r[Math.min(i, r.length - 1)] ?? 0;
      if (v > max) max = v;
    }
  }
  if (view.memory.line) for (const v of ceilingValues(view, view.memory.line)) if (v > max) max = v;
  return max;
}
