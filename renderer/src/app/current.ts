import type { LaneLod } from "../../../shared/model/lod";
import { nodeLabels, type NodeLabel } from "../../../shared/model/nodeNames";
import type { LaneData, Run } from "../../../shared/model/types";
import { buildLaneView, memoryMax, type LaneView } from "../view/laneView";
import { axisClock, scopeLanes, type AxisClock, type RunScope, type Scoped } from "../view/runs";
import type { PagedIndex } from "../view/tiles";
import { dbLoader, TileCache } from "../db/tiles";
import { db } from "./database";

/**
 * The open dataset's bulk data. Kept outside React and zustand on purpose: typed arrays of
 * millions of items must never be diffed, copied or frozen by UI state machinery.
 */
export interface CurrentData {
  /** The lanes shown: the whole dataset, one run, or two runs compared. */
  lanes: LaneView[];
  memMax: number;
  /** Axis time of "time since start" zero for what is shown. */
  zero: number;
  /** Compared lanes' run tags, by lane id. */
  prefix: Map<string, string> | null;
  /** How each node is shown, decided over every lane (short ids must differ from all others). */
  nodes: Map<string, NodeLabel>;
}

/** Tiles of the open dataset's paged lanes (the timeline redraws when they arrive). */
export const tileCache = new TileCache();

let all: LaneView[] = [];
let memMax = 0;
let nodes = new Map<string, NodeLabel>();
let current: CurrentData = { lanes: [], memMax: 0, zero: 0, prefix: null, nodes };

/**
 * The dataset's lanes, placed on an axis counting from `axisOriginSec` (the dataset's origin).
 * With `paging`, the stored dataset's paged lanes read their tiles through `tileCache`.
 */
export function setCurrentLanes(
  lanes: LaneData[],
  lods: (LaneLod | undefined)[] = [],
  axisOriginSec = lanes[0]?.originSec ?? 0,
  paging?: { datasetId: string; index: (PagedIndex | undefined)[] },
): CurrentData {
  tileCache.reset(paging ? dbLoader(db, paging.datasetId) : null);
  const views = lanes.map((l, i) => {
    const index = paging?.index[i];
    return buildLaneView(l, lods[i], axisOriginSec, index ? { index, source: tileCache } : undefined);
  });
  let max = 0;
  for (const v of views) max = Math.max(max, memoryMax(v));
  return setCurrentViews(views, max);
}

/** Draws from previews until the full lanes arrive (see db/preview.ts). */
export function setCurrentViews(views: LaneView[], max: number): CurrentData {
  all = views;
  memMax = max;
  nodes = nodeLabels(views.map((v) => v.data.info));
  current = { lanes: views, memMax, zero: 0, prefix: null, nodes };
  return current;
}

/** Shows one scope of the dataset (see view/runs.ts) and returns its bounds. */
export function scopeCurrent(runs: Run[], axisOriginSec: number, scope: RunScope): Scoped {
  const scoped = scopeLanes(all, runs, axisOriginSec, scope);
  current = { lanes: scoped.lanes, memMax, zero: scoped.zero, prefix: scoped.prefix, nodes };
  return scoped;
}

/** The clock the axis of what is shown is labelled in. */
export function currentClock(s: {
  scope: RunScope;
  clock: "wall" | "since";
  current: { originSec: number } | null;
}): AxisClock {
  return axisClock(s.scope, s.clock, current, s.current?.originSec ?? 0);
}

export function currentData(): CurrentData {
  return current;
}

/** Every lane of the open dataset, whatever is shown. */
export function allLanes(): LaneView[] {
  return all;
}
