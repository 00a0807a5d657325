import type { LaneLod } from "../../../shared/model/lod";
import type { LaneData } from "../../../shared/model/types";
import { buildLaneView, memoryMax, type LaneView } from "../view/laneView";

/**
 * The open dataset's bulk data. Kept outside React and zustand on purpose: typed arrays of
 * millions of items must never be diffed, copied or frozen by UI state machinery.
 */
export interface CurrentData {
  lanes: LaneView[];
  memMax: number;
}

let current: CurrentData = { lanes: [], memMax: 0 };

/** The lanes to draw, placed on an axis counting from `axisOriginSec` (the dataset's origin). */
export function setCurrentLanes(
  lanes: LaneData[],
  lods: (LaneLod | undefined)[] = [],
  axisOriginSec = lanes[0]?.originSec ?? 0,
): CurrentData {
  const views = lanes.map((l, i) => buildLaneView(l, lods[i], axisOriginSec));
  let memMax = 0;
  for (const v of views) memMax = Math.max(memMax, memoryMax(v));
  current = { lanes: views, memMax };
  return current;
}

/** Draws from previews until the full lanes arrive (see db/preview.ts). */
export function setCurrentViews(views: LaneView[], memMax: number): CurrentData {
  current = { lanes: views, memMax };
  return current;
}

export function currentData(): CurrentData {
  return current;
}
