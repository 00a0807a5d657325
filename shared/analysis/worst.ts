/**
 * The one line a run list shows for a run: the worst thing in it. A dead process outranks a
 * rank stuck in a phase, which outranks errors, which outrank a late arrival at a barrier.
 */
import { formatDuration } from "../model/time";
import { MarkerKind, type LaneData } from "../model/types";
import { hangs, stragglers } from "./stragglers";

export interface WorstFinding {
  kind: "crash" | "hang" | "errors" | "late";
  text: string;
  laneId: string;
  /** Where to look, as an offset of the lane's data. */
  t: number;
}

function who(lane: LaneData): string {
  const { label, rank } = lane.info;
  return rank != null && !/\brank\b/.test(label) ? `${label} r${rank}` : label;
}

export function worstFinding(lanes: LaneData[]): WorstFinding | null {
  for (const lane of lanes) {
    const { kind, t } = lane.markers;
    for (let i = 0; i < kind.length; i++)
      if (kind[i] === MarkerKind.Crash)
        return { kind: "crash", text: `${who(lane)} crashed`, laneId: lane.info.id, t: t[i] };
  }
  // A phase entered at the very last record says nothing yet.
  const stuck = hangs(lanes).find((h) => h.alive !== false && h.durationNs > 0);
  if (stuck) {
    const lane = lanes.find((l) => l.info.id === stuck.laneId)!;
    return {
      kind: "hang",
      text: `${who(lane)} in ${stuck.phase} for ${formatDuration(stuck.durationNs)}`,
      laneId: stuck.laneId,
      t: stuck.since,
    };
  }
  let errors = 0;
  let first: { laneId: string; t: number } | null = null;
  for (const lane of lanes) {
    const { kind, t } = lane.markers;
    for (let i = 0; i < kind.length; i++)
      if (
        kind[i] === MarkerKind.Error ||
        kind[i] === MarkerKind.Exception ||
        kind[i] === MarkerKind.Critical
      ) {
        errors++;
        if (!first || t[i] < first.t) first = { laneId: lane.info.id, t: t[i] };
      }
  }
  if (errors && first) return { kind: "errors", text: `${errors} error${errors > 1 ? "s" : ""}`, ...first };
  const late = stragglers(lanes).reduce<ReturnType<typeof stragglers>[number] | null>(
    (a, s) => (s.lateNs > 0 && (!a || s.lateNs > a.lateNs) ? s : a),
    null,
  );
  if (late)
    return {
      kind: "late",
      text: `${late.last.label} ${formatDuration(late.lateNs)} late at ${late.phase}`,
      laneId: late.last.laneId,
      t: late.last.enter,
    };
  return null;
}
