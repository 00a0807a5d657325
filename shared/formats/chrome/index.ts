import { readJsonRecords } from "../../ingest/records";
import { baseName } from "../../ingest/source";
import type { LaneBuilder } from "../../model/builder";
import { nestingDepths } from "../../model/columns";
import { parseIsoNs } from "../../model/time";
import type { LaneInfo } from "../../model/types";
import type { DirectoryFormat, Format, JsonObject, ParseContext } from "../types";
import { firstNonSpace, hasKeys, isObject, str } from "../types";
import { exactNs, quoteLongTimes } from "./clock";
import { KinetoJobs, kinetoInfo, kinetoLane, type KinetoInfo } from "./kineto";
import { TraceReader, type Thread } from "./reader";

/** Before this (2000-01-01), a `ts` is not an epoch time but counts from boot or from zero. */
const EPOCH_2000_NS = 946_684_800n * 1_000_000_000n;

/**
 * Skulk's `trace_{task_id}.json` names threads "Rank N" and carries rank and node in args;
 * other traces are named by their thread_name / process_name metadata.
 */
function genericLane(reader: TraceReader, path: string, t: Thread): Partial<LaneInfo> {
  const hint = t.hint;
  const rank = hint && typeof hint.rank === "number" ? hint.rank : null;
  const node = hint ? str(hint.node_id) : null;
  const label =
    reader.threadNames.get(t.key) ??
    (node && rank !== null
      ? `${node} · rank ${rank}`
      : t.tid
        ? `thread ${t.tid}`
        : `process ${t.pid || "(none)"}`);
  const pname = reader.processNames.get(t.pid);
  const m = rank === null ? /rank\s*(\d+)/i.exec(label) : null;
  return {
    label,
    group: pname ? `trace:${pname}` : `trace:${baseName(path)}${t.pid && t.pid !== "0" ? `:${t.pid}` : ""}`,
    // One trace file is one capture: its processes are groups of one run.
    run: `trace:${path}`,
    node,
    rank: rank ?? (m ? Number(m[1]) : null),
    modelId: hint ? str(hint.model_id) : null,
  };
}

/** Where the file's clock anchor sits on the dataset's timeline, with a warning when it is a guess. */
function anchorOffset(
  reader: TraceReader,
  ctx: ParseContext,
  envelope: JsonObject,
  kineto: KinetoInfo | null,
): number {
  const time = ctx.builder.time;
  if (kineto?.baseNs != null) return time.fromNs(reader.clock.anchorNs(kineto.baseNs));
  const anchor = reader.clock.anchorNs(null);
  if (anchor >= EPOCH_2000_NS) return time.fromNs(anchor);
  // DevTools counts from boot, but says when the recording started.
  const meta = isObject(envelope.metadata) ? envelope.metadata : null;
  const started = str(meta?.startTime) ? parseIsoNs(str(meta?.startTime)!) : null;
  if (started !== null) {
    ctx.report.warn(
      `"ts" counts from boot, not the epoch: the first event is placed at metadata.startTime (${meta!.startTime}), to about a millisecond`,
    );
    return time.fromNs(started) - reader.min;
  }
  ctx.report.warn(
    kineto
      ? 'no "baseTimeNanoseconds" (the file ends early?): "ts" counts from an unknown start, shown from 1970-01-01'
      : '"ts" is not an epoch time (it counts from boot or from zero): the trace starts near 1970-01-01',
  );
  return time.fromNs(anchor);
}

/** Turns the buffered threads into lanes, once the whole file (and its envelope) is known. */
function emitLanes(reader: TraceReader, ctx: ParseContext, path: string, envelope: JsonObject): void {
  const threads = reader.resolve();
  if (!threads.length) return;
  const kineto = kinetoInfo(envelope);
  const origin = anchorOffset(reader, ctx, envelope, kineto);
  const lanes: LaneBuilder[] = [];
  for (const t of threads) {
    const ident = reader.identities.get(t.key);
    const id = `trace:${path}:${t.pid}:${t.tid}`;
    const info: Partial<LaneInfo> = ident
      ? { ...ident, source: ident.source ?? "trace" }
      : kineto
        ? kinetoLane(path, kineto, {
            pid: t.pid,
            tid: t.tid,
            process: reader.processNames.get(t.pid) ?? null,
            processLabel: reader.processLabels.get(t.pid) ?? null,
            thread: reader.threadNames.get(t.key) ?? null,
          })
        : genericLane(reader, path, t);
    const lane = ctx.builder.lane({ id, label: id, source: "trace", group: "trace", ...info });
    lanes.push(lane);
    // Depth from nesting: a span inside the one before it is one level deeper.
    const sp = t.spans;
    const order = sp.order();
    const start = sp.start.view();
    const end = sp.end.view();
    const given = sp.depth.view();
    const depth = nestingDepths(start, end, order);
    for (let i = 0; i < depth.length; i++) if (!Number.isNaN(given[i])) depth[i] = given[i];
    const { name, args } = sp;
    lane.spanBatch(
      { start, end, depth, flags: sp.flags.view(), line: sp.line.view(), name, args },
      order,
      origin,
    );
    for (const m of t.markers)
      lane.marker({ t: origin + m.t, name: m.name, kind: m.kind, args: m.args, line: m.line });
    for (const [series, c] of t.counters) lane.counterBatch(series, c.t, c.v, origin);
  }
  if (kineto && kineto.rank !== null && !reader.identities.size) {
    const anchor = reader.clock.anchorNs(kineto.baseNs);
    const start = anchor + BigInt(Math.round(reader.min));
    const end = anchor + BigInt(Math.round(reader.max));
    KinetoJobs.of(ctx).add(path, kineto.worldSize, start, end, lanes);
  }
}

/**
 * When the stream broke before the end (a damaged gzip), the envelope is lost: the fields
 * Kineto writes first (newer versions put the base time there) still sit in the head.
 */
async function envelopeFromHead(source: { head(n: number): Promise<Uint8Array> }): Promise<JsonObject> {
  const text = new TextDecoder().decode(await source.head(64 * 1024));
  const out: JsonObject = {};
  const base = /"baseTimeNanoseconds"\s*:\s*(\d+)/.exec(text);
  if (base && exactNs(base[1]) !== null) out.baseTimeNanoseconds = base[1];
  const dist = /"distributedInfo"\s*:\s*\{[^{}]*?"rank"\s*:\s*(\d+)[^{}]*?"world_size"\s*:\s*(\d+)/.exec(
    text,
  );
  if (dist) out.distributedInfo = { rank: Number(dist[1]), world_size: Number(dist[2]) };
  return out;
}

export const chromeTrace: Format = {
  id: "chrome-trace",
  family: "trace",
  detect(head) {
    const c = firstNonSpace(head.text);
    if (c === "{" && hasKeys(head.text, "traceEvents")) return 0.95;
    // Kineto's envelope (device properties, every process group's ranks) can outgrow the head.
    if (
      c === "{" &&
      hasKeys(head.text, "schemaVersion") &&
      /"(distributedInfo|deviceProperties)"/.test(head.text)
    )
      return 0.9;
    if (c === "[" && /"ph"\s*:\s*"[XBEiICMn]"/.test(head.text) && hasKeys(head.text, "ts", "pid"))
      return 0.85;
    return 0;
  },
  async parse(source, ctx) {
    const reader = new TraceReader(ctx.report);
    let envelope: JsonObject | null = null;
    try {
      const result = await readJsonRecords(
        source,
        ctx.report,
        {
          keys: ["traceEvents"],
          prepare: quoteLongTimes,
          rawEnvelopeKeys: ["baseTimeNanoseconds"],
          signal: ctx.signal,
        },
        (v, line) => reader.event(v, line),
      );
      envelope = result.envelope;
    } finally {
      // Whatever was read before a failure still loads; the failure is the file's error.
      if (!ctx.signal?.aborted) {
        const known = envelope ?? (await envelopeFromHead(source).catch(() => ({})));
        emitLanes(reader, ctx, source.path, known);
      }
    }
  },
};

export const chromeFormats: Format[] = [chromeTrace];
export const chromeDirectoryFormats: DirectoryFormat[] = [];
