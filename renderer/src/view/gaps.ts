/**
 * Gaps in a lane's history (a live attach saw a runner's ring overrun between polls): where
 * they lie, from the lane's gap markers (MarkerKind.Gap, args `durationNs`), and where they
 * fall on screen. Drawing (timeline/overlays.ts) paints these bands and nothing else.
 */
import { parseArgs } from "../../../shared/model/builder";
import { formatDuration } from "../../../shared/model/time";
import { MarkerKind, type LaneData } from "../../../shared/model/types";
import type { TimeScale } from "./timeScale";

export interface LaneGap {
  /** Lane offsets: the newest entry held before the gap, and the first one after it. */
  start: number;
  end: number;
  /** Index of the gap's marker in the lane's columns. */
  marker: number;
}

const cache = new WeakMap<LaneData, LaneGap[]>();

/** The lane's gaps in time order (few: one per overrun), computed once per lane. */
export function laneGaps(lane: LaneData): LaneGap[] {
  let gaps = cache.get(lane);
  if (gaps) return gaps;
  gaps = [];
  const { markers, strings } = lane;
  for (let i = 0; i < markers.kind.length; i++) {
    if (markers.kind[i] !== MarkerKind.Gap) continue;
    const d = Number(parseArgs(strings[markers.args[i]]).durationNs);
    const start = markers.t[i];
    gaps.push({ start, end: start + (Number.isFinite(d) && d > 0 ? d : 0), marker: i });
  }
  cache.set(lane, gaps);
  return gaps;
}

export interface GapBand {
  x0: number;
  x1: number;
  /** "gap 4.50 s": written in the band when it is wide enough. */
  label: string;
}

/** Gap bands within `width` px, at least 3 px wide so a short gap stays visible zoomed out. */
export function gapBands(gaps: LaneGap[], scale: TimeScale, width: number): GapBand[] {
  const out: GapBand[] = [];
  for (const g of gaps) {
    let x0 = scale.toX(g.start);
    let x1 = scale.toX(g.end);
    if (x1 - x0 < 3) {
      const mid = (x0 + x1) / 2;
      x0 = mid - 1.5;
      x1 = mid + 1.5;
    }
    if (x1 < 0 || x0 > width) continue;
    out.push({
      x0: Math.max(x0, 0),
      x1: Math.min(x1, width),
      label: `gap ${formatDuration(g.end - g.start)}`,
    });
  }
  return out;
}
