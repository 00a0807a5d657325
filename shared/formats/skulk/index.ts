import { readJsonRecords } from "../../ingest/records";
import type { Format, Head, JsonObject } from "../types";
import { firstNonSpace, hasKeys, int, isObject, num, str } from "../types";
import {
  flightRecorder,
  newScope,
  nodeDiagnostics,
  readDocument,
  scalarState,
  snapshotTime,
  supervisorRunner,
  unreachable,
} from "./diagnostics";
import { SkulkCollector, type RunnerIdentity } from "./runner";

const looksLikeEntry = (text: string) =>
  hasKeys(text, "at", "phase", "event") && (hasKeys(text, "context") || hasKeys(text, "runnerId"));

export const skulkFlightRecorder: Format = {
  id: "skulk.flight-recorder",
  family: "skulk",
  detect(head: Head) {
    const c = firstNonSpace(head.text);
    if (c !== "[" && c !== "{") return 0;
    if (hasKeys(head.text, "supervisorRunners") || hasKeys(head.text, "timeline", "runners")) return 0;
    if (!looksLikeEntry(head.text)) return 0;
    return hasKeys(head.text, "mlxMemory") ||
      hasKeys(head.text, "runner_phase") ||
      /"phase"\s*:\s*"(?:load_model|warmup|idle|created|decode_stream|prefill_barrier|decode_barrier)"/.test(
        head.text,
      )
      ? 0.9
      : 0.6;
  },
  async parse(source, ctx) {
    const collector = SkulkCollector.of(ctx);
    const result = await readJsonRecords(
      source,
      ctx.report,
      { keys: ["entries", "flightRecorder", "timeline"], signal: ctx.signal },
      (value, line) => {
        collector.entry(value, line);
      },
    );
    if (result.shape === "single") collector.entry(result.envelope, 1);
  },
};

/** A cluster bundle: `{"generatedAt": …, "localNodeId": …, "masterNodeId": …, "nodes": …` at the top. */
const looksLikeBundle = (text: string) => hasKeys(text, "localNodeId") && /"nodes"\s*:/.test(text);

export const skulkNodeDiagnostics: Format = {
  id: "skulk.node-diagnostics",
  family: "skulk",
  detect(head) {
    if (firstNonSpace(head.text) !== "{") return 0;
    if (hasKeys(head.text, "nodeDiagnostics") || looksLikeBundle(head.text)) return 0;
    if (hasKeys(head.text, "supervisorRunners")) return 0.95;
    // A long process list can push supervisorRunners past the head; runtime comes first.
    return hasKeys(head.text, "runtime", "skulkVersion", "isMaster") ? 0.9 : 0;
  },
  async parse(source, ctx) {
    const doc = await readDocument(source, ctx);
    if (!doc) return;
    nodeDiagnostics(SkulkCollector.of(ctx), doc, newScope(null, null), ctx);
  },
};

export const skulkCapture: Format = {
  id: "skulk.capture",
  family: "skulk",
  detect(head) {
    if (firstNonSpace(head.text) !== "{" || !hasKeys(head.text, "nodeDiagnostics")) return 0;
    return hasKeys(head.text, "flightRecorder") ||
      hasKeys(head.text, "processSamples") ||
      hasKeys(head.text, "nodeId", "generatedAt")
      ? 0.97
      : 0;
  },
  async parse(source, ctx) {
    const doc = await readDocument(source, ctx);
    if (!doc) return;
    const collector = SkulkCollector.of(ctx);
    const nodeId = str(doc.nodeId);
    // The runner states were taken with nodeDiagnostics; generatedAt is when the capture
    // finished, after seconds of process sampling.
    const inner = isObject(doc.nodeDiagnostics) ? doc.nodeDiagnostics : null;
    const scope = newScope(nodeId, (inner && snapshotTime(ctx, inner)) ?? snapshotTime(ctx, doc));
    if (inner) nodeDiagnostics(collector, inner, { ...scope, where: "nodeDiagnostics." }, ctx);
    const runner = isObject(doc.runner)
      ? supervisorRunner(collector, doc.runner, "runner", scope, ctx)
      : null;
    flightRecorder(collector, doc.flightRecorder, "flightRecorder", scope, ctx, runner);
    if (runner && scope.at !== null) collector.memory(collector.runner(runner).lane, doc.mlxMemory, scope.at);
    if (Array.isArray(doc.warnings))
      for (const w of doc.warnings)
        ctx.report.warn(`capture warning: ${typeof w === "string" ? w : JSON.stringify(w)}`);
    processSamples(doc, collector);
  },
};

/**
 * `GET /v1/diagnostics/cluster`: every reachable node's NodeDiagnostics, each read as its
 * own file would be, and the nodes that could not be reached as dataset notes.
 */
export const skulkClusterDiagnostics: Format = {
  id: "skulk.cluster-diagnostics",
  family: "skulk",
  detect(head) {
    if (firstNonSpace(head.text) !== "{") return 0;
    return looksLikeBundle(head.text) && !hasKeys(head.text, "timeline") ? 0.98 : 0;
  },
  async parse(source, ctx) {
    const doc = await readDocument(source, ctx);
    if (!doc) return;
    const collector = SkulkCollector.of(ctx);
    if (!Array.isArray(doc.nodes)) {
      ctx.report.error(undefined, '"nodes" is not a list');
      return;
    }
    doc.nodes.forEach((n, i) => {
      if (!isObject(n)) return ctx.report.error(undefined, `nodes[${i}] is not a JSON object`);
      const nodeId = str(n.nodeId);
      if (isObject(n.diagnostics))
        nodeDiagnostics(collector, n.diagnostics, newScope(nodeId, null, `nodes[${i}].diagnostics.`), ctx);
      if (n.ok !== false && isObject(n.diagnostics)) return;
      const error = str(n.error) ?? (n.ok === false ? null : "it returned no diagnostics");
      unreachable(collector, ctx, nodeId, str(n.url), error, "the cluster diagnostics were collected");
    });
  },
};

/** `processSamples[]`: any numeric fields at a timestamp become `process.<field>` counters. */
function processSamples(doc: JsonObject, collector: SkulkCollector): void {
  if (!Array.isArray(doc.processSamples) || !isObject(doc.runner)) return;
  const runnerId = str(doc.runner.runnerId);
  if (!runnerId) return;
  const lane = collector.runner({ runnerId, nodeId: str(doc.nodeId) }).lane;
  for (const s of doc.processSamples) {
    if (!isObject(s)) continue;
    const at = str(s.at) ?? str(s.sampledAt) ?? str(s.timestamp) ?? str(s.generatedAt);
    const t = at ? collector.time.fromIso(at) : null;
    if (t === null) continue;
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === "number" && k !== "pid") lane.counter(`process.${k}`, t, v);
      else if (isObject(v) && typeof v.inBytes === "number") lane.counter(`process.${k}`, t, v.inBytes);
    }
  }
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
    const at = snapshotTime(ctx, doc);
    const byRunner = new Map<string, RunnerIdentity>();
    if (Array.isArray(doc.runners)) {
      for (const r of doc.runners) {
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
        if (at !== null) {
          collector.snapshot(identity, {
            at,
            phase: str(r.phase),
            secondsInPhase: num(r.secondsInPhase),
            state: scalarState(r, [
              "processAlive",
              "statusKind",
              "phase",
              "phaseDetail",
              "secondsInPhase",
              "lastProgressAt",
              "activeTaskId",
              "activeCommandId",
            ]),
          });
          collector.memory(collector.runner(identity).lane, r.lastMlxMemory, at);
        }
      }
    } else {
      ctx.report.warn('no "runners" list: instance, model and pid are unknown for every entry');
    }
    if (!Array.isArray(doc.timeline)) {
      ctx.report.error(undefined, '"timeline" is not a list');
    } else {
      doc.timeline.forEach((raw) => {
        if (!isObject(raw)) return void collector.entry(raw, 0);
        const runnerId = str(raw.runnerId);
        const joined = runnerId ? byRunner.get(runnerId) : undefined;
        if (runnerId && !joined)
          ctx.report.warnOnce(
            `unjoined:${runnerId}`,
            `runner ${runnerId} is in "timeline" but not in "runners"`,
          );
        const identity: RunnerIdentity | null = runnerId
          ? {
              ...joined,
              runnerId,
              nodeId: str(raw.nodeId) ?? joined?.nodeId,
              rank: int(raw.deviceRank) ?? joined?.rank,
              worldSize: int(raw.worldSize) ?? joined?.worldSize,
            }
          : null;
        collector.entry(raw, 0, identity);
      });
    }
    if (Array.isArray(doc.unreachableNodes))
      for (const u of doc.unreachableNodes)
        if (isObject(u))
          unreachable(collector, ctx, str(u.nodeId), str(u.url), str(u.error), "the timeline was taken");
  },
};

export const skulkFormats: Format[] = [
  skulkClusterDiagnostics,
  skulkClusterTimeline,
  skulkCapture,
  skulkNodeDiagnostics,
  skulkFlightRecorder,
];
