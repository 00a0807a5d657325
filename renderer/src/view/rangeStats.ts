import { phaseFamily, type PhaseFamily } from "../../../shared/model/phases";
import type { CounterLevel } from "../../../shared/model/lod";
import type { CounterSeries } from "../../../shared/model/types";
import { groupLabel } from "./layout";
import { firstSpanReaching, lowerBound, type LaneView } from "./laneView";
import type { View } from "./timeScale";

/** What one lane did over a selected range. */
export interface LaneRangeStats {
  laneId: string;
  label: string;
  rank: number | null;
  worldSize: number | null;
  /** The lane's group as the timeline heads it (source · instance · model). */
  group: string;
  /** Time in each phase family (top-level phases, clipped to the range), largest first. */
  families: { family: PhaseFamily; ns: number }[];
  /** Time of the range outside any phase (no data, or between phases). */
  uncovered: number;
  /**
   * Each memory series the lane draws: its lowest and highest value over the range; `approx`
   * when read from a paged lane's resident level (bounds over whole buckets, not samples).
   */
  memory: { name: string; min: number; max: number; approx?: boolean }[];
}

/**
 * Per-lane phase time and memory extremes over `range` (axis time). Phases are the depth-0
 * spans: nested spans subdivide their phase, so counting them too would count time twice.
 */
export function rangeStats(lanes: { view: LaneView; shift: number }[], range: View): LaneRangeStats[] {
  return lanes.map(({ view, shift }) => {
    const a = range.start - shift;
    const b = range.end - shift;
    const { spans, strings, info } = view.data;
    const byFamily = new Map<PhaseFamily, number>();
    let covered = 0;
    for (let i = firstSpanReaching({ maxEnd: view.maxEnd }, a); i < spans.start.length; i++) {
      if (spans.start[i] > b) break;
      if (spans.depth[i] !== 0) continue;
      const d = Math.min(spans.end[i], b) - Math.max(spans.start[i], a);
      if (d <= 0) continue;
      const f = phaseFamily(strings[spans.name[i]]);
      byFamily.set(f, (byFamily.get(f) ?? 0) + d);
      covered += d;
    }
    const memory: LaneRangeStats["memory"] = [];
    for (const series of [...view.memory.area, ...(view.memory.line ? [view.memory.line] : [])]) {
      const i = view.data.counters.indexOf(series);
      const level = view.paged?.index.counters[i] ? view.lod.counters[i]?.[0] : undefined;
      const m = level ? levelExtremes(level, a, b) : extremes(series, a, b);
      if (m) memory.push({ name: series.name, ...m, ...(level ? { approx: true } : {}) });
    }
    return {
      laneId: info.id,
      label: info.label,
      rank: info.rank ?? null,
      worldSize: info.worldSize ?? null,
      group: groupLabel(info),
      families: [...byFamily].map(([family, ns]) => ({ family, ns })).sort((x, y) => y.ns - x.ns),
      uncovered: Math.max(0, b - a - covered),
      memory,
    };
  });
}

/**
 * A counter's lowest and highest value over [a, b], as a step function: the value holding at
 * `a` (the last sample before it) counts, so does every sample inside. Null with no value there.
 */
export function extremes(c: CounterSeries, a: number, b: number): { min: number; max: number } | null {
  let i = lowerBound(c.t, a);
  if (i > 0 && (i === c.t.length || c.t[i] > a)) i--;
  let min = Infinity;
  let max = -Infinity;
  for (; i < c.t.length && c.t[i] <= b; i++) {
    const v = c.v[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

/**
 * Bounds over [a, b] from a level's buckets (2^k ns wide; `t` is each bucket's first sample)
 * that reach into it, and the last value of the bucket before: the value holding at `a`.
 */
export function levelExtremes(
  level: CounterLevel,
  a: number,
  b: number,
): { min: number; max: number } | null {
  const width = 2 ** level.k;
  let i = Math.max(0, lowerBound(level.t, a - width));
  while (i < level.t.length && Math.floor(level.t[i] / width) * width + width <= a) i++;
  let min = Infinity;
  let max = -Infinity;
  const take = (lo: number, hi: number) => {
    if (lo < min) min = lo;
    if (hi > max) max = hi;
  };
  if (i > 0 && level.t[i - 1] <= b) take(level.last[i - 1], level.last[i - 1]);
  for (; i < level.t.length && level.t[i] <= b; i++) take(level.min[i], level.max[i]);
  return min <= max ? { min, max } : null;
}
