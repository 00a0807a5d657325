import type { StormEvent } from "./record";

/** Metadata in one form: keys sorted, integers as NUL-marked digits whichever way they came. */
function canonical(v: unknown): unknown {
  if (typeof v === "number" && Number.isInteger(v)) return `\u0000${v}`;
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
  return out;
}

/**
 * Two 32-bit halves of a hash (cyrb53's mixing), fed field by field into a typed-array
 * state: no identity string is built per record, and no object per record either (both
 * cost as much as parsing the record).
 */
const state = new Int32Array(2);

function mixText(text: string | null): void {
  let h1 = state[0];
  let h2 = state[1];
  if (text !== null)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  // A separator (or null's mark) no field holds, so ("ab", "c") and ("a", "bc") differ.
  const end = text === null ? 0x7fffffff : 0x1f;
  state[0] = Math.imul(h1 ^ end, 2654435761);
  state[1] = Math.imul(h2 ^ end, 1597334677);
}

/** An integer up to 2^53 (or null) as its two 32-bit halves. */
function mixInt(v: number | null): void {
  const a = v === null ? 0x7ffffffe : v | 0;
  const b = v === null ? 1 : Math.floor(v / 4294967296) | 0;
  state[0] = Math.imul(Math.imul(state[0] ^ a, 2654435761) ^ b, 2654435761);
  state[1] = Math.imul(Math.imul(state[1] ^ a, 1597334677) ^ b, 1597334677);
}

/**
 * What makes two records of one lane (session, rank, device) the same event: everything
 * else the normalized event holds, not only the timestamp and type: a tracker can stamp an
 * allocation and a sample in the same nanosecond. Normalized, so one event written as a v3
 * export (keys in dict order), a v2 sink segment (sorted keys, no session id) and a pandas
 * CSV (ints as floats, metadata as a Python repr) has one identity. Leaves it in `state`.
 */
function hashRecord(e: StormEvent): void {
  state[0] = 0xdeadbeef;
  state[1] = 0x41c6ce57;
  mixInt(Number(e.timestampNs % 4294967296n));
  mixInt(Number(e.timestampNs / 4294967296n));
  mixText(e.eventType);
  mixText(e.context);
  mixInt(e.allocated);
  mixInt(e.reserved);
  mixInt(e.active);
  mixInt(e.inactive);
  mixInt(e.change);
  mixInt(e.used);
  mixInt(e.free);
  mixInt(e.total);
  // Fixed for a session's lane in practice, but cheap to include: integers only.
  mixInt(e.pid);
  mixInt(e.samplingIntervalMs);
  mixInt(e.localRank);
  mixInt(e.worldSize);
  let empty = true;
  for (const _ in e.metadata) {
    empty = false;
    break;
  }
  mixText(empty ? "{}" : JSON.stringify(canonical(e.metadata)));
  const h1 = state[0];
  const h2 = state[1];
  state[0] = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  state[1] = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(state[0] ^ (state[0] >>> 13), 3266489909);
}

/**
 * Which input first held each record of one lane. Identical records within one input all
 * count (the file says each happened); a record an earlier input already held is that record.
 * An open-addressing table of 64-bit hashes in typed arrays: 12 bytes a record, where a Map
 * of boxed numbers cost several times that and a third of the parse time.
 */
export class RecordSet {
  private lo = new Uint32Array(1024);
  private hi = new Uint32Array(1024);
  /** Input index + 1; 0 = empty slot. */
  private input = new Uint32Array(1024);
  private size = 0;

  /** The input that first held this record: `input` itself when no earlier one did. */
  firstInput(e: StormEvent, input: number): number {
    hashRecord(e);
    return this.lookup(state[0] >>> 0, state[1] >>> 0, input + 1) - 1;
  }

  private lookup(lo: number, hi: number, input: number): number {
    const mask = this.input.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = this.input[i];
      if (at === 0) {
        this.lo[i] = lo;
        this.hi[i] = hi;
        this.input[i] = input;
        if (++this.size * 2 > this.input.length) this.grow();
        return input;
      }
      if (this.lo[i] === lo && this.hi[i] === hi) return at;
    }
  }

  private grow(): void {
    const { lo, hi, input } = this;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(lo.length * 2);
    this.input = new Uint32Array(lo.length * 2);
    this.size = 0;
    for (let i = 0; i < lo.length; i++) if (input[i]) this.lookup(lo[i], hi[i], input[i]);
  }
}
