import { readJsonRecords } from "../../ingest/records";
import type { Format, Head, JsonObject } from "../types";
import { firstNonSpace, hasKeys, isObject, str } from "../types";
import {
  flightRecorder,
  newScope,
  nodeDiagnostics,
  readDocument,
  snapshotTime,
  supervisorRunner,
  unreachable,
} from "./diagnostics";
import { SkulkCollector } from "./runner";
import { skulkClusterTimeline } from "./timeline";

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

export const skulkFormats: Format[] = [
  skulkClusterDiagnostics,
  skulkClusterTimeline,
  skulkCapture,
  skulkNodeDiagnostics,
  skulkFlightRecorder,
];
