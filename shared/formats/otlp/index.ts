import { quoteBigIntegers, readJsonRecords } from "../../ingest/records";
import { MarkerKind, SpanFlag } from "../../model/types";
import type { DirectoryFormat, Format, JsonObject, ParseContext } from "../types";
import { firstNonSpace, hasKeys, isObject, str } from "../types";

const prepare = quoteBigIntegers("startTimeUnixNano|endTimeUnixNano|timeUnixNano");

/** An OTLP AnyValue as plain JSON. */
export function anyValue(v: unknown): unknown {
  if (!isObject(v)) return null;
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v)
    return typeof v.intValue === "string" && /^-?\d{1,15}$/.test(v.intValue)
      ? Number(v.intValue)
      : v.intValue;
  if ("doubleValue" in v) return v.doubleValue;
  if ("bytesValue" in v) return v.bytesValue;
  if (isObject(v.arrayValue))
    return (Array.isArray(v.arrayValue.values) ? v.arrayValue.values : []).map(anyValue);
  if (isObject(v.kvlistValue)) return attributes(v.kvlistValue.values);
  return null;
}

export function attributes(list: unknown): JsonObject {
  const out: JsonObject = {};
  if (Array.isArray(list))
    for (const kv of list) if (isObject(kv) && typeof kv.key === "string") out[kv.key] = anyValue(kv.value);
  return out;
}

function nanos(v: unknown): bigint | null {
  if (typeof v === "string" && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return BigInt(v);
  return null;
}

interface PendingSpan {
  id: string;
  parent: string | null;
  start: number;
  end: number;
  name: string;
  flags: number;
  args: JsonObject;
  line: number;
}

/**
 * OTLP/HTTP JSON traces (any exporter's, OmniRT's included): lanes per service (and
 * thread or worker when spans say), spans nested by parentSpanId, span events as markers.
 * Nanosecond times arrive as JSON integers beyond 2^53 or as strings: both exact.
 */
function resourceSpans(ctx: ParseContext, rs: JsonObject, line: number): void {
  const resource = isObject(rs.resource) ? attributes(rs.resource.attributes) : {};
  const service =
    typeof resource["service.name"] === "string" ? (resource["service.name"] as string) : "unknown service";
  const scopes = Array.isArray(rs.scopeSpans)
    ? rs.scopeSpans
    : Array.isArray(rs.instrumentationLibrarySpans)
      ? rs.instrumentationLibrarySpans
      : [];
  const byLane = new Map<string, PendingSpan[]>();
  for (const scope of scopes) {
    if (!isObject(scope) || !Array.isArray(scope.spans)) continue;
    for (const s of scope.spans) {
      if (!isObject(s)) continue;
      const a = nanos(s.startTimeUnixNano);
      const b = nanos(s.endTimeUnixNano);
      if (a === null) {
        ctx.report.error(line, `span "${str(s.name) ?? "?"}" has no startTimeUnixNano`);
        continue;
      }
      ctx.report.records++;
      const attrs = attributes(s.attributes);
      const thread =
        attrs["thread.id"] ?? attrs["omnirt.worker_id"] ?? attrs["worker_id"] ?? attrs["worker.id"] ?? null;
      const laneKey = thread == null ? "" : String(thread);
      const start = ctx.builder.time.fromNs(a);
      const end = b === null ? start : ctx.builder.time.fromNs(b);
      const code = isObject(s.status) ? s.status.code : null;
      const error = code === 2 || code === "STATUS_CODE_ERROR";
      const span: PendingSpan = {
        id: str(s.spanId) ?? "",
        parent: str(s.parentSpanId) || null,
        start,
        end,
        name: str(s.name) ?? "span",
        flags: (error ? SpanFlag.Error : 0) | (b === null ? SpanFlag.Open : 0),
        args: { ...attrs, ...(str(s.traceId) ? { traceId: s.traceId } : {}) },
        line,
      };
      if (!byLane.has(laneKey)) byLane.set(laneKey, []);
      byLane.get(laneKey)!.push(span);
      const l = laneOf(ctx, service, laneKey, resource);
      for (const ev of Array.isArray(s.events) ? s.events : []) {
        if (!isObject(ev)) continue;
        const t = nanos(ev.timeUnixNano);
        if (t === null) continue;
        const name = str(ev.name) ?? "event";
        l.marker({
          t: ctx.builder.time.fromNs(t),
          name,
          kind: /exception|error/i.test(name) ? MarkerKind.Exception : MarkerKind.Info,
          args: attributes(ev.attributes),
          line,
        });
      }
      if (error)
        l.marker({
          t: end,
          name: `${span.name} failed`,
          kind: MarkerKind.Error,
          args: { message: isObject(s.status) ? s.status.message : null },
          line,
        });
    }
  }
  for (const [key, spans] of byLane) {
    const l = laneOf(ctx, service, key, resource);
    const parentOf = new Map(spans.map((s) => [s.id, s.parent]));
    const depth = (s: PendingSpan) => {
      let d = 0;
      for (let p = s.parent; p && parentOf.has(p) && d < 64; p = parentOf.get(p) ?? null) d++;
      return d;
    };
    for (const s of spans)
      l.span({
        start: s.start,
        end: s.end,
        name: s.name,
        depth: depth(s),
        flags: s.flags,
        args: s.args,
        line: s.line,
      });
  }
}

function laneOf(ctx: ParseContext, service: string, key: string, resource: JsonObject) {
  return ctx.builder.lane({
    id: `otlp:${service}:${key}`,
    label: key ? `${service} · ${key}` : service,
    source: "otlp",
    group: `otlp:${service}`,
    // One export holds every service of a system: the file is the run, services its groups.
    run: `otlp:${ctx.report.path}`,
    node: typeof resource["host.name"] === "string" ? (resource["host.name"] as string) : key || null,
  });
}

export const otlpTraces: Format = {
  id: "otlp.traces",
  family: "otlp",
  detect: (h) => (["{", "["].includes(firstNonSpace(h.text)) && hasKeys(h.text, "resourceSpans") ? 0.95 : 0),
  async parse(source, ctx) {
    const result = await readJsonRecords(
      source,
      ctx.report,
      { keys: ["resourceSpans"], prepare, signal: ctx.signal },
      (v, line) => {
        if (!isObject(v)) return ctx.report.error(line, "record is not an object");
        // A collector's file exporter writes one {resourceSpans: [...]} per line.
        if (Array.isArray(v.resourceSpans)) {
          for (const rs of v.resourceSpans) if (isObject(rs)) resourceSpans(ctx, rs, line);
        } else if (!("resourceSpans" in v)) {
          resourceSpans(ctx, v, line);
        }
      },
    );
    if (result.shape === "single") ctx.report.error(undefined, 'no "resourceSpans" list');
  },
};

export const otlpFormats: Format[] = [otlpTraces];
export const otlpDirectoryFormats: DirectoryFormat[] = [];
