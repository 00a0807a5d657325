/**
 * Paging a big lane: what stays in memory and what goes to time tiles in IndexedDB, so the
 * renderer's memory does not grow with the run. A lane is paged when its raw items exceed
 * `paging.laneItems`; of a paged lane, every stream (its spans, each counter series) longer
 * than a resident level is cut into tiles: its raw items and its finer levels of detail.
 * What stays: identity, the depth-0 spans (phases: Findings, Clocks, Readout, Compare and
 * the run list read them) and collectives at any depth (Findings and Clocks match them across
 * ranks), markers, the coarse levels, and the strings those use.
 */
import { isCollective } from "../../../shared/analysis/collectives";
import type { CounterLevel, LaneLod, SpanLevel } from "../../../shared/model/lod";
import { laneItems } from "../../../shared/ingest/transfer";
import type { CounterSeries, LaneData, SpanColumns } from "../../../shared/model/types";
import {
  RAW,
  tileKey,
  type LevelTiles,
  type PagedIndex,
  type PagedStream,
  type SampleTile,
  type SpanTile,
  type StreamId,
  type TileMeta,
} from "../view/tiles";

export interface PagingOptions {
  /** Lanes with more raw items than this are paged. */
  laneItems: number;
  /** Streams and levels at most this long stay in memory (db/preview.ts keeps such levels). */
  residentItems: number;
  /** Items per tile: span tiles carry their strings (args), so they hold fewer. */
  spanTileItems: number;
  sampleTileItems: number;
}

/** What imports use (tests, and `?pageItems=` in the address, lower `laneItems`). */
export const paging: PagingOptions = {
  laneItems: 200_000,
  residentItems: 8192,
  spanTileItems: 16_384,
  sampleTileItems: 65_536,
};

/** A tile as stored: columns by name, and the strings a span tile's ids index. */
export interface StoredTile {
  key: string;
  strings?: string[];
  cols: Record<string, Float64Array | Uint32Array | Uint8Array>;
}

export interface PagedLane {
  resident: LaneData;
  lod: LaneLod;
  index: PagedIndex;
}

/** A new string table holding only the strings asked for, with the old ids mapped. */
class Remap {
  readonly strings = [""];
  private readonly ids = new Map<number, number>([[0, 0]]);
  constructor(private readonly from: string[]) {}

  id(old: number): number {
    let id = this.ids.get(old);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(this.from[old] ?? "");
      this.ids.set(old, id);
    }
    return id;
  }

  all(ids: Uint32Array): Uint32Array {
    return ids.map((x) => this.id(x));
  }
}

function pagedLevels<T extends { k: number }>(levels: T[], length: (l: T) => number, most: number) {
  return {
    resident: levels.filter((l) => length(l) <= most),
    paged: levels.filter((l) => length(l) > most),
  };
}

function chunks(n: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < n; a += size) out.push([a, Math.min(n, a + size)]);
  return out;
}

function spanMetas(start: Float64Array, end: Float64Array, size: number): TileMeta[] {
  return chunks(start.length, size).map(([a, b], seq) => {
    let t1 = -Infinity;
    for (let i = a; i < b; i++) if (end[i] > t1) t1 = end[i];
    return { seq, t0: start[a], t1, n: b - a };
  });
}

function sampleMetas(t: Float64Array, size: number): TileMeta[] {
  return chunks(t.length, size).map(([a, b], seq) => ({ seq, t0: t[a], t1: t[b - 1], n: b - a }));
}

function pickSpans(s: SpanColumns, keep: (i: number) => boolean): SpanColumns {
  const idx: number[] = [];
  for (let i = 0; i < s.start.length; i++) if (keep(i)) idx.push(i);
  const pick = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(idx.length);
    for (let j = 0; j < idx.length; j++) out[j] = a[idx[j]];
    return out;
  };
  return {
    start: pick(s.start),
    end: pick(s.end),
    name: pick(s.name),
    depth: pick(s.depth),
    flags: pick(s.flags),
    args: pick(s.args),
    file: pick(s.file),
    line: pick(s.line),
  };
}

/** How a lane is split, or null when it stays whole in memory. */
export function pageLane(lane: LaneData, lod: LaneLod, opts: PagingOptions = paging): PagedLane | null {
  if (laneItems(lane) <= opts.laneItems) return null;
  const most = opts.residentItems;
  const spansPaged = lane.spans.start.length > most;
  const seriesPaged = lane.counters.map((c) => c.t.length > most);
  if (!spansPaged && !seriesPaged.some(Boolean)) return null;
  const remap = new Remap(lane.strings);
  const spanLevels = spansPaged
    ? pagedLevels(lod.spans, (l) => l.start.length, most)
    : { resident: lod.spans, paged: [] };
  const collective = new Map<number, boolean>();
  const analysed = (i: number) => {
    const n = lane.spans.name[i];
    let c = collective.get(n);
    if (c === undefined) collective.set(n, (c = isCollective(lane.strings[n])));
    return c;
  };
  const kept = spansPaged
    ? pickSpans(lane.spans, (i) => lane.spans.depth[i] === 0 || analysed(i))
    : lane.spans;
  const spans: SpanColumns = { ...kept, name: remap.all(kept.name), args: remap.all(kept.args) };
  const markers = {
    ...lane.markers,
    name: remap.all(lane.markers.name),
    args: remap.all(lane.markers.args),
  };
  const residentSpanLevels: SpanLevel[] = spanLevels.resident.map((l) => ({ ...l, name: remap.all(l.name) }));
  const counterLevels: CounterLevel[][] = [];
  const counters: CounterSeries[] = lane.counters.map((c, i) => {
    const levels = lod.counters[i] ?? [];
    if (!seriesPaged[i]) {
      counterLevels.push(levels);
      return c;
    }
    const { resident } = pagedLevels(levels, (l) => l.t.length, most);
    counterLevels.push(resident);
    // What code that reads samples directly sees: the finest resident level's last values.
    const finest = resident[0];
    return finest ? { name: c.name, t: finest.t, v: finest.last } : { name: c.name, t: c.t, v: c.v };
  });
  const names = new Set(lane.spans.name);
  const spanNames = [...names].map((n) => remap.id(n));
  let samples = 0;
  for (const c of lane.counters) samples += c.t.length;
  const index: PagedIndex = {
    counts: { spans: lane.spans.start.length, markers: lane.markers.t.length, samples },
    spans: spansPaged
      ? {
          levels: [
            { k: RAW, tiles: spanMetas(lane.spans.start, lane.spans.end, opts.spanTileItems) },
            ...spanLevels.paged.map((l) => ({
              k: l.k,
              tiles: spanMetas(l.start, l.end, opts.sampleTileItems),
            })),
          ],
        }
      : null,
    counters: lane.counters.map((c, i): PagedStream | null =>
      seriesPaged[i]
        ? {
            levels: [
              { k: RAW, tiles: sampleMetas(c.t, opts.sampleTileItems) },
              ...pagedLevels(lod.counters[i] ?? [], (l) => l.t.length, most).paged.map((l) => ({
                k: l.k,
                tiles: sampleMetas(l.t, opts.sampleTileItems),
              })),
            ],
          }
        : null,
    ),
    spanNames,
  };
  return {
    resident: { ...lane, strings: remap.strings, spans, markers, counters },
    lod: { spans: residentSpanLevels, counters: counterLevels },
    index,
  };
}

function slice<T extends Float64Array | Uint32Array | Uint8Array>(a: T, r: [number, number, number]): T {
  return a.slice(r[0], r[1]) as T;
}

function localMaxEnd(end: Float64Array): Float64Array {
  const out = new Float64Array(end.length);
  let m = -Infinity;
  for (let i = 0; i < end.length; i++) out[i] = m = Math.max(m, end[i]);
  return out;
}

/**
 * Every tile of a paged lane, made one at a time (a copy of its slice: a stored view would
 * clone its whole buffer), so saving holds one batch of copies, not the whole lane twice.
 */
export function* laneTiles(lane: LaneData, lod: LaneLod, index: PagedIndex): Generator<StoredTile> {
  const s = lane.spans;
  for (const level of index.spans?.levels ?? []) {
    const src = level.k === RAW ? s : lod.spans.find((l) => l.k === level.k)!;
    for (const r of ranges(level)) {
      const remap = new Remap(lane.strings);
      const end = slice(src.end, r);
      const cols: StoredTile["cols"] = {
        start: slice(src.start, r),
        end,
        maxEnd: localMaxEnd(end),
        name: remap.all(slice(src.name, r)),
        depth: slice(src.depth, r),
        flags: slice(src.flags, r),
      };
      if (level.k === RAW) {
        cols.args = remap.all(slice(s.args, r));
        cols.file = slice(s.file, r);
        cols.line = slice(s.line, r);
      }
      yield { key: tileKey("s", level.k, r[2]), strings: remap.strings, cols };
    }
  }
  for (const [i, stream] of index.counters.entries()) {
    if (!stream) continue;
    const id: StreamId = `c${i}`;
    for (const level of stream.levels) {
      const c = lane.counters[i];
      const src = level.k === RAW ? null : lod.counters[i].find((l) => l.k === level.k)!;
      for (const r of ranges(level)) {
        const cols: StoredTile["cols"] = src
          ? { t: slice(src.t, r), v: slice(src.max, r), last: slice(src.last, r) }
          : { t: slice(c.t, r), v: slice(c.v, r) };
        yield { key: tileKey(id, level.k, r[2]), cols };
      }
    }
  }
}

/** [from, to, seq] of each tile of a level, from the counts in the index. */
function ranges(level: LevelTiles): [number, number, number][] {
  let at = 0;
  return level.tiles.map((t) => [at, (at += t.n), t.seq]);
}

/** A stored tile as drawing reads it. */
export function readTile(stored: { strings?: string[]; cols: StoredTile["cols"] }): SpanTile | SampleTile {
  const c = stored.cols;
  if (c.t) {
    const v = c.v as Float64Array;
    return { t: c.t as Float64Array, v, last: (c.last as Float64Array | undefined) ?? v };
  }
  const tile: SpanTile = {
    start: c.start as Float64Array,
    end: c.end as Float64Array,
    maxEnd: c.maxEnd as Float64Array,
    name: c.name as Uint32Array,
    depth: c.depth as Uint8Array,
    flags: c.flags as Uint8Array,
    strings: stored.strings ?? [""],
  };
  if (c.args) Object.assign(tile, { args: c.args, file: c.file, line: c.line });
  return tile;
}

/** All tiles of every level of a stream, for tests and for reading a stream back whole. */
export function levelOf(stream: PagedStream | null, k: number): LevelTiles | undefined {
  return stream?.levels.find((l) => l.k === k);
}
