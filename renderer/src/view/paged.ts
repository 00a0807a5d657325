/**
 * Drawing a paged lane: the level `pickLevel` would choose over every level the lane has
 * (resident or in tiles), answered from the tiles of the range when they are in memory, else
 * from the finest level that is (coarser, never blank), while the missing tiles are asked for.
 */
import { pickLevel } from "../../../shared/model/lod";
import type { LaneView, Samples, SpanArrays } from "./laneView";
import {
  joinSampleTiles,
  joinSpanTiles,
  RAW,
  sampleTilesFor,
  spanTilesFor,
  tileBytes,
  tileKey,
  type LevelTiles,
  type PagedIndex,
  type PagedStream,
  type Range,
  type SampleTile,
  type SpanTile,
  type StreamId,
  type TileMeta,
  type TileSource,
} from "./tiles";

export interface PagedView {
  index: PagedIndex;
  source: TileSource;
}

/** The k to draw at nsPerPx among resident and paged levels; RAW when none is fine enough. */
function chooseK(resident: { k: number }[], stream: PagedStream, nsPerPx: number): number {
  const all = [...resident.map((l) => ({ k: l.k })), ...stream.levels.filter((l) => l.k !== RAW)];
  all.sort((a, b) => a.k - b.k);
  return pickLevel(all, nsPerPx)?.k ?? RAW;
}

/** Paged levels from k up, finest first: where a picture comes from while k's tiles load. */
function fromK(stream: PagedStream, k: number): LevelTiles[] {
  return stream.levels.filter((l) => l.k >= k).sort((a, b) => a.k - b.k);
}

/** The tiles of `metas`, joined, when all are in memory (asked for if `ask`), else null. */
function tilesOf<T extends SpanTile | SampleTile>(
  view: LaneView,
  stream: StreamId,
  k: number,
  metas: TileMeta[],
  ask: boolean,
  joinAll: (tiles: T[]) => T,
): T | null {
  const { source } = view.paged!;
  const laneId = view.data.info.id;
  const keys = metas.map((m) => tileKey(stream, k, m.seq));
  const tiles = ask ? source.want(laneId, keys) : keys.map((key) => source.peek(laneId, key));
  if (tiles.some((t) => !t)) return null;
  if (tiles.length === 1) return tiles[0] as T;
  // Joined once per set of tiles: panning within them does not join them again every frame.
  return source.memo(laneId, `${stream}/${k}/${metas.map((m) => m.seq).join(",")}`, () => {
    const value = joinAll(tiles as T[]);
    return { value, bytes: tileBytes(value) };
  });
}

const NO_SPANS: Omit<SpanArrays, "k"> = {
  start: new Float64Array(0),
  end: new Float64Array(0),
  maxEnd: new Float64Array(0),
  name: new Uint32Array(0),
  depth: new Uint8Array(0),
  flags: new Uint8Array(0),
  strings: [""],
};

export function pagedSpans(view: LaneView, nsPerPx: number, range: Range): SpanArrays {
  const stream = view.paged!.index.spans!;
  const resident = view.lod.spans;
  const k = chooseK(resident, stream, nsPerPx);
  const kept = resident.find((l) => l.k === k);
  if (kept) return { ...kept, strings: view.data.strings };
  for (const [i, level] of fromK(stream, k).entries()) {
    const metas = spanTilesFor(level, range);
    if (!metas.length) return { ...NO_SPANS, k: level.k };
    const got = tilesOf<SpanTile>(view, "s", level.k, metas, i === 0, joinSpanTiles);
    if (got) return { ...got, k: level.k };
  }
  const finest = resident[0];
  return finest
    ? { ...finest, strings: view.data.strings }
    : { ...view.data.spans, maxEnd: view.maxEnd, strings: view.data.strings, k: RAW };
}

function sampleTiles(view: LaneView, i: number, level: LevelTiles, range: Range, ask: boolean) {
  const metas = sampleTilesFor(level, range);
  if (!metas.length) return { t: new Float64Array(0), v: new Float64Array(0), last: new Float64Array(0) };
  return tilesOf<SampleTile>(view, `c${i}`, level.k, metas, ask, joinSampleTiles);
}

export function pagedSamples(view: LaneView, i: number, nsPerPx: number, range: Range): Samples {
  const stream = view.paged!.index.counters[i]!;
  const resident = view.lod.counters[i] ?? [];
  const k = chooseK(resident, stream, nsPerPx);
  const kept = resident.find((l) => l.k === k);
  if (kept) return { t: kept.t, v: kept.max };
  for (const [j, level] of fromK(stream, k).entries()) {
    const got = sampleTiles(view, i, level, range, j === 0);
    if (got) return got;
  }
  const finest = resident[0];
  return finest ? { t: finest.t, v: finest.max } : view.data.counters[i];
}

/**
 * A counter's value at t: the last sample at or before t. Of a paged series, from its raw
 * tile when in memory (exact), else from the finest level in memory (approximate: the last
 * value of t's bucket, which may lie after t).
 */
export function pagedCounterAt(
  view: LaneView,
  i: number,
  t: number,
): { value: number | null; exact: boolean } {
  const stream = view.paged!.index.counters[i]!;
  for (const level of fromK(stream, RAW)) {
    const metas = sampleTilesFor(level, { start: t, end: t }).filter((m) => m.t0 <= t);
    if (!metas.length) return { value: null, exact: true };
    const tile = tilesOf<SampleTile>(view, `c${i}`, level.k, metas.slice(-1), false, joinSampleTiles);
    if (tile) return { value: lastAtOrBefore(tile.t, tile.last, t), exact: level.k === RAW };
  }
  const finest = view.lod.counters[i]?.[0];
  const c = finest ? { t: finest.t, v: finest.last } : view.data.counters[i];
  return { value: lastAtOrBefore(c.t, c.v, t), exact: false };
}

function lastAtOrBefore(ts: Float64Array, vs: Float64Array, t: number): number | null {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? vs[lo - 1] : null;
}

function rawSpanLevel(view: LaneView): LevelTiles | undefined {
  return view.paged?.index.spans?.levels.find((l) => l.k === RAW);
}

/** The raw spans reaching a range from the tiles in memory alone (hover), or null. */
export function rawSpansInMemory(view: LaneView, range: Range): SpanTile | null {
  const level = rawSpanLevel(view);
  if (!level) return null;
  const metas = spanTilesFor(level, range);
  if (!metas.length)
    return { ...NO_SPANS, args: new Uint32Array(0), file: new Uint32Array(0), line: new Uint32Array(0) };
  return tilesOf<SpanTile>(view, "s", RAW, metas, false, joinSpanTiles);
}

async function loadRaw(view: LaneView, metas: TileMeta[]): Promise<SpanTile[]> {
  const keys = metas.map((m) => tileKey("s", RAW, m.seq));
  return (await view.paged!.source.load(view.data.info.id, keys)) as SpanTile[];
}

/**
 * The times (span starts and ends, markers) that decide the event after (dir 1) or before
 * (dir -1) t on a paged lane, reading the raw tiles that can hold it: for the next, the
 * tiles with a span still running at t and the first tile starting after t; for the previous,
 * the last tile starting before t and any earlier one with a span reaching past its start.
 */
export async function pagedEventTimes(view: LaneView, t: number, dir: 1 | -1): Promise<Float64Array> {
  const level = rawSpanLevel(view)!;
  const tiles = level.tiles;
  let metas: TileMeta[];
  if (dir > 0) {
    const next = tiles.findIndex((m) => m.t0 > t);
    metas = tiles.filter((m, i) => (m.t0 <= t && m.t1 > t) || i === next);
  } else {
    let last = -1;
    for (let i = 0; i < tiles.length && tiles[i].t0 < t; i++) last = i;
    metas = last < 0 ? [] : tiles.filter((m, i) => i === last || (i < last && m.t1 > tiles[last].t0));
  }
  const loaded = await loadRaw(view, metas);
  const { markers } = view.data;
  let n = markers.t.length;
  for (const x of loaded) n += x.start.length * 2;
  const out = new Float64Array(n);
  let at = 0;
  for (const x of loaded) {
    out.set(x.start, at);
    out.set(x.end, at + x.start.length);
    at += x.start.length * 2;
  }
  out.set(markers.t, at);
  return out.sort();
}
