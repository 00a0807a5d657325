import type { LaneView } from "./laneView";

/** The lanes the filter leaves shown (all of them, the same array, when it is empty). */
export function shownLanes(lanes: LaneView[], query: string): LaneView[] {
  return query.trim() ? lanes.filter((l) => laneMatches(l, query)) : lanes;
}

/**
 * The lane filter: every whitespace-separated term must match the lane, by its identity
 * (node, label, runner, model, "rank 3" / "r3", device, group) or by anything it recorded
 * (phase and event names, task and command ids, attributes).
 */
export function laneMatches(lane: LaneView, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return true;
  const info = lane.data.info;
  const identity = [
    info.node,
    info.label,
    info.runnerId,
    info.modelId,
    info.device,
    info.group,
    info.instanceId,
    info.rank != null ? `rank ${info.rank} r${info.rank} rank:${info.rank}` : null,
  ]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
  return terms.every((term) => {
    const rank = /^(?:r|rank:?)(\d+)$/.exec(term);
    if (rank) return info.rank === Number(rank[1]);
    if (identity.includes(term)) return true;
    return lane.data.strings.some((s) => s.toLowerCase().includes(term));
  });
}
