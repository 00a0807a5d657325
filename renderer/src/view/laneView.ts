import { buildLaneLod, pickLevel, type LaneLod } from "../../../shared/model/lod";
import type { CounterSeries, LaneData } from "../../../shared/model/types";
import { MarkerKind, SpanFlag } from "../../../shared/model/types";

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
  lod: LaneLod;
}

/** Span columns as drawing reads them: raw spans or one level of detail. */
export interface SpanArrays {
  start: Float64Array;
  end: Float64Array;
  maxEnd: Float64Array;
  name: Uint32Array;
  depth: Uint8Array;
  flags: Uint8Array;
}

/** The spans to draw at `nsPerPx`: a merged level when raw spans would be sub-pixel. */
export function spansAt(view: LaneView, nsPerPx: number): SpanArrays {
  return pickLevel(view.lod.spans, nsPerPx) ?? { ...view.data.spans, maxEnd: view.maxEnd };
}

/** A counter's samples to draw at `nsPerPx`: bucket maxima when samples would be sub-pixel. */
export function samplesAt(
  view: LaneView,
  series: CounterSeries,
  nsPerPx: number,
): { t: Float64Array; v: Float64Array } {
  const i = view.data.counters.indexOf(series);
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
  return { data, base, maxEnd, memory: { area, line }, open, errorCount, lod };
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

/** Largest value a lane's memory drawing reaches (stacked area or line). */
export function memoryMax(view: LaneView): number {
  let max = 0;
  if (view.memory.area.length) {
    const [first, ...rest] = view.memory.area;
    for (let i = 0; i < first.v.length; i++) {
      let v = first.v[i];
      for (const r of rest) v += r.v[Math.min(i, r.v.length - 1)] ?? 0;
      if (v > max) max = v;
    }
  }
  if (view.memory.line) for (const v of view.memory.line.v) if (v > max) max = v;
  return max;
}
