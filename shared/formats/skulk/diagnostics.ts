import type { FileSource } from "../../ingest/source";
import { readJsonDocument } from "../../ingest/records";
import type { JsonObject, ParseContext } from "../types";
import { int, isObject, num, str } from "../types";
import { identityFromContext, NameSource, SkulkCollector, type RunnerIdentity } from "./runner";

/**
 * Skulk's diagnostics documents, which all nest `NodeDiagnostics` (src/skulk/shared/types/
 * diagnostics.py): `GET /v1/diagnostics/node` is one, a capture holds one, and the cluster
 * bundle holds one per reachable node. NodeDiagnostics has no top-level nodeId: its
 * `runtime` names the node, and its placements name the peers.
 */

export function readDocument(source: FileSource, ctx: ParseContext): Promise<JsonObject | null> {
  return readJsonDocument(source, ctx.report, { signal: ctx.signal });
}

export function snapshotTime(ctx: ParseContext, doc: JsonObject): number | null {
  const at = str(doc.generatedAt);
  return at === null ? null : SkulkCollector.of(ctx).time.fromIso(at);
}

export function scalarState(
  obj: JsonObject,
  keys: string[],
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const k of keys) {
    const v = obj[k];
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

const RUNNER_STATE = [
  "phase",
  "secondsInPhase",
  "processAlive",
  "exitCode",
  "statusKind",
  "phaseDetail",
  "lastProgressAt",
  "activeTaskId",
  "activeCommandId",
];

/** Where one document's runners sit, and what they inherit from around them. */
export interface NodeScope {
  /** The node the runners belong to when they do not say (runtime.nodeId, a bundle's nodeId). */
  nodeId: string | null;
  /** When the snapshot was taken, on that node's clock. */
  at: number | null;
  /** Path prefix of the runners in the document, for messages ("nodes[1].diagnostics."). */
  where: string;
  /**
   * Entries and milestones already read from this file: a capture repeats its runner's
   * flight recorder up to three times (in nodeDiagnostics, in runner, at the top).
   */
  seen: Set<string>;
}

export function newScope(nodeId: string | null, at: number | null, where = ""): NodeScope {
  return { nodeId, at, where, seen: new Set() };
}

/** Flight-recorder entries of one runner (or of no known runner: each names itself in `context`). */
export function flightRecorder(
  collector: SkulkCollector,
  list: unknown,
  where: string,
  scope: NodeScope,
  ctx: ParseContext,
  runner: RunnerIdentity | null,
): void {
  if (list == null) return;
  if (!Array.isArray(list)) {
    ctx.report.error(undefined, `"${where}" is not a list`);
    return;
  }
  list.forEach((raw, i) => {
    const identity = (isObject(raw) ? identityFromContext(raw.context) : null) ?? runner;
    if (isObject(raw) && identity) {
      const key = `e\u0000${identity.runnerId}\u0000${String(raw.at)}\u0000${String(raw.phase)}\u0000${String(raw.event)}\u0000${String(raw.detail)}`;
      if (scope.seen.has(key)) return;
      scope.seen.add(key);
    }
    if (!collector.entry(raw, 0, identity))
      ctx.report.warnOnce(`bad:${where}`, `bad entries are in "${where}" (first at index ${i})`);
  });
}

function milestones(
  collector: SkulkCollector,
  list: unknown,
  where: string,
  scope: NodeScope,
  ctx: ParseContext,
  runner: RunnerIdentity,
): void {
  if (list == null) return;
  if (!Array.isArray(list)) {
    ctx.report.error(undefined, `"${where}" is not a list`);
    return;
  }
  list.forEach((raw, i) => {
    if (isObject(raw)) {
      const key = `m\u0000${runner.runnerId}\u0000${String(raw.at)}\u0000${String(raw.name)}\u0000${String(raw.detail)}`;
      if (scope.seen.has(key)) return;
      scope.seen.add(key);
    }
    collector.milestone(runner, raw, `${where}[${i}]`);
  });
}

/** One `RunnerSupervisorDiagnostics`: identity, flight recorder, milestones, state at the snapshot. */
export function supervisorRunner(
  collector: SkulkCollector,
  runner: unknown,
  where: string,
  scope: NodeScope,
  ctx: ParseContext,
): RunnerIdentity | null {
  if (!isObject(runner)) {
    ctx.report.error(undefined, `${where} is not a JSON object`);
    return null;
  }
  const recorded = Array.isArray(runner.flightRecorder) ? runner.flightRecorder : [];
  const fromEntry =
    recorded.map((e) => (isObject(e) ? identityFromContext(e.context) : null)).find((x) => x) ?? null;
  const runnerId = str(runner.runnerId) ?? fromEntry?.runnerId ?? null;
  if (!runnerId) {
    ctx.report.error(undefined, `${where} has no runnerId`);
    return null;
  }
  const identity: RunnerIdentity = {
    runnerId,
    nodeId: str(runner.nodeId) ?? fromEntry?.nodeId ?? scope.nodeId,
    instanceId: str(runner.instanceId) ?? fromEntry?.instanceId ?? null,
    modelId: str(runner.modelId) ?? fromEntry?.modelId ?? null,
    rank: int(runner.deviceRank) ?? fromEntry?.rank ?? null,
    worldSize: int(runner.worldSize) ?? fromEntry?.worldSize ?? null,
    pid: int(runner.pid) ?? fromEntry?.pid ?? null,
    startLayer: int(runner.startLayer) ?? fromEntry?.startLayer ?? null,
    endLayer: int(runner.endLayer) ?? fromEntry?.endLayer ?? null,
    nLayers: int(runner.nLayers) ?? fromEntry?.nLayers ?? null,
  };
  collector.runner(identity);
  flightRecorder(collector, runner.flightRecorder, `${where}.flightRecorder`, scope, ctx, identity);
  milestones(collector, runner.milestones, `${where}.milestones`, scope, ctx, identity);
  const started = str(runner.phaseStartedAt);
  const startedAt = started ? collector.time.fromIso(started) : null;
  const inPhase = num(runner.secondsInPhase);
  const snapAt = scope.at ?? (startedAt !== null && inPhase !== null ? startedAt + inPhase * 1e9 : null);
  if (snapAt !== null) {
    collector.snapshot(identity, {
      at: snapAt,
      phase: str(runner.phase),
      secondsInPhase: startedAt !== null ? (snapAt - startedAt) / 1e9 : inPhase,
      state: scalarState(runner, RUNNER_STATE),
    });
    collector.memory(collector.runner(identity).lane, runner.lastMlxMemory, snapAt);
  }
  return identity;
}

/** Names for this node (runtime, identity) and for every node its placements mention. */
function nameNodes(collector: SkulkCollector, doc: JsonObject, nodeId: string | null): void {
  if (isObject(doc.runtime)) {
    collector.nameNode(nodeId, doc.runtime.friendlyName, NameSource.Runtime);
    collector.nameNode(nodeId, doc.runtime.hostname, NameSource.Hostname);
  }
  if (isObject(doc.identity)) collector.nameNode(nodeId, doc.identity.friendlyName, NameSource.Runtime);
  if (!Array.isArray(doc.placements)) return;
  for (const p of doc.placements) {
    if (!isObject(p) || !Array.isArray(p.runners)) continue;
    for (const r of p.runners) {
      if (!isObject(r)) continue;
      collector.nameNode(str(r.nodeId), r.friendlyName, NameSource.Placement);
      const runnerId = str(r.runnerId);
      if (runnerId)
        collector.placement({
          runnerId,
          nodeId: str(r.nodeId),
          instanceId: str(p.instanceId),
          modelId: str(p.modelId),
          rank: int(r.deviceRank),
          worldSize: int(r.worldSize),
          startLayer: int(r.startLayer),
          endLayer: int(r.endLayer),
          nLayers: int(r.nLayers),
        });
    }
  }
}

/**
 * One `NodeDiagnostics`. `scope.nodeId` is the fallback node (a capture's or bundle entry's
 * nodeId); `scope.at`, when set, replaces the document's own generatedAt.
 */
export function nodeDiagnostics(
  collector: SkulkCollector,
  doc: JsonObject,
  scope: NodeScope,
  ctx: ParseContext,
): void {
  const nodeId = (isObject(doc.runtime) ? str(doc.runtime.nodeId) : null) ?? str(doc.nodeId) ?? scope.nodeId;
  const inner: NodeScope = { ...scope, nodeId, at: scope.at ?? snapshotTime(ctx, doc) };
  nameNodes(collector, doc, nodeId);
  const runners = doc.supervisorRunners;
  if (Array.isArray(runners)) {
    runners.forEach((r, i) =>
      supervisorRunner(collector, r, `${scope.where}supervisorRunners[${i}]`, inner, ctx),
    );
  } else if (runners != null) {
    ctx.report.error(undefined, `"${scope.where}supervisorRunners" is not a list`);
  }
  // The node's own heuristics ("still reports a task in progress") explain hangs; a bundle
  // and a node's own file repeat them, so each is said once.
  if (Array.isArray(doc.warnings))
    for (const w of doc.warnings)
      if (typeof w === "string" && collector.once(`warning\u0000${nodeId}\u0000${w}`))
        ctx.note({
          kind: "warning",
          message: `node ${nodeId ?? "?"} reports: ${w}`,
          path: ctx.report.path,
          fields: { nodeId, warning: w },
        });
}

/**
 * A node the saving API could not reach, as a dataset note. The timeline and the bundle
 * saved in one session both list it: the same node with the same error is said once.
 */
export function unreachable(
  collector: SkulkCollector,
  ctx: ParseContext,
  nodeId: string | null,
  url: string | null,
  error: string | null,
  when: string,
): void {
  const id = nodeId ?? "?";
  if (!collector.once(`unreachable\u0000${id}\u0000${error}`)) return;
  ctx.note({
    kind: "unreachable-node",
    message: `node ${id} was unreachable when ${when}${error ? `: ${error}` : ""}`,
    path: ctx.report.path,
    fields: { nodeId: id, url, error },
  });
}
