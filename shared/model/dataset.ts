import { groupRuns } from "./runs";
import type { LaneData, LaneInfo, Model } from "./types";
import { SpanFlag } from "./types";

/** The time extent of a lane's data, in offsets; null when it holds nothing. */
export function laneExtent(lane: LaneData): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  const { spans, markers, counters } = lane;
  for (let i = 0; i < spans.start.length; i++) {
    if (spans.start[i] < lo) lo = spans.start[i];
    if (spans.end[i] > hi) hi = spans.end[i];
  }
  if (markers.t.length) {
    lo = Math.min(lo, markers.t[0]);
    hi = Math.max(hi, markers.t[markers.t.length - 1]);
  }
  for (const c of counters) {
    if (!c.t.length) continue;
    lo = Math.min(lo, c.t[0]);
    hi = Math.max(hi, c.t[c.t.length - 1]);
  }
  return lo <= hi ? [lo, hi] : null;
}

export function modelExtent(lanes: LaneData[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const lane of lanes) {
    const e = laneExtent(lane);
    if (!e) continue;
    lo = Math.min(lo, e[0]);
    hi = Math.max(hi, e[1]);
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Open spans reach the end of their own lane's data (its last record, or the snapshot time of
 * the input that holds it): a rank still stuck in a barrier while its capture went on has been
 * stuck all that time, but another file's data says nothing about it.
 */
export function extendOpenSpans(lanes: LaneData[]): void {
  for (const lane of lanes) {
    const { flags, end: ends } = lane.spans;
    for (let i = 0; i < flags.length; i++)
      if (flags[i] & SpanFlag.Open && ends[i] < lane.end) ends[i] = lane.end;
  }
}

const SOURCE_ORDER = ["skulk", "stormlog", "omnirt", "otlp", "rune", "trace", "prometheus"];

/** Lanes grouped by source, then group, then ordered by rank (then label). */
export function compareLanes(a: LaneInfo, b: LaneInfo): number {
  return (
    SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
    a.group.localeCompare(b.group) ||
    (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
    a.label.localeCompare(b.label, undefined, { numeric: true }) ||
    a.id.localeCompare(b.id)
  );
}

/** What an ingest produced, before it is finalized into the model the app and the CLI show. */
export type ModelParts = Pick<Model, "lanes" | "files" | "notes">;

/** Sorts lanes, extends open spans to their lanes' ends and groups the lanes into runs. */
export function finalizeModel(parts: ModelParts): Model {
  const lanes = [...parts.lanes].sort((a, b) => compareLanes(a.info, b.info));
  extendOpenSpans(lanes);
  const runs = groupRuns(lanes);
  const originSec = runs.length ? Math.min(...runs.map((r) => r.originSec)) : 0;
  return { originSec, lanes, runs, files: parts.files, notes: parts.notes };
}
