/**
 * Who kept the others waiting, and who is still waiting.
 *
 * A barrier releases when its last rank arrives, so the time every other rank spent inside
 * is the last rank's lateness. Across nodes, enter times are only comparable on one clock:
 * pass the shifts from `estimateClockOffsets` (or the user's own) and every time here is
 * reported on the shifted timeline, the one the user sees.
 */
import { phaseFamily, type PhaseFamily } from "../model/phases";
import type { LaneData } from "../model/types";
import { SpanFlag } from "../model/types";
import { barrierOccurrences } from "./barriers";

export interface Arrival {
  laneId: string;
  label: string;
  rank: number | null;
  /** Enter, shifted. */
  enter: number;
  /** Exit, shifted; null when the rank is still inside at the end of the data. */
  exit: number | null;
}

export interface Straggler {
  group: string;
  phase: string;
  taskId: string | null;
  occurrence: number;
  /** The rank everyone waited for. */
  last: Arrival;
  /** How long the rank before it waited for it: last enter − second-to-last enter. */
  lateNs: number;
  /** How long the first rank waited: last enter − first enter. */
  spreadNs: number;
  /** Every rank whose enter was seen, in arrival order. */
  arrivals: Arrival[];
  /** Ranks expected (world size) when known; arrivals may be fewer (evicted or stuck elsewhere). */
  worldSize: number | null;
}

export type Shifts = ReadonlyMap<string, number>;

function shiftOf(shifts: Shifts | undefined, laneId: string): number {
  return shifts?.get(laneId) ?? 0;
}

/**
 * Every barrier occurrence that at least two ranks were seen entering, latest straggler first.
 * An occurrence whose enters were lost on all but one rank says nothing about lateness.
 */
export function stragglers(lanes: LaneData[], shifts?: Shifts): Straggler[] {
  const out: Straggler[] = [];
  for (const occ of barrierOccurrences(lanes)) {
    const arrivals: Arrival[] = [];
    for (const v of occ.visits) {
      if (v.enter === null) continue;
      const { id, label, rank } = v.lane.info;
      const shift = shiftOf(shifts, id);
      arrivals.push({
        laneId: id,
        label,
        rank: rank ?? null,
        enter: v.enter + shift,
        exit: v.exit === null ? null : v.exit + shift,
      });
    }
    if (arrivals.length < 2) continue;
    arrivals.sort((a, b) => a.enter - b.enter || (a.rank ?? 0) - (b.rank ?? 0));
    const last = arrivals[arrivals.length - 1];
    out.push({
      group: occ.group,
      phase: occ.phase,
      taskId: occ.taskId,
      occurrence: occ.occurrence,
      last,
      lateNs: last.enter - arrivals[arrivals.length - 2].enter,
      spreadNs: last.enter - arrivals[0].enter,
      arrivals,
      worldSize: occ.visits[0].lane.info.worldSize ?? null,
    });
  }
  return out.sort((a, b) => b.lateNs - a.lateNs || b.spreadNs - a.spreadNs);
}

/** Phases a healthy rank sits in between tasks: being there at the end is not a hang. */
const RESTING = new Set(["idle", "created", "completion"]);

export interface Hang {
  laneId: string;
  label: string;
  group: string;
  node: string | null;
  rank: number | null;
  phase: string;
  family: PhaseFamily;
  /** When the rank entered the phase, shifted. */
  since: number;
  /** From `since` to the end of the lane's own data (a shift moves both alike). */
  durationNs: number;
  /** false when a snapshot said the process was dead: it is not waiting, it is gone. */
  alive: boolean | null;
}

/**
 * Ranks still inside a phase at the end of their data (an open depth-0 span), longest first.
 * Each lasts until its own lane ends (LaneData.end): a capture that ended minutes after the
 * rank entered says minutes, whatever other files hold.
 */
export function hangs(lanes: LaneData[], shifts?: Shifts): Hang[] {
  const out: Hang[] = [];
  for (const lane of lanes) {
    const { spans, strings, info } = lane;
    // The last open depth-0 span is where the rank is now.
    let found = -1;
    for (let i = spans.start.length - 1; i >= 0; i--) {
      if (spans.depth[i] === 0 && spans.flags[i] & SpanFlag.Open) {
        found = i;
        break;
      }
    }
    if (found < 0) continue;
    const phase = strings[spans.name[found]];
    if (RESTING.has(phase)) continue;
    const since = spans.start[found] + shiftOf(shifts, info.id);
    const alive = info.state?.processAlive;
    out.push({
      laneId: info.id,
      label: info.label,
      group: info.group,
      node: info.node ?? null,
      rank: info.rank ?? null,
      phase,
      family: phaseFamily(phase),
      since,
      durationNs: Math.max(0, lane.end - spans.start[found]),
      alive: typeof alive === "boolean" ? alive : null,
    });
  }
  return out.sort((a, b) => b.durationNs - a.durationNs || a.laneId.localeCompare(b.laneId));
}

/** Hangs at least `thresholdNs` long: what a live view flags as hung now (longest first, as given). */
export function hungOver(list: Hang[], thresholdNs: number): Hang[] {
  return list.filter((h) => h.alive !== false && h.durationNs >= thresholdNs);
}
