/**
 * `GET /v1/diagnostics/cluster/timeline` (FORMATS.md section 1): runner synopses, entries
 * without `context` joined to them on runnerId, unreachable nodes. Also what a Rankscope
 * live snapshot adds beyond Skulk's fields (`rankscopeGaps`, `rankscopeLive.nodeNames`).
 * The pieces are exported because a live attach builds its lanes with them straight from
 * the stitched history, so the live view and the saved snapshot read back alike.
 */

import type { Format, JsonObject, ParseContext } from "../types";
import { firstNonSpace, hasKeys, int, isObject, num, str } from "../types";
import { MarkerKind } from "../../model/types";
import { readDocument, scalarState, snapshotTime, unreachable } from "./diagnostics";
import { NameSource, SkulkCollector, type RunnerIdentity } from "./runner";

const RUNNER_STATE = [
  "processAlive",
  "statusKind",
  "phase",
  "phaseDetail",
  "secondsInPhase",
  "lastProgressAt",
  "activeTaskId",
  "activeCommandId",
];

/** `runners[]`: identities by runnerId, and each runner's state at `at` (generatedAt). */
export function timelineRunners(
  collector: SkulkCollector,
  runners: unknown,
  at: number | null,
  ctx: ParseContext,
): Map<string, RunnerIdentity> {
  const byRunner = new Map<string, RunnerIdentity>();
  if (!Array.isArray(runners)) {
    ctx.report.warn('no "runners" list: instance, model and pid are unknown for every entry');
    return byRunner;
  }
  for (const r of runners) {
    if (!isObject(r) || !str(r.runnerId)) continue;
    const identity: RunnerIdentity = {
      runnerId: str(r.runnerId)!,
      nodeId: str(r.nodeId),
      instanceId: str(r.instanceId),
      modelId: str(r.modelId),
      rank: int(r.deviceRank),
      worldSize: int(r.worldSize),
      pid: int(r.pid),
    };
    byRunner.set(identity.runnerId, identity);
    collector.runner(identity);
    if (at === null) continue;
    collector.snapshot(identity, {
      at,
      phase: str(r.phase),
      secondsInPhase: num(r.secondsInPhase),
      state: scalarState(r, RUNNER_STATE),
    });
    collector.memory(collector.runner(identity).lane, r.lastMlxMemory, at);
  }
  return byRunner;
}

/** A timeline entry's identity: the fields Skulk lifted onto it, joined with its runner's. */
export function entryIdentity(
  raw: JsonObject,
  byRunner: Map<string, RunnerIdentity>,
  ctx: ParseContext,
): RunnerIdentity | null {
  const runnerId = str(raw.runnerId);
  if (!runnerId) return null;
  const joined = byRunner.get(runnerId);
  if (!joined)
    ctx.report.warnOnce(`unjoined:${runnerId}`, `runner ${runnerId} is in "timeline" but not in "runners"`);
  return {
    ...joined,
    runnerId,
    nodeId: str(raw.nodeId) ?? joined?.nodeId,
    rank: int(raw.deviceRank) ?? joined?.rank,
    worldSize: int(raw.worldSize) ?? joined?.worldSize,
  };
}

export function timelineUnreachable(collector: SkulkCollector, list: unknown, ctx: ParseContext): void {
  if (!Array.isArray(list)) return;
  for (const u of list)
    if (isObject(u))
      unreachable(collector, ctx, str(u.nodeId), str(u.url), str(u.error), "the timeline was taken");
}

/**
 * One `rankscopeGaps[]` item, `{runnerId, nodeId, from, to, durationNs, seenIn}`: a gap
 * marker at `from` (the newest entry held before the ring overran) lasting to `to`.
 */
export function gapMark(collector: SkulkCollector, gap: unknown, where: string, ctx: ParseContext): boolean {
  const runnerId = isObject(gap) ? str(gap.runnerId) : null;
  const from = isObject(gap) ? str(gap.from) : null;
  const to = isObject(gap) ? str(gap.to) : null;
  const t0 = from === null ? null : collector.time.fromIso(from);
  const t1 = to === null ? null : collector.time.fromIso(to);
  if (!isObject(gap) || !runnerId || t0 === null || t1 === null || t1 < t0) {
    ctx.report.warn(`${where} is not a usable gap (it needs runnerId, and "from" before "to")`);
    return false;
  }
  collector.runner({ runnerId, nodeId: str(gap.nodeId) }).lane.marker({
    t: t0,
    name: "history gap",
    kind: MarkerKind.Gap,
    args: { durationNs: t1 - t0, until: to, seenIn: str(gap.seenIn) },
  });
  return true;
}

/** What a Rankscope live snapshot holds beyond Skulk's fields; other files have none of it. */
export function rankscopeExtras(collector: SkulkCollector, doc: JsonObject, ctx: ParseContext): void {
  if (Array.isArray(doc.rankscopeGaps))
    doc.rankscopeGaps.forEach((g, i) => gapMark(collector, g, `rankscopeGaps[${i}]`, ctx));
  const live = isObject(doc.rankscopeLive) ? doc.rankscopeLive : null;
  if (live && isObject(live.nodeNames))
    for (const [nodeId, name] of Object.entries(live.nodeNames))
      // The attach read these from each node's own runtime in the diagnostics bundle.
      collector.nameNode(nodeId, name, NameSource.Runtime);
}

export const skulkClusterTimeline: Format = {
  id: "skulk.cluster-timeline",
  family: "skulk",
  detect(head) {
    if (firstNonSpace(head.text) !== "{") return 0;
    if (!hasKeys(head.text, "timeline")) return 0;
    return hasKeys(head.text, "runners") ||
      hasKeys(head.text, "unreachableNodes") ||
      hasKeys(head.text, "masterNodeId")
      ? 0.96
      : 0;
  },
  async parse(source, ctx) {
    const doc = await readDocument(source, ctx);
    if (!doc) return;
    const collector = SkulkCollector.of(ctx);
    const byRunner = timelineRunners(collector, doc.runners, snapshotTime(ctx, doc), ctx);
    if (!Array.isArray(doc.timeline)) {
      ctx.report.error(undefined, '"timeline" is not a list');
    } else {
      for (const raw of doc.timeline)
        collector.entry(raw, 0, isObject(raw) ? entryIdentity(raw, byRunner, ctx) : null);
    }
    timelineUnreachable(collector, doc.unreachableNodes, ctx);
    rankscopeExtras(collector, doc, ctx);
  },
};
