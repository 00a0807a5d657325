/**
 * Level-of-detail summaries, so a frame's work depends on pixels, not on events (Perfetto's
 * counter "mipmaps"). Level k summarises at buckets of 2^k ns; the timeline reads the
 * coarsest level whose bucket is at most two pixels wide.
 *
 * Counters: per non-empty bucket, the first sample's time and the min, max and last value.
 * Spans: spans shorter than the bucket merge with close neighbours of the same depth into
 * one span (named after the longest member), so sub-pixel spans cost one rectangle.
 */
import { permute, sortOrder } from "./columns";
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
  // Counted first, so the level is written straight into arrays of its size. Each loop is a
  // function of its own: compiled on stack inside one function, the code after the first loop
  // had never run, and V8 threw it away at every level (hundreds of times an import).
  const n = bucketCount(t, w);
  const level = {
    k,
    t: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    last: new Float64Array(n),
  };
  fillBuckets(level, w, t, lo, hi, last);
  return level;
}

function bucketCount(t: Float64Array, w: number): number {
  let n = 0;
  let bucket = NaN;
  for (let i = 0; i < t.length; i++) {
    const b = Math.floor(t[i] / w);
    if (b !== bucket) {
      bucket = b;
      n++;
    }
  }
  return n;
}

function fillBuckets(
  out: CounterLevel,
  w: number,
  t: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  last: Float64Array,
): void {
  const { t: ot, min: omin, max: omax, last: olast } = out;
  let j = -1;
  let bucket = NaN;
  for (let i = 0; i < t.length; i++) {
    const b = Math.floor(t[i] / w);
    if (b !== bucket) {
      bucket = b;
      j++;
      ot[j] = t[i];
      omin[j] = lo[i];
      omax[j] = hi[i];
    } else {
      if (lo[i] < omin[j]) omin[j] = lo[i];
      if (hi[i] > omax[j]) omax[j] = hi[i];
    }
    olast[j] = last[i];
  }
}

/** Each level is built from the one below, so the whole pyramid costs O(n). */
export function buildCounterLod(c: CounterSeries): CounterLevel[] {
  const n = c.t.length;
  if (n < 64) return [];
  const extent = c.t[n - 1] - c.t[0];
  const levels: CounterLevel[] = [];
  let src = { t: c.t, min: c.v, max: c.v, last: c.v };
  for (const k of levelRange(extent, typicalGap(c.t))) {
    // A gap as wide as a bucket starts a new one: until a level is kept, one with too many
    // such gaps to be kept is not built. Buckets of 2^k ns nest, so building the next level
    // from the samples before it gives the same level.
    if (!levels.length && (1 + gapsAtLeast(c.t, 2 ** k)) * KEEP_RATIO > n) continue;
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

/**
 * The open blob (a run of short spans merging into one) of each depth, as columns indexed by
 * depth: one object per blob cost a young allocation per span at the levels that merge little.
 */
class Blobs {
  readonly open = new Uint8Array(256);
  /** Where in the level the blob goes (taken when it opened). */
  readonly slot = new Uint32Array(256);
  readonly end = new Float64Array(256);
  readonly flags = new Uint8Array(256);
  readonly count = new Float64Array(256);
  /** The first member's name, and that name's time while it is the only one. */
  readonly name = new Uint32Array(256);
  readonly dur = new Float64Array(256);
  /** Time per name, once a second name joins. */
  readonly durs: (Map<number, number> | null)[] = new Array<Map<number, number> | null>(256).fill(null);

  /** The name with the most time in depth d's blob. */
  bestName(d: number): number {
    const durs = this.durs[d];
    if (!durs) return this.name[d];
    let best = 0;
    let bestDur = -1;
    for (const [name, dur] of durs)
      if (dur > bestDur) {
        best = name;
        bestDur = dur;
      }
    return best;
  }
}

function mergeLevel(k: number, s: SpanSource): SpanLevel {
  const w = 2 ** k;
  const { start: sStart, end: sEnd, name: sName, depth: sDepth, flags: sFlags, count: sCount } = s;
  // A level has at most as many spans as its source: written by index, trimmed at the end.
  const cap = sStart.length;
  const start = new Float64Array(cap);
  const end = new Float64Array(cap);
  const name = new Uint32Array(cap);
  const depth = new Uint8Array(cap);
  const flags = new Uint8Array(cap);
  const count = new Uint32Array(cap);
  let n = 0;
  // One open blob per depth: merging never crosses depths. A blob's place in the level is
  // taken when it opens, so the level comes out in start order, as its source is.
  const b = new Blobs();
  const flush = (d: number) => {
    if (!b.open[d]) return;
    const at = b.slot[d];
    end[at] = b.end[d];
    name[at] = b.bestName(d);
    flags[at] = b.flags[d];
    count[at] = b.count[d];
    b.open[d] = 0;
    b.durs[d] = null;
  };
  for (let i = 0; i < cap; i++) {
    const d = sDepth[i];
    const dur = sEnd[i] - sStart[i];
    if (dur >= w) {
      flush(d);
      start[n] = sStart[i];
      end[n] = sEnd[i];
      name[n] = sName[i];
      depth[n] = d;
      flags[n] = sFlags[i];
      count[n] = sCount[i];
      n++;
      continue;
    }
    if (b.open[d] && sStart[i] - b.end[d] <= w) {
      b.end[d] = Math.max(b.end[d], sEnd[i]);
      b.flags[d] |= sFlags[i];
      b.count[d] += sCount[i];
      const id = sName[i];
      const durs = b.durs[d];
      if (!durs && id === b.name[d]) b.dur[d] += dur;
      else {
        const m = durs ?? (b.durs[d] = new Map([[b.name[d], b.dur[d]]]));
        m.set(id, (m.get(id) ?? 0) + dur);
      }
      continue;
    }
    flush(d);
    b.open[d] = 1;
    b.slot[d] = n;
    start[n] = sStart[i];
    depth[n] = d;
    n++;
    b.end[d] = sEnd[i];
    b.flags[d] = sFlags[i];
    b.count[d] = sCount[i];
    b.name[d] = sName[i];
    b.dur[d] = dur;
  }
  for (let d = 0; d < 256; d++) flush(d);
  // In start order when the source is (lanes are built so); a source that is not is sorted
  // here, once, after a check that costs one pass.
  const order = sortOrder(start.subarray(0, n));
  const trim = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T =>
    order ? permute(a.subarray(0, n) as T, order) : (a.slice(0, n) as T);
  const trimmedEnd = trim(end);
  const maxEnd = new Float64Array(n);
  let m = -Infinity;
  for (let i = 0; i < n; i++) maxEnd[i] = m = Math.max(m, trimmedEnd[i]);
  return {
    k,
    start: trim(start),
    end: trimmedEnd,
    maxEnd,
    name: trim(name),
    depth: trim(depth),
    flags: trim(flags),
    count: trim(count),
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
    // Only spans shorter than a bucket merge, so a level keeps at least the longer ones. Until
    // one is kept, a level that must keep too many to be kept is not built: the next one is
    // built from the spans before it instead.
    if (!levels.length && (n - shorterThan(s.start, s.end, 2 ** k)) * KEEP_RATIO > n) continue;
    const level = mergeLevel(k, src);
    if (level.start.length === src.start.length) continue;
    src = level;
    if (level.start.length * KEEP_RATIO > n) continue;
    levels.push(level);
    if (level.start.length <= 1) break;
  }
  return levels;
}

function gapsAtLeast(t: Float64Array, w: number): number {
  let n = 0;
  for (let i = 1; i < t.length; i++) if (t[i] - t[i - 1] >= w) n++;
  return n;
}

function shorterThan(start: Float64Array, end: Float64Array, w: number): number {
  let n = 0;
  for (let i = 0; i < start.length; i++) if (end[i] - start[i] < w) n++;
  return n;
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
