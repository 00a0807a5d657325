import type { StormEvent } from "./record";

/**
 * What makes two stormlog records the same event: every field of the normalized event, not
 * only (session, timestamp, type): a tracker can stamp an allocation and a sample, or two
 * ranks' samples, in the same nanosecond. Normalized, so one event written as a v3 export
 * (keys in dict order), a v2 sink segment (sorted keys, no session id) and a pandas CSV
 * (ints as floats, metadata as a Python repr) has one identity. Metadata keys are sorted.
 */
export function recordIdentity(e: StormEvent): string {
  return JSON.stringify([
    e.sessionId,
    e.timestampNs.toString(),
    e.eventType,
    e.collector,
    e.samplingIntervalMs,
    e.pid,
    e.host,
    e.deviceId,
    e.jobId,
    e.rank,
    e.localRank,
    e.worldSize,
    e.allocated,
    e.reserved,
    e.active,
    e.inactive,
    e.change,
    e.used,
    e.free,
    e.total,
    e.context,
    sortedKeys(e.metadata),
  ]);
}

/** Metadata in one form: keys sorted, integers as NUL-marked digits whichever way they came. */
function sortedKeys(v: unknown): unknown {
  if (typeof v === "number" && Number.isInteger(v)) return `\u0000${v}`;
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Record<string, unknown>)[k]);
  return out;
}

/** cyrb53: a 53-bit string hash, so a million identities cost numbers, not strings. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Which input first held each record. Identical records within one input all count (the
 * file says each happened); a record that an earlier input already held is that record.
 */
export class RecordSet {
  private readonly firstBy = new Map<number, number>();

  /** The input that first held this record: `input` itself when no earlier one did. */
  firstInput(e: StormEvent, input: number): number {
    const key = hash53(recordIdentity(e));
    const first = this.firstBy.get(key);
    if (first !== undefined) return first;
    this.firstBy.set(key, input);
    return input;
  }
}
