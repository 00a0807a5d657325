import type { LaneLod } from "../../../shared/model/lod";
import { nodeLabels, type NodeLabel } from "../../../shared/model/nodeNames";
import type { LaneData } from "../../../shared/model/types";
import { buildLaneView, memoryMax, type LaneView } from "../timeline/laneView";

/**
 * The open dataset's bulk data. Kept outside React and zustand on purpose: typed arrays of
 * millions of items must never be diffed, copied or frozen by UI state machinery.
 */
export interface CurrentData {
  lanes: LaneView[];
  memMax: number;
  /** How each node is shown, decided over every lane (short ids must differ from all others). */
  nodes: Map<string, NodeLabel>;
}

let current: CurrentData = { lanes: [], memMax: 0, nodes: new Map() };

const labelsOf = (views: LaneView[]) => nodeLabels(views.map((v) => v.data.info));

export function setCurrentLanes(lanes: LaneData[], lods?: (LaneLod | undefined)[]): CurrentData {
  const views = lanes.map((l, i) => buildLaneView(l, lods?.[i]));
  let memMax = 0;
  for (const v of views) memMax = Math.max(memMax, memoryMax(v));
  current = { lanes: views, memMax, nodes: labelsOf(views) };
  return current;
}

/** Draws from previews until the full lanes arrive (see db/preview.ts). */
export function setCurrentViews(views: LaneView[], memMax: number): CurrentData {
  current = { lanes: views, memMax, nodes: labelsOf(views) };
  return current;
}

export function currentData(): CurrentData {
  return current;
}
