/**
 * Handing lanes from one thread to another without copying: every typed array of the lanes
 * and their levels of detail, as the list of buffers to transfer. Used by every host (Web
 * Workers, worker threads, Electron's IPC batches).
 */
import type { LaneLod } from "../model/lod";
import type { LaneData } from "../model/types";

function add(out: Set<ArrayBuffer>, v: unknown): void {
  if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
}

/** The distinct buffers behind the lanes' columns and their levels. */
export function laneBuffers(
  lanes: readonly LaneData[],
  lods: readonly (LaneLod | undefined)[] = [],
): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const lane of lanes) {
    for (const col of Object.values(lane.spans)) add(out, col);
    for (const col of Object.values(lane.markers)) add(out, col);
    for (const c of lane.counters) {
      add(out, c.t);
      add(out, c.v);
    }
  }
  for (const lod of lods) {
    if (!lod) continue;
    for (const level of lod.spans) for (const v of Object.values(level)) add(out, v);
    for (const levels of lod.counters)
      for (const level of levels) for (const v of Object.values(level)) add(out, v);
  }
  return [...out];
}

/** The buffers of a final-merge task's pieces, handed to the worker that joins them. */
export function joinBuffers(task: { groups: { pieces: readonly LaneData[] }[] }): ArrayBuffer[] {
  return laneBuffers(task.groups.flatMap((g) => g.pieces));
}

/** Items per lanes message (Electron's IPC copies): big enough to amortise, small enough to keep the UI fed. */
const BATCH_ITEMS = 250_000;
const BATCH_LANES = 64;

/** Spans, markers and counter samples: what a lane costs to hold, copy or store. */
export function laneItems(lane: LaneData): number {
  return lane.spans.start.length + lane.markers.t.length + lane.counters.reduce((n, c) => n + c.t.length, 0);
}

/** Splits lanes into messages of at most BATCH_ITEMS items (a bigger lane goes alone). */
export function batchLanes(lanes: LaneData[], maxItems = BATCH_ITEMS, maxLanes = BATCH_LANES): LaneData[][] {
  const batches: LaneData[][] = [];
  let batch: LaneData[] = [];
  let items = 0;
  for (const lane of lanes) {
    const n = laneItems(lane);
    if (batch.length && (items + n > maxItems || batch.length >= maxLanes)) {
      batches.push(batch);
      batch = [];
      items = 0;
    }
    batch.push(lane);
    items += n;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
