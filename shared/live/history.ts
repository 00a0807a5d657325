/**
 * Compact storage for one runner's stitched entries. An attach may run for hours (64
 * runners at one entry a second is 230k entries an hour), so an entry is four numbers in
 * typed columns: its time, an interned body (phase, event, detail, attrs, ids: a runner
 * repeats these endlessly), and references to an `at` string or an MLX memory snapshot when
 * those cannot be rebuilt from numbers alone.
 */

import { pyIso } from "../demo/random";

/** Strings shared by every runner of a history: entry bodies and memory sources. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.ids.set(s, id);
    }
    return id;
  }
}

/** Skulk's MlxMemorySnapshot in its usual shape; anything else stays in the entry body. */
export interface Memory {
  t: number;
  active: number;
  cache: number;
  peak: number;
  wiredLimit: number;
  source: number;
}

/** One parsed entry of a poll, before it is merged. */
export interface Incoming {
  t: number;
  body: number;
  /** The `at` string when pyIso cannot rebuild it from `t` (not Python's isoformat). */
  at: string | null;
  rawAt: string;
  memory: Memory | null;
}

const MEMORY_FIELDS = ["active", "cache", "peak", "wiredLimit"] as const;

function grow<T extends Float64Array | Int32Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}

/** Append-only memory snapshots of one runner; entries point at them by index. */
class MemoryColumns {
  n = 0;
  t = new Float64Array(16);
  values = [new Float64Array(16), new Float64Array(16), new Float64Array(16), new Float64Array(16)];
  source = new Int32Array(16);

  push(m: Memory): number {
    if (this.n === this.t.length) {
      const size = this.n * 2;
      this.t = grow(this.t, size);
      this.values = this.values.map((v) => grow(v, size));
      this.source = grow(this.source, size);
    }
    this.t[this.n] = m.t;
    MEMORY_FIELDS.forEach((f, k) => (this.values[k][this.n] = m[f]));
    this.source[this.n] = m.source;
    return this.n++;
  }

  equals(i: number, m: Memory): boolean {
    return (
      this.t[i] === m.t &&
      this.source[i] === m.source &&
      MEMORY_FIELDS.every((f, k) => Object.is(this.values[k][i], m[f]))
    );
  }
}

export class RunnerHistory {
  n = 0;
  t = new Float64Array(64);
  body = new Int32Array(64);
  /** -1: `at` is pyIso(t); otherwise an index into `ats`. */
  at = new Int32Array(64);
  /** -1: no columnar memory; otherwise an index into `memory`. */
  mem = new Int32Array(64);
  private readonly ats: string[] = [];
  private readonly memory = new MemoryColumns();

  /** Lifted onto every timeline entry by Skulk; kept once per runner, the latest seen. */
  nodeId: string | null = null;
  deviceRank: number | null = null;
  worldSize: number | null = null;

  constructor(readonly runnerId: string) {}

  get newest(): number | null {
    return this.n ? this.t[this.n - 1] : null;
  }

  /** First index whose time is >= t. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  same(i: number, e: Incoming): boolean {
    if (this.t[i] !== e.t || this.body[i] !== e.body) return false;
    const at = this.at[i] < 0 ? null : this.ats[this.at[i]];
    if (at !== e.at) return false;
    const mem = this.mem[i];
    if (mem < 0 || !e.memory) return mem < 0 && !e.memory;
    return this.memory.equals(mem, e.memory);
  }

  insert(i: number, e: Incoming): void {
    if (this.n === this.t.length) {
      const size = this.n * 2;
      this.t = grow(this.t, size);
      this.body = grow(this.body, size);
      this.at = grow(this.at, size);
      this.mem = grow(this.mem, size);
    }
    if (i < this.n) {
      // Out-of-order arrivals are rare: most polls only append.
      for (const col of [this.t, this.body, this.at, this.mem]) col.copyWithin(i + 1, i, this.n);
    }
    this.t[i] = e.t;
    this.body[i] = e.body;
    this.at[i] = e.at === null ? -1 : this.ats.push(e.at) - 1;
    this.mem[i] = e.memory ? this.memory.push(e.memory) : -1;
    this.n++;
  }

  /** The `at` string of entry i, exactly as it was received. */
  atString(i: number, originSec: number): string {
    const ref = this.at[i];
    return ref >= 0 ? this.ats[ref] : pyIso(originSec * 1e6 + this.t[i] / 1000);
  }

  /** The entry's columnar memory snapshot (wiredLimit NaN when Skulk sent null), or null. */
  memoryAt(i: number): { t: number; active: number; cache: number; peak: number; wiredLimit: number } | null {
    const k = this.mem[i];
    if (k < 0) return null;
    const v = this.memory.values;
    return { t: this.memory.t[k], active: v[0][k], cache: v[1][k], peak: v[2][k], wiredLimit: v[3][k] };
  }

  /** The entry's `mlxMemory` value as JSON, or null when it has none in columns. */
  memoryJson(i: number, originSec: number, strings: Interner): string | null {
    const k = this.mem[i];
    if (k < 0) return null;
    const m = this.memory;
    const bytes = (v: number) => (Number.isNaN(v) ? "null" : `{"inBytes":${v}}`);
    return (
      `{"generatedAt":${JSON.stringify(pyIso(originSec * 1e6 + m.t[k] / 1000))}` +
      MEMORY_FIELDS.map((f, j) => `,"${f}":${bytes(m.values[j][k])}`).join("") +
      `,"source":${JSON.stringify(strings.values[m.source[k]])}}`
    );
  }

  /** Approximate bytes held by this runner's columns (for the status line). */
  get bytes(): number {
    return this.t.length * 20 + this.memory.t.length * 44;
  }
}

let cachedSec = NaN;
let cachedPrefix = "";

/**
 * Whether pyIso rebuilds `at` from its time: Python's isoformat, the common case, stored as
 * nothing. Checked by shape, with the date-time prefix formatted once per second (this runs
 * for every entry of every poll).
 */
export function isPyIso(at: string, t: number, originSec: number): boolean {
  if (t % 1000 !== 0 || !at.endsWith("+00:00")) return false;
  const ns = ((t % 1e9) + 1e9) % 1e9;
  if (at.length === 25) {
    if (ns !== 0) return false;
  } else if (at.length === 32) {
    // Python leaves the fraction out when it is zero, and writes six digits otherwise.
    if (ns === 0 || at[19] !== "." || at.slice(20, 26) !== String(ns / 1000).padStart(6, "0")) return false;
  } else {
    return false;
  }
  const sec = originSec + Math.floor(t / 1e9);
  if (sec !== cachedSec) {
    cachedSec = sec;
    cachedPrefix = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  return at.startsWith(cachedPrefix);
}
