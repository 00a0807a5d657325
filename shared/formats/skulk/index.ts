import type { FileSource } from "../../ingest/source";
import { readJsonDocument, readJsonRecords } from "../../ingest/records";
import type { Format, Head, JsonObject, ParseContext } from "../types";
import { firstNonSpace, hasKeys, int, isObject, num, str } from "../types";
import { identityFromContext, SkulkCollector, type RunnerIdentity } from "./runner";

function readDocument(source: FileSource, ctx: ParseContext): Promise<JsonObject | null> {
  return readJsonDocument(source, ctx.report, { signal: ctx.signal });
}

function entries(
  collector: SkulkCollector,
  list: unknown,
  where: string,
  ctx: ParseContext,
  identity?: RunnerIdentity | null,
): void {
  if (list == null) return;
  if (!Array.isArray(list)) {
    ctx.report.error(undefined, `"${where}" is not a list`);
    return;
  }
  list.forEach((raw, i) => {
    const ok = collector.entry(raw, 0, identity ?? (isObject(raw) ? identityFromContext(raw.context) : null));
    if (!ok) ctx.report.warnOnce(`bad:${where}`, `bad entries are in "${where}" (first at index ${i})`);
  });
}

function snapshotTime(ctx: ParseContext, doc: JsonObject): number | null {
  const at = str(doc.generatedAt);
  return at === null ? null : SkulkCollector.of(ctx).time.fromIso(at);
}

/** Runner objects of node diagnostics (`supervisorRunners[]`) and of a capture (`runner`). */
function supervisorRunner(
  collector: SkulkCollector,
  runner: unknown,
  nodeId: string | null,
  at: number | null,
  ctx: ParseContext,
): void {
  if (!isObject(runner)) return;
  const list = [
    ...(Array.isArray(runner.flightRecorder) ? runner.flightRecorder : []),
    ...(Array.isArray(runner.milestones) ? runner.milestones : []),
  ];
  const fromEntry =
    list.map((e) => (isObject(e) ? identityFromContext(e.context) : null)).find((x) => x) ?? null;
  const runnerId = str(runner.runnerId) ?? fromEntry?.runnerId ?? null;
  if (!runnerId) {
    ctx.report.error(undefined, "a runner has no runnerId");
    return;
  }
  const identity: RunnerIdentity = {
    ...fromEntry,
    runnerId,
    nodeId: fromEntry?.nodeId ?? str(runner.nodeId) ?? nodeId,
    rank: int(runner.deviceRank) ?? fromEntry?.rank ?? null,
    worldSize: int(runner.worldSize) ?? fromEntry?.worldSize ?? null,
    instanceId: fromEntry?.instanceId ?? str(runner.instanceId),
    modelId: fromEntry?.modelId ?? str(runner.modelId),
  };
  collector.runner(identity);
  entries(collector, runner.flightRecorder, "flightRecorder", ctx, null);
  entries(collector, runner.milestones, "milestones", ctx, null);
  const started = str(runner.phaseStartedAt);
  const startedAt = started ? collector.time.fromIso(started) : null;
  const snapAt =
    at ??
    (startedAt !== null && num(runner.secondsInPhase) !== null
      ? startedAt + num(runner.secondsInPhase)! * 1e9
      : null);
  if (snapAt !== null) {
    collector.snapshot(identity, {
      at: snapAt,
      phase: str(runner.phase),
      secondsInPhase: startedAt !== null ? (snapAt - startedAt) / 1e9 : num(runner.secondsInPhase),
      state: scalarState(runner, [
        "phase",
        "secondsInPhase",
        "processAlive",
        "statusKind",
        "phaseDetail",
        "activeTaskId",
        "activeCommandId",
      ]),
    });
    const lane = collector.runner(identity).lane;
    collector.memory(lane, runner.lastMlxMemory, snapAt);
  }
}

function scalarState(obj: JsonObject, keys: string[]): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const k of keys) {
    const v = obj[k];
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

function parseNodeDiagnostics(
  doc: JsonObject,
  ctx: ParseContext,
  collector: SkulkCollector,
  atOverride?: number | null,
): void {
  const at = atOverride ?? snapshotTime(ctx, doc);
  const nodeId = str(doc.nodeId);
  const runners = doc.supervisorRunners;
  if (!Array.isArray(runners)) {
    ctx.report.error(undefined, '"supervisorRunners" is not a list');
    return;
  }
  for (const r of runners) supervisorRunner(collector, r, nodeId, at, ctx);
}

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

export const skulkNodeDiagnostics: Format = {
  id: "skulk.node-diagnostics",
  family: "skulk",
  detect(head) {
    if (firstNonSpace(head.text) !== "{") return 0;
    if (hasKeys(head.text, "nodeDiagnostics")) return 0;
    return hasKeys(head.text, "supervisorRunners") ? 0.95 : 0;
  },
  async parse(source, ctx) {
    const doc = await readDocument(source, ctx);
    if (!doc) return;
    const collector = SkulkCollector.of(ctx);
    parseNodeDiagnostics(doc, ctx, collector);
  },
};

export const skulkCapture: Format = {
  id: "skulk.capture",
  family: "skulk",
  detect(head) {
    if (firstNonSpace(head.text) !== "{") return 0;
    return hasKeys(head.text, "nodeDiagnostics") &&
      (hasKeys(head.text, "flightRecorder") || hasKeys(head.text, "processSamples"))
      ? 0.97
      : 0;
  },
  async parse(source, ctx) {
    const doc = await readDocument(source, ctx);
    if (!doc) return;
    const collector = SkulkCollector.of(ctx);
    const at = snapshotTime(ctx, doc);
    const nodeId = str(doc.nodeId);
    if (isObject(doc.nodeDiagnostics))
      parseNodeDiagnostics({ nodeId, ...doc.nodeDiagnostics }, ctx, collector, at);
    if (isObject(doc.runner)) {
      supervisorRunner(
        collector,
        { ...doc.runner, flightRecorder: doc.flightRecorder ?? doc.runner.flightRecorder },
        nodeId,
        at,
        ctx,
      );
      const runnerId = str(doc.runner.runnerId);
      if (runnerId && at !== null)
        collector.memory(collector.runner({ runnerId, nodeId }).lane, doc.mlxMemory, at);
    } else {
      entries(collector, doc.flightRecorder, "flightRecorder", ctx, null);
    }
    if (Array.isArray(doc.warnings))
      for (const w of doc.warnings)
        ctx.report.warn(`capture warning: ${typeof w === "string" ? w : JSON.stringify(w)}`);
    processSamples(doc, collector);
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
    if (Array.isArray(doc.unreachableNodes)) {
      for (const u of doc.unreachableNodes) {
        if (!isObject(u)) continue;
        const nodeId = str(u.nodeId) ?? "?";
        ctx.note({
          kind: "unreachable-node",
          message: `node ${nodeId} was unreachable when the timeline was taken${str(u.error) ? `: ${str(u.error)}` : ""}`,
          path: source.path,
          fields: { nodeId, url: str(u.url), error: str(u.error) },
        });
      }
    }
  },
};

export const skulkFormats: Format[] = [
  skulkClusterTimeline,
  skulkCapture,
  skulkNodeDiagnostics,
  skulkFlightRecorder,
];
