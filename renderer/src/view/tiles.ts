/**
 * Time tiles of a paged lane (see db/paging.ts): which tiles a view's range needs, and the
 * tiles' columns joined into the arrays drawing reads. Plain math: the cache that loads
 * tiles (db/tiles.ts) is reached through `TileSource`, so view code never imports storage.
 */
import type { SpanLevel } from "../../../shared/model/lod";

/** One stored tile of a stream at one level: items [n] covering [t0, t1] (lane offsets). */
export interface TileMeta {
  seq: number;
  /** First item's time (spans: its start). */
  t0: number;
  /** Last instant any item reaches (spans: the largest end; samples: the last sample). */
  t1: number;
  n: number;
}

/** The tiles of one level of a paged stream; k = RAW for the raw items. */
export interface LevelTiles {
  k: number;
  tiles: TileMeta[];
}

export const RAW = -1;

/** The levels of one stream that live in tiles (raw first, then finer to coarser). */
export interface PagedStream {
  levels: LevelTiles[];
}

/**
 * Kept on a paged lane's row: the counts of the whole lane and where its tiles are, so a
 * view's tiles are found without a query per tile. A null stream is resident (small).
 */
export interface PagedIndex {
  counts: { spans: number; markers: number; samples: number };
  spans: PagedStream | null;
  /** Parallel to the lane's counters. */
  counters: (PagedStream | null)[];
  /** Every distinct span name of the lane, as ids into its resident strings (the legend). */
  spanNames: number[];
}

/**
 * Spans of a tile or of a join of tiles, with the strings their ids index: a level's columns
 * (`maxEnd` within the tile), and for raw tiles only args, source file and line (hit tests
 * and details read them).
 */
export type SpanTile = Pick<SpanLevel, "start" | "end" | "maxEnd" | "name" | "depth" | "flags"> & {
  args?: Uint32Array;
  file?: Uint32Array;
  line?: Uint32Array;
  strings: string[];
};

/** Samples of a tile: raw values, or a level's bucket maxima (`v`) and last values. */
export interface SampleTile {
  t: Float64Array;
  v: Float64Array;
  last: Float64Array;
}

export type Tile = SpanTile | SampleTile;

export type StreamId = "s" | `c${number}`;

export function tileKey(stream: StreamId, k: number, seq: number): string {
  return `${stream}/${k}/${seq}`;
}

/** The cache as view code sees it (db/tiles.ts implements it). */
export interface TileSource {
  /** What is in memory now for each key (undefined: missing, and now on its way). */
  want(laneId: string, keys: string[]): (Tile | undefined)[];
  /** In memory now, without asking for it. */
  peek(laneId: string, key: string): Tile | undefined;
  /** Loads now (for a click or a key press), whatever is drawn. */
  load(laneId: string, keys: string[]): Promise<Tile[]>;
  /** A value derived from tiles (a join), kept within the same budget as the tiles. */
  memo<T>(laneId: string, key: string, make: () => { value: T; bytes: number }): T;
}

export interface Range {
  start: number;
  end: number;
}

/** Index of the last tile whose t0 <= t, or -1. */
function lastStartingBy(tiles: TileMeta[], t: number): number {
  let lo = 0;
  let hi = tiles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tiles[mid].t0 <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Span tiles a range needs: those with a span reaching into it. Spans are cut into tiles in
 * start order, so a tile whose spans all end before the range is skipped even when a later
 * one is needed: what is drawn of the range is the same as from the whole lane.
 */
export function spanTilesFor(level: LevelTiles, r: Range): TileMeta[] {
  const last = lastStartingBy(level.tiles, r.end);
  const out: TileMeta[] = [];
  for (let i = 0; i <= last; i++) if (level.tiles[i].t1 >= r.start) out.push(level.tiles[i]);
  return out;
}

/**
 * Sample tiles a range needs: a counter is a step function, so also the tile holding the
 * last sample before the range (its value runs into the range) and the one after it (the
 * curve runs on to the right edge, as it does drawn from the whole series).
 */
export function sampleTilesFor(level: LevelTiles, r: Range): TileMeta[] {
  const n = level.tiles.length;
  if (!n) return [];
  const first = Math.max(0, lastStartingBy(level.tiles, r.start));
  const last = Math.min(n - 1, lastStartingBy(level.tiles, r.end) + 1);
  return level.tiles.slice(first, last + 1);
}

type Numeric = Float64Array | Uint32Array | Uint8Array;

function join<T extends Numeric>(parts: T[]): T {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new (parts[0].constructor as new (n: number) => T)(n);
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

/** Tiles of one level, in order, as one set of columns (each tile's strings kept, ids shifted). */
export function joinSpanTiles(tiles: SpanTile[]): SpanTile {
  if (tiles.length === 1) return tiles[0];
  const strings: string[] = [];
  const name: Uint32Array[] = [];
  const args: Uint32Array[] = [];
  for (const t of tiles) {
    const base = strings.length;
    for (const s of t.strings) strings.push(s);
    name.push(base ? t.name.map((x) => x + base) : t.name);
    if (t.args) args.push(base ? t.args.map((x) => x + base) : t.args);
  }
  const end = join(tiles.map((t) => t.end));
  const maxEnd = new Float64Array(end.length);
  let m = -Infinity;
  for (let i = 0; i < end.length; i++) maxEnd[i] = m = Math.max(m, end[i]);
  const raw = tiles.every((t) => t.args);
  return {
    start: join(tiles.map((t) => t.start)),
    end,
    maxEnd,
    name: join(name),
    depth: join(tiles.map((t) => t.depth)),
    flags: join(tiles.map((t) => t.flags)),
    ...(raw
      ? {
          args: join(args),
          file: join(tiles.map((t) => t.file!)),
          line: join(tiles.map((t) => t.line!)),
        }
      : {}),
    strings,
  };
}

export function joinSampleTiles(tiles: SampleTile[]): SampleTile {
  if (tiles.length === 1) return tiles[0];
  return {
    t: join(tiles.map((x) => x.t)),
    v: join(tiles.map((x) => x.v)),
    last: join(tiles.map((x) => x.last)),
  };
}

/** Bytes a tile holds in memory (its columns, its strings at a byte a character). */
export function tileBytes(tile: Tile): number {
  let n = 0;
  // A raw sample tile's `last` is its `v`: count each array once.
  for (const v of new Set(Object.values(tile))) if (ArrayBuffer.isView(v)) n += v.byteLength;
  if ("strings" in tile) for (const s of tile.strings) n += s.length + 16;
  return n;
}
