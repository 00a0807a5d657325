import Dexie, { type EntityTable, type Table } from "dexie";
import type { LaneLod } from "../../../shared/model/lod";
import type { LanePreview } from "./preview";
import type { StoredTile } from "./paging";
import type { PagedIndex } from "../view/tiles";
import type {
  CounterSeries,
  DatasetNote,
  FileReport,
  LaneInfo,
  MarkerColumns,
  Run,
  SpanColumns,
} from "../../../shared/model/types";

/** One import, as listed in the library. */
export interface DatasetRow {
  id: string;
  name: string;
  createdAt: number;
  /** Same inputs (paths, sizes, mtimes) give the same fingerprint: re-imports are recognised. */
  fingerprint: string;
  originSec: number;
  /** Extent of the data, ns offsets from originSec. */
  start: number;
  end: number;
  /** The runs of the dataset (absent in datasets stored before runs existed). */
  runs?: Run[];
  files: FileReport[];
  notes: DatasetNote[];
  laneCount: number;
  spanCount: number;
  markerCount: number;
  sampleCount: number;
}

export interface LaneRow {
  datasetId: string;
  laneId: string;
  order: number;
  info: LaneInfo;
  /** Epoch seconds the lane's stored offsets count from (its run's); absent: the dataset's. */
  originSec?: number;
  /** Where the lane's own data ends (see LaneData.end). */
  end?: number;
  /** Coarse levels and header facts: reopening draws these before reading any block. */
  preview?: LanePreview;
  /**
   * A big lane's tiles (see db/paging.ts): its block holds only what stays in memory, the
   * rest is read tile by tile as the view needs it. Absent: the block holds the whole lane.
   */
  paged?: PagedIndex;
}

/**
 * A lane's data as columnar typed arrays: thousands of items per IndexedDB row, never a
 * row per event (row-per-event writes run at ~20k rows/s, blocks at millions of items/s).
 */
export interface BlockRow {
  datasetId: string;
  laneId: string;
  seq: number;
  /**
   * The lane's string table, joined with NUL when no string holds one: one long string
   * clones in and out of IndexedDB far faster than tens of thousands of small ones.
   */
  strings: string[] | string;
  spans: SpanColumns;
  markers: MarkerColumns;
  counters: CounterSeries[];
  /** Level-of-detail summaries, so reopening never recomputes them. */
  lod: LaneLod;
}

/** One time tile of a paged lane: a stream's items at one level over a stretch of time. */
export interface TileRow extends StoredTile {
  datasetId: string;
  laneId: string;
}

export interface AnnotationRow {
  id: string;
  datasetId: string;
  /** ns offsets from the dataset origin; end === start for an instant. */
  start: number;
  end: number;
  /** null: across all lanes. */
  laneId: string | null;
  text: string;
  color: string;
  createdAt: number;
}

export type RankscopeDb = Dexie & {
  datasets: EntityTable<DatasetRow, "id">;
  lanes: Table<LaneRow, [string, string]>;
  blocks: Table<BlockRow, [string, string, number]>;
  annotations: EntityTable<AnnotationRow, "id">;
  tiles: Table<TileRow, [string, string, string]>;
};

export function openDb(name = "rankscope"): RankscopeDb {
  const db = new Dexie(name) as RankscopeDb;
  // Append-only: a schema change is a new version(n) below, never an edit of an old one.
  db.version(1).stores({
    datasets: "id, createdAt, fingerprint",
    lanes: "[datasetId+laneId], datasetId",
    blocks: "[datasetId+laneId+seq], datasetId",
    annotations: "id, datasetId",
  });
  db.version(2).stores({ tiles: "[datasetId+laneId+key], datasetId" });
  return db;
}
