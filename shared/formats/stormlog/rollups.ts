import { readJsonDocument } from "../../ingest/records";
import type { FileSource } from "../../ingest/source";
import type { ParseContext } from "../types";
import { isObject } from "../types";
import { BIG_INT_PREPARE } from "./record";

const PEAKS: [string, string][] = [
  ["allocator_allocated_bytes", "rollup.allocator.allocated.peak"],
  ["allocator_reserved_bytes", "rollup.allocator.reserved.peak"],
  ["device_used_bytes", "rollup.device.used.peak"],
];

const bigOf = (v: unknown): bigint | null =>
  typeof v === "number" && Number.isInteger(v)
    ? BigInt(v)
    : typeof v === "string" && /^\0-?\d+$/.test(v)
      ? BigInt(v.slice(1))
      : null;

/**
 * `rollups.json` (format stormlog.telemetry_rollups): per session, per window, the peak of
 * each counter with the rank and device it happened on. Each peak is a sample of a
 * `rollup.*.peak` counter on that rank's lane, at the peak's timestamp.
 */
export async function parseRollups(source: FileSource, ctx: ParseContext): Promise<void> {
  const doc = await readJsonDocument(source, ctx.report, { prepare: BIG_INT_PREPARE, signal: ctx.signal });
  if (!doc) return;
  if (!Array.isArray(doc.sessions)) return ctx.report.error(undefined, 'rollups have no "sessions" list');
  if (doc.schema_version !== 1)
    ctx.report.warn(`rollups schema_version ${String(doc.schema_version)} (read as 1)`);
  for (const s of doc.sessions) {
    if (!isObject(s) || !isObject(s.session)) continue;
    const session = s.session;
    const sessionId = typeof session.session_id === "string" ? session.session_id : "?";
    const host = typeof session.host === "string" ? session.host : "unknown";
    const windows = Array.isArray(s.windows) ? s.windows : [];
    for (const w of windows) {
      if (!isObject(w) || !isObject(w.counters)) continue;
      ctx.report.records++;
      for (const [field, name] of PEAKS) {
        const p = w.counters[field];
        if (!isObject(p) || typeof p.value !== "number") continue;
        const ts = bigOf(p.timestamp_ns) ?? bigOf(w.start_ns);
        if (ts === null) continue;
        const rank = typeof p.rank === "number" ? p.rank : 0;
        const device = typeof p.device_id === "number" ? p.device_id : 0;
        const lane = ctx.builder.lane({
          id: `stormlog:${sessionId}:${rank}:${device}`,
          label: `${host} · rank ${rank} · device ${device}`,
          source: "stormlog",
          group: `stormlog:${sessionId}`,
          node: host,
          rank,
          worldSize: typeof session.world_size === "number" ? session.world_size : null,
          device: device < 0 ? "cpu" : `device ${device}`,
        });
        lane.counter(name, ctx.builder.time.fromNs(ts), p.value);
      }
    }
  }
}
