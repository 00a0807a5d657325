/** Growable typed-array columns: amortised O(1) append, trimmed views at the end. */

type TypedArrayCtor<T> = { new (length: number): T; BYTES_PER_ELEMENT: number };
type NumericArray = Float64Array | Uint32Array | Uint8Array;

export class Column<T extends NumericArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    capacity = 64,
  ) {
    this.data = new ctor(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /**
   * Room for `n` more values: the array to write them into, from index `length` on; the
   * caller then adds `n` to `length`. A batch written so skips a call and a check per value.
   */
  room(n: number): T {
    if (this.length + n > this.data.length) this.grow(this.length + n);
    return this.data;
  }

  private grow(atLeast: number): void {
    const grown = new this.ctor(Math.max(this.data.length * 2, atLeast));
    (grown as unknown as { set(a: T): void }).set(this.data);
    this.data = grown;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** The filled part, not copied: valid until the next push. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /** A compact copy of the filled part. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export const f64 = () => new Column(Float64Array);
export const u32 = () => new Column(Uint32Array);
export const u8 = () => new Column(Uint8Array);

/** Returns the permutation that sorts `keys` ascending (stable), or null if already sorted. */
export function sortOrder(keys: Float64Array, tieBreak?: Float64Array): Uint32Array | null {
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i] < keys[i - 1] || (tieBreak && keys[i] === keys[i - 1] && tieBreak[i] < tieBreak[i - 1])) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  // A plain array: its sort (TimSort) is near-linear on the nearly sorted keys this mostly
  // gets; a typed array's sort with a comparator is a merge sort, n log n whatever the order.
  const idx: number[] = [];
  for (let i = 0; i < keys.length; i++) idx.push(i);
  idx.sort((a, b) => keys[a] - keys[b] || (tieBreak ? tieBreak[a] - tieBreak[b] : 0) || a - b);
  const order = new Uint32Array(idx.length);
  for (let i = 0; i < idx.length; i++) order[i] = idx[i];
  return order;
}

/**
 * Each span's depth by nesting, visiting them in `order` (null: as they are): how many spans
 * visited before it are still running at its start, at most 255. A trace's reader and the
 * join of its parts nest by this one rule.
 */
export function nestingDepths(
  start: Float64Array,
  end: Float64Array,
  order: ArrayLike<number> | null,
): Uint8Array {
  const out = new Uint8Array(start.length);
  const ends: number[] = [];
  for (let k = 0; k < start.length; k++) {
    const i = order ? order[k] : k;
    while (ends.length && ends[ends.length - 1] <= start[i]) ends.pop();
    out[i] = Math.min(ends.length, 255);
    ends.push(end[i]);
  }
  return out;
}

/** `arr` in the order of `order` (which may also pick a subset), or `arr` itself for null. */
export function permute<T extends NumericArray>(arr: T, order: Uint32Array | null): T {
  if (!order) return arr;
  const out = new (arr.constructor as TypedArrayCtor<T>)(order.length);
  for (let i = 0; i < order.length; i++) out[i] = arr[order[i]];
  return out;
}

export function concat<T extends NumericArray>(parts: T[]): T {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new (parts[0].constructor as TypedArrayCtor<T>)(total);
  let at = 0;
  for (const p of parts) {
    (out as unknown as { set(a: T, o: number): void }).set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Drops a sample equal in time and value to the one before it: the same snapshot read from
 * two files (a runner's flight recorder and the cluster timeline) says nothing twice.
 */
export function dropRepeats(t: Float64Array, v: Float64Array): { t: Float64Array; v: Float64Array } {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    if (n > 0 && t[i] === t[n - 1] && v[i] === v[n - 1]) continue;
    t[n] = t[i];
    v[n] = v[i];
    n++;
  }
  return n === t.length ? { t, v } : { t: t.slice(0, n), v: v.slice(0, n) };
}
