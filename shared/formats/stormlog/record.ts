/**
 * stormlog records → one normalized event, exactly as seed 003's `telemetry_event_from_record`
 * validates and converts them (same rules, same messages), plus schema v4 (every counter
 * nullable, `metadata.memory_capabilities` required).
 *
 * Integers may arrive as JSON numbers, or as strings marked with a leading NUL when they
 * were too long for a double (see `BIG_INT_PREPARE`): both count as integers, exactly.
 */
import { legacySessionId } from "./uuid5";

export type Rec = Record<string, unknown>;

export interface StormEvent {
  sessionId: string;
  timestampNs: bigint;
  eventType: string;
  collector: string;
  samplingIntervalMs: number;
  pid: number;
  host: string;
  deviceId: number;
  jobId: string | null;
  rank: number;
  localRank: number;
  worldSize: number;
  allocated: number | null;
  reserved: number | null;
  active: number | null;
  inactive: number | null;
  change: number | null;
  used: number | null;
  free: number | null;
  total: number | null;
  context: string | null;
  metadata: Rec;
}

/** Quotes 16+ digit integers as NUL-marked strings before JSON.parse. */
export function BIG_INT_PREPARE(text: string): string {
  return /\d{16}/.test(text) ? text.replace(/(:\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"\\u0000$2"') : text;
}

const REQUIRED_V3 = [
  "schema_version",
  "session_id",
  "timestamp_ns",
  "event_type",
  "collector",
  "sampling_interval_ms",
  "pid",
  "host",
  "device_id",
  "allocator_allocated_bytes",
  "allocator_reserved_bytes",
  "allocator_active_bytes",
  "allocator_inactive_bytes",
  "allocator_change_bytes",
  "device_used_bytes",
  "device_free_bytes",
  "device_total_bytes",
  "context",
  "metadata",
];
const OPTIONAL = ["job_id", "rank", "local_rank", "world_size"];
const REQUIRED_V2 = REQUIRED_V3.filter((f) => f !== "session_id");
const KNOWN_V2 = new Set([...REQUIRED_V2, ...OPTIONAL]);
const KNOWN_V3 = new Set([...REQUIRED_V3, ...OPTIONAL]);

const isMarked = (v: unknown): v is string =>
  typeof v === "string" && v.charCodeAt(0) === 0 && /^\0-?\d+$/.test(v);
export const isInt = (v: unknown): boolean => (typeof v === "number" && Number.isInteger(v)) || isMarked(v);
const big = (v: unknown): bigint => (isMarked(v) ? BigInt(v.slice(1)) : BigInt(v as number));
const numOf = (v: unknown): number => (isMarked(v) ? Number(v.slice(1)) : (v as number));

function int(v: unknown, name: string): number {
  if (isInt(v)) return numOf(v);
  throw new Error(`${name} must be an integer`);
}
function optInt(v: unknown, name: string): number | null {
  return v === null || v === undefined ? null : int(v, name);
}
function string(v: unknown, name: string, allowNone = false): string | null {
  if (v === null || v === undefined) {
    if (allowNone) return null;
    throw new Error(`${name} must be a non-empty string`);
  }
  if (typeof v !== "string") throw new Error(`${name} must be a string`);
  if (!v.trim() && !allowNone) throw new Error(`${name} must be a non-empty string`);
  return v;
}
const required = (v: unknown, name: string) => string(v, name)!;
const optNonEmpty = (v: unknown, name: string) => (v === null || v === undefined ? null : required(v, name));
function nonNeg(v: unknown, name: string): number {
  const n = int(v, name);
  if (n < 0) throw new Error(`${name} must be >= 0`);
  return n;
}
function positive(v: unknown, name: string): number {
  const n = int(v, name);
  if (n <= 0) throw new Error(`${name} must be >= 1`);
  return n;
}
function metadataOf(v: unknown): Rec {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("metadata must be an object");
  return { ...(v as Rec) };
}

/** `resolve_distributed_identity` without the environment (files carry no env). */
export function identity(
  job: unknown,
  rank: unknown,
  localRank: unknown,
  worldSize: unknown,
  metadata: Rec = {},
) {
  let r = rank ?? metadata.rank;
  let lr = localRank ?? metadata.local_rank;
  let ws = worldSize ?? metadata.world_size;
  const j = job ?? metadata.job_id;
  if (ws === null || ws === undefined) ws = 1;
  if (r === null || r === undefined) r = 0;
  if (lr === null || lr === undefined) lr = r;
  const jobId = optNonEmpty(j, "job_id");
  const nr = nonNeg(r, "rank");
  const nlr = nonNeg(lr, "local_rank");
  const nws = positive(ws, "world_size");
  if (nr >= nws) throw new Error("rank must be < world_size");
  if (nlr >= nws) throw new Error("local_rank must be < world_size");
  if (nws === 1 && nr !== 0) throw new Error("rank must be 0 when world_size is 1");
  if (nws === 1 && nlr !== 0) throw new Error("local_rank must be 0 when world_size is 1");
  return { jobId, rank: nr, localRank: nlr, worldSize: nws };
}

/** `validate_telemetry_record` for v2 and v3, and v4 (nullable counters, memory_capabilities). */
export function validate(record: Rec): void {
  const version = int(record.schema_version, "schema_version");
  if (version !== 2 && version !== 3 && version !== 4)
    throw new Error(`Unsupported schema_version: ${version}`);
  const requiredFields = version === 2 ? REQUIRED_V2 : REQUIRED_V3;
  const known = version === 2 ? KNOWN_V2 : KNOWN_V3;
  const missing = requiredFields.filter((f) => !(f in record));
  if (missing.length) throw new Error(`Missing required telemetry fields: ${missing.join(", ")}`);
  const unknown = Object.keys(record)
    .filter((k) => !known.has(k))
    .sort();
  if (unknown.length) throw new Error(`Unknown telemetry fields: ${unknown.join(", ")}`);
  if (version !== 2) required(record.session_id, "session_id");
  if (int(record.timestamp_ns, "timestamp_ns") < 0) throw new Error("timestamp_ns must be >= 0");
  required(record.event_type, "event_type");
  required(record.collector, "collector");
  if (int(record.sampling_interval_ms, "sampling_interval_ms") < 0)
    throw new Error("sampling_interval_ms must be >= 0");
  if (int(record.pid, "pid") < -1) throw new Error("pid must be >= -1");
  required(record.host, "host");
  if ("job_id" in record) optNonEmpty(record.job_id, "job_id");
  if ("rank" in record) nonNeg(record.rank, "rank");
  if ("local_rank" in record) nonNeg(record.local_rank, "local_rank");
  if ("world_size" in record) positive(record.world_size, "world_size");
  int(record.device_id, "device_id");
  const v4 = version === 4;
  const counter = (name: string, nullable: boolean) =>
    nullable || v4 ? optInt(record[name], name) : int(record[name], name);
  const allocated = counter("allocator_allocated_bytes", false);
  const reserved = counter("allocator_reserved_bytes", false);
  const active = counter("allocator_active_bytes", true);
  const inactive = counter("allocator_inactive_bytes", true);
  counter("allocator_change_bytes", false);
  if (allocated !== null && allocated < 0) throw new Error("allocator_allocated_bytes must be >= 0");
  if (reserved !== null && reserved < 0) throw new Error("allocator_reserved_bytes must be >= 0");
  if (active !== null && active < 0) throw new Error("allocator_active_bytes must be >= 0 when provided");
  if (inactive !== null && inactive < 0)
    throw new Error("allocator_inactive_bytes must be >= 0 when provided");
  const used = counter("device_used_bytes", false);
  const free = counter("device_free_bytes", true);
  const total = counter("device_total_bytes", true);
  if (used !== null && used < 0) throw new Error("device_used_bytes must be >= 0");
  if (free !== null && free < 0) throw new Error("device_free_bytes must be >= 0 when provided");
  if (total !== null && total < 0) throw new Error("device_total_bytes must be >= 0 when provided");
  if (total !== null && used !== null && used > total)
    throw new Error("device_used_bytes cannot exceed device_total_bytes");
  if (total !== null && free !== null && free > total)
    throw new Error("device_free_bytes cannot exceed device_total_bytes");
  string(record.context, "context", true);
  const metadata = metadataOf(record.metadata);
  if (v4 && !(typeof metadata.memory_capabilities === "object" && metadata.memory_capabilities !== null)) {
    throw new Error("metadata.memory_capabilities is required for schema_version 4");
  }
  identity(record.job_id, record.rank, record.local_rank, record.world_size);
}

/** Records stormlog's loader accepts as events (`_looks_like_event_record`). */
export function looksLikeEvent(r: Rec): boolean {
  return [
    "schema_version",
    "event_type",
    "type",
    "memory_allocated",
    "memory_mb",
    "timestamp",
    "timestamp_ns",
  ].some((k) => k in r);
}

function resolveSession(record: Rec, metadata: Rec | null, defaultSession: string): string {
  const raw = record.session_id ?? metadata?.session_id;
  if (typeof raw === "string" && raw.trim()) return raw;
  return defaultSession;
}

/** `telemetry_event_from_record`: v2/v3/v4 validated, legacy converted. Throws with the seed's message. */
export function toEvent(record: Rec, defaultSession: string): StormEvent {
  if ("schema_version" in record) {
    const version = int(record.schema_version, "schema_version");
    if (version !== 2 && version !== 3 && version !== 4)
      throw new Error(`Unsupported schema_version: ${version}`);
    const ident = identity(record.job_id, record.rank, record.local_rank, record.world_size);
    const metadata = metadataOf(record.metadata ?? {});
    const sessionId = resolveSession(record, metadata, defaultSession);
    const upgraded = { ...record, schema_version: version === 2 ? 3 : version, session_id: sessionId };
    validate(upgraded);
    return {
      sessionId,
      timestampNs: big(record.timestamp_ns),
      eventType: record.event_type as string,
      collector: record.collector as string,
      samplingIntervalMs: numOf(record.sampling_interval_ms),
      pid: numOf(record.pid),
      host: record.host as string,
      deviceId: numOf(record.device_id),
      ...ident,
      allocated: optInt(record.allocator_allocated_bytes, "allocator_allocated_bytes"),
      reserved: optInt(record.allocator_reserved_bytes, "allocator_reserved_bytes"),
      active: optInt(record.allocator_active_bytes, "allocator_active_bytes"),
      inactive: optInt(record.allocator_inactive_bytes, "allocator_inactive_bytes"),
      change: optInt(record.allocator_change_bytes, "allocator_change_bytes"),
      used: optInt(record.device_used_bytes, "device_used_bytes"),
      free: optInt(record.device_free_bytes, "device_free_bytes"),
      total: optInt(record.device_total_bytes, "device_total_bytes"),
      context: string(record.context, "context", true),
      metadata,
    };
  }
  return fromLegacy(record, defaultSession);
}

function fromLegacy(record: Rec, defaultSession: string): StormEvent {
  // _extract_metadata: the metadata object plus metadata_* keys.
  const raw = record.metadata;
  if (raw !== null && raw !== undefined && (typeof raw !== "object" || Array.isArray(raw)))
    throw new Error("metadata must be an object when provided");
  const metadata: Rec = { ...((raw as Rec) ?? {}) };
  for (const [k, v] of Object.entries(record)) if (k.startsWith("metadata_")) metadata[k.slice(9)] = v;
  let timestampNs: bigint;
  if ("timestamp_ns" in record) {
    int(record.timestamp_ns, "timestamp_ns");
    timestampNs = big(record.timestamp_ns);
  } else if (typeof record.timestamp === "number") timestampNs = BigInt(Math.trunc(record.timestamp * 1e9));
  else throw new Error("Legacy record is missing a valid timestamp");
  const deviceId = legacyDevice(record);
  const allocated =
    "allocator_allocated_bytes" in record
      ? int(record.allocator_allocated_bytes, "allocator_allocated_bytes")
      : "memory_allocated" in record
        ? int(record.memory_allocated, "memory_allocated")
        : typeof record.memory_mb === "number"
          ? Math.trunc(record.memory_mb * 1024 ** 2)
          : "device_used_bytes" in record
            ? int(record.device_used_bytes, "device_used_bytes")
            : 0;
  const reserved =
    "allocator_reserved_bytes" in record
      ? int(record.allocator_reserved_bytes, "allocator_reserved_bytes")
      : "memory_reserved" in record
        ? int(record.memory_reserved, "memory_reserved")
        : allocated;
  const change =
    "allocator_change_bytes" in record
      ? int(record.allocator_change_bytes, "allocator_change_bytes")
      : "memory_change" in record
        ? int(record.memory_change, "memory_change")
        : 0;
  const used = "device_used_bytes" in record ? int(record.device_used_bytes, "device_used_bytes") : allocated;
  let total: number | null = null;
  if ("device_total_bytes" in record) total = optInt(record.device_total_bytes, "device_total_bytes");
  else {
    const key = ["total_memory", "device_total", "total_bytes"].find((k) => k in record);
    const mkey = ["total_memory", "device_total", "total_bytes"].find((k) => k in metadata);
    if (key) total = optInt(record[key], key);
    else if (mkey) total = optInt(metadata[mkey], mkey);
  }
  const free =
    "device_free_bytes" in record
      ? optInt(record.device_free_bytes, "device_free_bytes")
      : total === null
        ? null
        : Math.max(total - used, 0);
  const eventType = string(record.event_type ?? record.type ?? "sample", "event_type") || "sample";
  const ident = identity(record.job_id, record.rank, record.local_rank, record.world_size, metadata);
  for (const k of OPTIONAL) delete metadata[k];
  const sessionId = resolveSession(record, metadata, defaultSession);
  delete metadata.session_id;
  return {
    sessionId,
    timestampNs,
    eventType,
    collector: legacyCollector(record, deviceId, metadata),
    samplingIntervalMs: int(record.sampling_interval_ms ?? 0, "sampling_interval_ms"),
    pid: "pid" in record ? int(record.pid, "pid") : "pid" in metadata ? int(metadata.pid, "pid") : -1,
    host:
      ("host" in record
        ? string(record.host, "host")
        : "host" in metadata
          ? string(metadata.host, "host")
          : null) || "unknown",
    deviceId,
    ...ident,
    allocated,
    reserved,
    active: optInt(record.allocator_active_bytes, "allocator_active_bytes"),
    inactive: optInt(record.allocator_inactive_bytes, "allocator_inactive_bytes"),
    change,
    used,
    free,
    total,
    context: string(record.context ?? record.message, "context", true),
    metadata,
  };
}

function legacyDevice(record: Rec): number {
  if ("device_id" in record) return int(record.device_id, "device_id");
  const device = record.device;
  if (typeof device === "string") {
    const lowered = device.toLowerCase();
    if (lowered.includes("cpu")) return -1;
    if (device.includes(":")) {
      const tail = device.slice(device.lastIndexOf(":") + 1);
      if (/^\d+$/.test(tail)) return Number(tail);
    }
    if (lowered.startsWith("/gpu")) return 0;
  }
  if ("memory_mb" in record) return 0;
  return -1;
}

function legacyCollector(record: Rec, deviceId: number, metadata: Rec): string {
  const c = record.collector;
  if (typeof c === "string" && c.trim()) return c;
  const backend = record.backend ?? metadata.backend;
  if (typeof backend === "string") {
    const b = backend.trim().toLowerCase();
    if (b === "mps") return "stormlog.mps_tracker";
    if (b === "rocm") return "stormlog.rocm_tracker";
    if (b === "cuda") return "stormlog.cuda_tracker";
    if (b === "cpu") return "stormlog.cpu_tracker";
  }
  if ("memory_mb" in record) return "stormlog.tensorflow.memory_tracker";
  if ("memory_allocated" in record) return deviceId === -1 ? "stormlog.cpu_tracker" : "stormlog.cuda_tracker";
  return "legacy.unknown";
}

export { legacySessionId };
