/**
 * stormlog's own cross-rank alignment (FORMATS.md §2): each rank of a session/job is shifted
 * so its first sample lines up with rank 0's, and a skew above 5× the median sampling
 * interval is noted. It assumes the ranks started tracking together, which holds for
 * `gpumemprof track` launched by one job script and not for a rank that joined late: hence
 * the flag, which tells the user the shift is larger than sampling jitter can explain.
 * Rankscope offers it as stormlog users know it, not as a clock estimate.
 */
import { compareLanes } from "../model/dataset";
import type { LaneData } from "../model/types";
import { median } from "./barriers";

/** stormlog flags skews larger than this many median sampling intervals. */
export const SKEW_FLAG_INTERVALS = 5;

export interface RankAlignment {
  laneId: string;
  rank: number | null;
  /** The lane's first counter sample, unshifted. */
  firstSample: number;
  /** This rank's first sample minus the reference's. */
  skewNs: number;
  /** −skew: add to the lane's times. */
  shiftNs: number;
  /** |skew| exceeds SKEW_FLAG_INTERVALS × the group's median interval. */
  flagged: boolean;
}

export interface GroupAlignment {
  group: string;
  referenceLaneId: string;
  /** Median gap between consecutive samples over the group's ranks; null with < 2 samples. */
  medianIntervalNs: number | null;
  /** Skews above this are flagged; null when the interval is unknown (nothing is flagged). */
  thresholdNs: number | null;
  ranks: RankAlignment[];
  /** stormlog lanes of the group with no counter sample: nothing to align them by. */
  unaligned: string[];
}

export interface StormlogAlignment {
  groups: GroupAlignment[];
  perLane: Map<string, number>;
}

/** Distinct sample instants of a lane across all its counters, ascending. */
function sampleTimes(lane: LaneData): number[] {
  const all: number[] = [];
  for (const c of lane.counters) for (let i = 0; i < c.t.length; i++) all.push(c.t[i]);
  all.sort((a, b) => a - b);
  return all.filter((t, i) => i === 0 || t !== all[i - 1]);
}

function alignGroup(group: string, lanes: LaneData[]): GroupAlignment | null {
  const sampled: { lane: LaneData; times: number[] }[] = [];
  const unaligned: string[] = [];
  for (const lane of lanes) {
    const times = sampleTimes(lane);
    if (times.length) sampled.push({ lane, times });
    else unaligned.push(lane.info.id);
  }
  if (!sampled.length) return null;
  // compareLanes orders by rank, so the first is rank 0, or the lowest rank present when
  // rank 0's artifact is missing (stormlog would refuse; showing something is more useful).
  sampled.sort((a, b) => compareLanes(a.lane.info, b.lane.info));
  const reference = sampled[0];
  const intervals: number[] = [];
  for (const { times } of sampled)
    for (let i = 1; i < times.length; i++) intervals.push(times[i] - times[i - 1]);
  const medianIntervalNs = intervals.length ? median(intervals) : null;
  const thresholdNs = medianIntervalNs === null ? null : SKEW_FLAG_INTERVALS * medianIntervalNs;
  const ranks = sampled.map(({ lane, times }) => {
    const skewNs = times[0] - reference.times[0];
    return {
      laneId: lane.info.id,
      rank: lane.info.rank ?? null,
      firstSample: times[0],
      skewNs,
      shiftNs: -skewNs || 0,
      flagged: thresholdNs !== null && Math.abs(skewNs) > thresholdNs,
    };
  });
  return { group, referenceLaneId: reference.lane.info.id, medianIntervalNs, thresholdNs, ranks, unaligned };
}

/** First-sample alignment of every stormlog session/job; other sources are left alone. */
export function alignStormlog(lanes: LaneData[]): StormlogAlignment {
  const byGroup = new Map<string, LaneData[]>();
  for (const lane of lanes) {
    if (lane.info.source !== "stormlog") continue;
    const list = byGroup.get(lane.info.group);
    if (list) list.push(lane);
    else byGroup.set(lane.info.group, [lane]);
  }
  const groups: GroupAlignment[] = [];
  const perLane = new Map<string, number>();
  for (const [group, members] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
    const g = alignGroup(group, members);
    if (!g) continue;
    groups.push(g);
    for (const r of g.ranks) perLane.set(r.laneId, r.shiftNs);
  }
  return { groups, perLane };
}
