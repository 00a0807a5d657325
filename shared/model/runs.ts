import type { LaneData, Run } from "./types";

/**
 * The run a lane belongs to: what its format said, else its group (instance, session, job),
 * so a job's Chrome traces join the job's other lanes when their group says the same.
 */
export function runKey(lane: LaneData): string {
  return lane.info.run ?? lane.info.group;
}

/** Re-expresses a lane's offsets against another origin (exact within ~104 days of it). */
export function rebaseLane(lane: LaneData, toOriginSec: number): void {
  const d = (lane.originSec - toOriginSec) * 1e9;
  lane.originSec = toOriginSec;
  if (!d) return;
  const add = (a: Float64Array) => {
    for (let i = 0; i < a.length; i++) a[i] += d;
  };
  add(lane.spans.start);
  add(lane.spans.end);
  add(lane.markers.t);
  for (const c of lane.counters) add(c.t);
  lane.end += d;
}

function laneStart(lane: LaneData): number {
  let lo = lane.end;
  if (lane.spans.start.length) lo = Math.min(lo, lane.spans.start[0]);
  if (lane.markers.t.length) lo = Math.min(lo, lane.markers.t[0]);
  for (const c of lane.counters) if (c.t.length) lo = Math.min(lo, c.t[0]);
  return lo;
}

/** How each source family is named to users. */
export const SOURCE_LABEL: Record<string, string> = {
  skulk: "Skulk",
  stormlog: "stormlog",
  omnirt: "OmniRT",
  otlp: "OTLP",
  rune: "RUNE",
  trace: "trace",
  prometheus: "Prometheus",
};

/** "Skulk · instance-1 · mlx-community/…", or a file's run: "OTLP · traces.jsonl · 8 groups". */
function runLabel(id: string, lanes: LaneData[]): string {
  const source = SOURCE_LABEL[lanes[0].info.source] ?? lanes[0].info.source;
  const groups = new Set(lanes.map((l) => l.info.group));
  const models = new Set(lanes.map((l) => l.info.modelId).filter((m): m is string => !!m));
  const model = models.size === 1 ? ` · ${[...models][0]}` : "";
  const strip = (name: string) => name.replace(/^[a-z]+:/, "");
  if (groups.size === 1) return `${source} · ${strip(lanes[0].info.group)}${model}`;
  const name = strip(id);
  return `${source} · ${name.slice(name.lastIndexOf("/") + 1)} · ${groups.size} groups${model}`;
}

/**
 * Groups lanes (already in display order) into runs and re-expresses each run's lanes
 * against one origin, the earliest of theirs, so lanes of a run compare directly. A run
 * spans hours or days, well inside the 104 days over which float64 nanoseconds are exact.
 */
export function groupRuns(lanes: LaneData[]): Run[] {
  const byKey = new Map<string, LaneData[]>();
  for (const lane of lanes) {
    const k = runKey(lane);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(lane);
  }
  const runs: Run[] = [];
  for (const [id, members] of byKey) {
    const originSec = Math.min(...members.map((l) => l.originSec));
    for (const l of members) rebaseLane(l, originSec);
    runs.push({
      id,
      label: runLabel(id, members),
      source: members[0].info.source,
      lanes: members.map((l) => l.info.id),
      originSec,
      start: Math.min(...members.map(laneStart)),
      end: Math.max(...members.map((l) => l.end)),
    });
  }
  const abs = (r: Run) => r.originSec * 1e9 + r.start;
  return runs.sort((a, b) => abs(a) - abs(b) || a.id.localeCompare(b.id));
}

/** The extent of some runs on one axis counting from `axisOriginSec`. */
export function runsExtent(runs: Run[], axisOriginSec: number): { start: number; end: number } {
  if (!runs.length) return { start: 0, end: 0 };
  const at = (r: Run, t: number) => (r.originSec - axisOriginSec) * 1e9 + t;
  return {
    start: Math.min(...runs.map((r) => at(r, r.start))),
    end: Math.max(...runs.map((r) => at(r, r.end))),
  };
}
