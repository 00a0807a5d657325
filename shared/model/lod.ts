/**
 * Level-of-detail summaries, so a frame's work depends on pixels, not on events (Perfetto's
 * counter "mipmaps"). Level k summarises at buckets of 2^k ns; the timeline reads the
 * coarsest level whose bucket is at most two pixels wide.
 *
 * Counters: per non-empty bucket, the first sample's time and the min, max and last value.
 * Spans: spans shorter than the bucket merge with close neighbours of the same depth into
 * one span (named after the longest member), so sub-pixel spans cost one rectangle.
 */
import { f64, u32, u8 } from "./columns";
import type { CounterSeries, LaneData } from "./types";

export interface CounterLevel {
  /** log2 of the bucket width in ns. */
  k: number;
  t: Float64Array;
  min: Float64Array;
  max: Float64Array;
  last: Float64Array;
}

export interface SpanLevel {
  k: number;
  start: Float64Array;
  end: Float64Array;
  /** Running maximum of `end`: the first span reaching a time is a binary search away. */
  maxEnd: Float64Array;
  /** String ids of the lane's table. */
  name: Uint32Array;
  depth: Uint8Array;
  flags: Uint8Array;
  /** How many raw spans this one stands for. */
  count: Uint32Array;
}

export interface LaneLod {
  spans: SpanLevel[];
  /** Parallel to lane.counters. */
  counters: CounterLevel[][];
}

/** Only levels at least this many times smaller than the raw data are kept. */
const KEEP_RATIO = 4;

/** Levels step by a factor of 4: enough resolution choices, a third of the memory of 2x. */
const STEP = 2;

/** Typical distance between consecutive times (the median gap), from a sample of them. */
function typicalGap(t: Float64Array): number {
  const gaps: number[] = [];
  const step = Math.max(1, Math.floor(t.length / 512));
  for (let i = step; i < t.length; i += step) if (t[i] > t[i - 1]) gaps.push(t[i] - t[i - 1]);
  gaps.sort((a, b) => a - b);
  return gaps.length ? gaps[gaps.length >> 1] : 1;
}

/** Levels from well below the typical gap (nothing merges yet) up to the whole extent. */
function levelRange(extent: number, gap: number): number[] {
  if (!(extent > 0)) return [];
  const lo = Math.max(0, Math.floor(Math.log2(Math.max(gap, 1))) - 3);
  const hi = Math.ceil(Math.log2(extent)) + 1;
  const out: number[] = [];
  for (let k = lo; k <= hi; k += STEP) out.push(k);
  return out;
}

function bucketLevel(
  k: number,
  t: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  last: Float64Array,
): CounterLevel {
  const w = 2 ** k;
  const ot = f64();
  const omin = f64();
  const omax = f64();
  const olast = f64();
  let bucket = NaN;
  for (let i = 0; i < t.length; i++) {
    const b = Math.floor(t[i] / w);
    if (b !== bucket) {
      bucket = b;
      ot.push(t[i]);
      omin.push(lo[i]);
      omax.push(hi[i]);
      olast.push(last[i]);
    } else {
      const j = ot.length - 1;
      if (lo[i] < omin.get(j)) omin.set(j, lo[i]);
      if (hi[i] > omax.get(j)) omax.set(j, hi[i]);
      olast.set(j, last[i]);
    }
  }
  return { k, t: ot.toArray(), min: omin.toArray(), max: omax.toArray(), last: olast.toArray() };
}

/** Each level is built from the one below, so the whole pyramid costs O(n). */
export function buildCounterLod(c: CounterSeries): CounterLevel[] {
  const n = c.t.length;
  if (n < 64) return [];
  const extent = c.t[n - 1] - c.t[0];
  const levels: CounterLevel[] = [];
  let src = { t: c.t, min: c.v, max: c.v, last: c.v };
  for (const k of levelRange(extent, typicalGap(c.t))) {
    const level = bucketLevel(k, src.t, src.min, src.max, src.last);
    if (level.t.length === src.t.length) continue;
    src = level;
    // A level that does not cut the raw data 4x saves less drawing than it costs to store.
    if (level.t.length * KEEP_RATIO > n) continue;
    levels.push(level);
    if (level.t.length <= 1) break;
  }
  return levels;
}

interface SpanSource {
  start: Float64Array;
  end: Float64Array;
  name: Uint32Array;
  depth: Uint8Array;
  flags: Uint8Array;
  count: Uint32Array;
}

function mergeLevel(k: number, s: SpanSource): SpanLevel {
  const w = 2 ** k;
  const out = { start: f64(), end: f64(), name: u32(), depth: u8(), flags: u8(), count: u32() };
  // One open blob per depth: merging never crosses depths.
  const blobs = new Map<
    number,
    { start: number; end: number; flags: number; count: number; durs: Map<number, number> }
  >();
  const flush = (d: number) => {
    const b = blobs.get(d);
    if (!b) return;
    let best = 0;
    let bestDur = -1;
    for (const [name, dur] of b.durs) if (dur > bestDur) [best, bestDur] = [name, dur];
    out.start.push(b.start);
    out.end.push(b.end);
    out.name.push(best);
    out.depth.push(d);
    out.flags.push(b.flags);
    out.count.push(b.count);
    blobs.delete(d);
  };
  for (let i = 0; i < s.start.length; i++) {
    const d = s.depth[i];
    const dur = s.end[i] - s.start[i];
    const b = blobs.get(d);
    if (dur >= w) {
      flush(d);
      out.start.push(s.start[i]);
      out.end.push(s.end[i]);
      out.name.push(s.name[i]);
      out.depth.push(d);
      out.flags.push(s.flags[i]);
      out.count.push(s.count[i]);
      continue;
    }
    if (b && s.start[i] - b.end <= w) {
      b.end = Math.max(b.end, s.end[i]);
      b.flags |= s.flags[i];
      b.count += s.count[i];
      b.durs.set(s.name[i], (b.durs.get(s.name[i]) ?? 0) + dur);
      continue;
    }
    flush(d);
    blobs.set(d, {
      start: s.start[i],
      end: s.end[i],
      flags: s.flags[i],
      count: s.count[i],
      durs: new Map([[s.name[i], dur]]),
    });
  }
  for (const d of [...blobs.keys()]) flush(d);
  // Flushing per depth can leave starts out of order across depths: sort once.
  const start = out.start.toArray();
  const order = Array.from(start.keys()).sort((a, b) => start[a] - start[b] || a - b);
  const pick = <T extends Float64Array | Uint32Array | Uint8Array>(arr: T): T => {
    const o = new (arr.constructor as new (n: number) => T)(arr.length);
    for (let i = 0; i < order.length; i++) o[i] = arr[order[i]];
    return o;
  };
  const sorted = { start: pick(start), end: pick(out.end.toArray()) };
  const maxEnd = new Float64Array(sorted.end.length);
  let m = -Infinity;
  for (let i = 0; i < maxEnd.length; i++) maxEnd[i] = m = Math.max(m, sorted.end[i]);
  return {
    k,
    start: sorted.start,
    end: sorted.end,
    maxEnd,
    name: pick(out.name.toArray()),
    depth: pick(out.depth.toArray()),
    flags: pick(out.flags.toArray()),
    count: pick(out.count.toArray()),
  };
}

export function buildSpanLod(lane: LaneData): SpanLevel[] {
  const s = lane.spans;
  const n = s.start.length;
  if (n < 64) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, s.start[i]);
    hi = Math.max(hi, s.end[i]);
  }
  const levels: SpanLevel[] = [];
  let src: SpanSource = { ...s, count: new Uint32Array(n).fill(1) };
  for (const k of levelRange(hi - lo, typicalGap(s.start))) {
    const level = mergeLevel(k, src);
    if (level.start.length === src.start.length) continue;
    src = level;
    if (level.start.length * KEEP_RATIO > n) continue;
    levels.push(level);
    if (level.start.length <= 1) break;
  }
  return levels;
}

export function buildLaneLod(lane: LaneData): LaneLod {
  return { spans: buildSpanLod(lane), counters: lane.counters.map(buildCounterLod) };
}

/**
 * The coarsest level whose bucket is at most two pixels (`nsPerPx` each), or null for raw
 * data. Levels step by 4x, so this is a bucket of half a pixel to two: spans shorter than
 * that, that close together, are drawn as one. At a pixel, views just past a level's step
 * drew four items a pixel (a zoom through a 64-rank run at 3,800 s took up to 58 ms a frame).
 */
export function pickLevel<T extends { k: number }>(levels: T[], nsPerPx: number): T | null {
  let best: T | null = null;
  for (const l of levels) if (2 ** l.k <= nsPerPx * 2) best = l;
  return best;
}
