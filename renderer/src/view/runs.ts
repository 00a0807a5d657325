import type { Run } from "../../../shared/model/types";
import type { LaneView } from "./laneView";
import type { View } from "./timeScale";

/** What the timeline shows: every run, one run, or two runs one above the other. */
export type RunScope =
  | { kind: "all" }
  | { kind: "run"; run: string }
  /** `align`: a phase or event name (each run's first one is time zero), or null for the runs' starts. */
  | { kind: "compare"; a: string; b: string; align: string | null };

/** How axis times are labelled: wall-clock instants, or time since `zero` (an axis time). */
export type AxisClock = { kind: "wall"; originSec: number } | { kind: "since"; zero: number };

export interface Scoped {
  lanes: LaneView[];
  bounds: View;
  /** Axis time of the shown runs' start: zero of "time since start". */
  zero: number;
  /** Per lane id, the run a compared lane belongs to ("A · …", "B · …"). */
  prefix: Map<string, string> | null;
}

/** A run's extent on the axis (offsets from the dataset's origin). */
export function runOnAxis(run: Run, axisOriginSec: number): View {
  const d = (run.originSec - axisOriginSec) * 1e9;
  return { start: run.start + d, end: run.end + d };
}

/** The axis time of a run's first span or marker named `name` (its start when null or absent). */
export function anchorOf(run: Run, lanes: LaneView[], axisOriginSec: number, name: string | null): number {
  const start = runOnAxis(run, axisOriginSec).start;
  if (!name) return start;
  let first = Infinity;
  const ids = new Set(run.lanes);
  for (const v of lanes) {
    if (!ids.has(v.data.info.id)) continue;
    const { spans, markers, strings } = v.data;
    const id = strings.indexOf(name);
    if (id < 0) continue;
    for (let i = 0; i < spans.start.length; i++)
      if (spans.name[i] === id) {
        first = Math.min(first, spans.start[i] + v.base);
        break;
      }
    for (let i = 0; i < markers.t.length; i++)
      if (markers.name[i] === id) {
        first = Math.min(first, markers.t[i] + v.base);
        break;
      }
  }
  return Number.isFinite(first) ? first : start;
}

function lanesOf(run: Run, all: LaneView[]): LaneView[] {
  const byId = new Map(all.map((v) => [v.data.info.id, v]));
  return run.lanes.map((id) => byId.get(id)).filter((v): v is LaneView => !!v);
}

function extent(views: View[]): View {
  if (!views.length) return { start: 0, end: 1 };
  return { start: Math.min(...views.map((v) => v.start)), end: Math.max(...views.map((v) => v.end)) };
}

/**
 * The lanes and bounds of a scope. Lanes of the dataset sit on one axis (their base places
 * them); a compared run's lanes are moved so that its anchor (start, or first `align` event)
 * is time zero, so both runs share a time-since-start axis, zoom and cursor.
 */
export function scopeLanes(all: LaneView[], runs: Run[], axisOriginSec: number, scope: RunScope): Scoped {
  const find = (id: string) => runs.find((r) => r.id === id);
  if (scope.kind === "run") {
    const run = find(scope.run);
    if (run) {
      const bounds = runOnAxis(run, axisOriginSec);
      return { lanes: lanesOf(run, all), bounds, zero: bounds.start, prefix: null };
    }
  }
  if (scope.kind === "compare") {
    const a = find(scope.a);
    const b = find(scope.b);
    if (a && b) {
      const lanes: LaneView[] = [];
      const prefix = new Map<string, string>();
      const spans: View[] = [];
      for (const [tag, run] of [
        ["A", a],
        ["B", b],
      ] as const) {
        const zero = anchorOf(run, all, axisOriginSec, scope.align);
        const r = runOnAxis(run, axisOriginSec);
        spans.push({ start: r.start - zero, end: r.end - zero });
        for (const v of lanesOf(run, all)) {
          lanes.push({ ...v, base: v.base - zero });
          prefix.set(v.data.info.id, `${tag} · ${run.label}`);
        }
      }
      return { lanes, bounds: extent(spans), zero: 0, prefix };
    }
  }
  const bounds = runs.length
    ? extent(runs.map((r) => runOnAxis(r, axisOriginSec)))
    : extent(all.map((v) => ({ start: v.base, end: v.base + v.data.end })));
  return { lanes: all, bounds, zero: bounds.start, prefix: null };
}

/** The clock the axis is labelled in: compared runs are always in time since their anchors. */
export function axisClock(
  scope: RunScope,
  mode: "wall" | "since",
  scoped: Pick<Scoped, "zero">,
  axisOriginSec: number,
): AxisClock {
  if (scope.kind === "compare" || mode === "since") return { kind: "since", zero: scoped.zero };
  return { kind: "wall", originSec: axisOriginSec };
}

/** What a scope shows, in words: null for the whole dataset. */
export function scopeSubject(scope: RunScope, runs: Run[]): string | null {
  const label = (id: string) => runs.find((r) => r.id === id)?.label ?? id;
  if (scope.kind === "run") return label(scope.run);
  if (scope.kind === "compare")
    return `A ${label(scope.a)} vs B ${label(scope.b)}${scope.align ? `, aligned on first ${scope.align}` : ""}`;
  return null;
}

/**
 * What a dataset opens on: every run, unless they lie so far apart (days, or a 1970-based
 * trace beside this year's capture) that each would be a sliver; then the latest run that
 * has phases or events (a metrics scrape dated by its file's time is not what one opens a
 * folder of logs for), with the others a click away in the run list.
 */
export function defaultScope(runs: Run[], axisOriginSec: number, lanes: LaneView[] = []): RunScope {
  if (runs.length < 2) return { kind: "all" };
  const spans = runs.map((r) => runOnAxis(r, axisOriginSec));
  const all = extent(spans);
  const longest = Math.max(...spans.map((s) => s.end - s.start));
  if (longest >= (all.end - all.start) / 20) return { kind: "all" };
  // Previews (a reopened dataset's first picture) have levels of spans but no raw columns.
  const hasEvents = (v: LaneView) =>
    v.data.spans.start.length > 0 ||
    v.data.markers.t.length > 0 ||
    v.lod.spans.some((l) => l.start.length > 0);
  const eventful = new Set(lanes.filter(hasEvents).map((v) => v.data.info.id));
  const candidates = runs.filter((r) => r.lanes.some((id) => eventful.has(id)));
  const pool = candidates.length ? candidates : runs;
  const at = (r: Run) => runOnAxis(r, axisOriginSec).start;
  const latest = pool.reduce((a, r) => (at(r) >= at(a) ? r : a));
  return { kind: "run", run: latest.id };
}
