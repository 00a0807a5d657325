import { finalizeModel } from "../../../shared/model/dataset";
import { buildLaneLod, type LaneLod } from "../../../shared/model/lod";
import { batchLanes } from "../../../shared/ingest/transfer";
import { runsExtent } from "../../../shared/model/runs";
import type { LaneData } from "../../../shared/model/types";
import type { IngestOutcome } from "../ingest/protocol";
import type { DatasetRow, LaneRow, RankscopeDb, TileRow } from "./db";
import { makePreview } from "./preview";
import { buildLaneView } from "../view/laneView";
import type { PagedIndex } from "../view/tiles";
import { laneTiles, pageLane, type PagedLane } from "./paging";

const SAVE_BATCH_ITEMS = 400_000;

export function packStrings(strings: string[]): string[] | string {
  return strings.some((x) => x.includes("\u0000")) ? strings : strings.join("\u0000");
}

export function unpackStrings(stored: string[] | string): string[] {
  return typeof stored === "string" ? stored.split("\u0000") : stored;
}

export class StorageFullError extends Error {
  constructor(cause: unknown) {
    super(
      "The browser's storage for Rankscope is full, so this import was not saved. Delete datasets you no longer need from the library and import again; earlier datasets are intact.",
    );
    this.cause = cause;
  }
}

function isQuotaError(e: unknown): boolean {
  const err = e as { name?: string; inner?: { name?: string } } | null;
  return err?.name === "QuotaExceededError" || err?.inner?.name === "QuotaExceededError";
}

/** Stable id of an import's inputs: same files (path, size, mtime) → same fingerprint. */
export function fingerprint(inputs: { path: string; size: number; lastModified: number }[]): string {
  const text = inputs
    .map((i) => `${i.path}\u0000${i.size}\u0000${i.lastModified}`)
    .sort()
    .join("\u0001");
  // FNV-1a, twice with different seeds: enough to tell imports apart, no crypto needed.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, "0")}${(b >>> 0).toString(16).padStart(8, "0")}-${inputs.length}`;
}

function count(lanes: LaneData[]) {
  let spans = 0;
  let markers = 0;
  let samples = 0;
  for (const l of lanes) {
    spans += l.spans.start.length;
    markers += l.markers.t.length;
    for (const c of l.counters) samples += c.t.length;
  }
  return { spans, markers, samples };
}

/**
 * Stores an import in one transaction: either the whole dataset is there afterwards or
 * nothing is (a full disk aborts the transaction and earlier datasets stay as they were).
 * A big lane is stored as time tiles and comes back as what stays in memory of it (see
 * db/paging.ts), so the caller can let go of its raw columns.
 */
export async function saveDataset(
  db: RankscopeDb,
  outcome: IngestOutcome,
  name: string,
  fp: string,
  id: string = crypto.randomUUID(),
): Promise<LoadedDataset> {
  const lodOf = new Map(outcome.lanes.map((l, i) => [l, outcome.lods?.[i]]));
  const model = finalizeModel(outcome);
  const lanes = model.lanes;
  const lods = new Map<LaneData, LaneLod>();
  const lodFor = (l: LaneData) => {
    let lod = lods.get(l) ?? lodOf.get(l);
    if (!lod) lod = buildLaneLod(l);
    lods.set(l, lod);
    return lod;
  };
  const plans = new Map<LaneData, PagedLane | null>();
  const planFor = (l: LaneData) => {
    let plan = plans.get(l);
    if (plan === undefined) plans.set(l, (plan = pageLane(l, lodFor(l))));
    return plan;
  };
  const n = count(lanes);
  const row: DatasetRow = {
    id,
    name,
    createdAt: Date.now(),
    fingerprint: fp,
    originSec: model.originSec,
    ...runsExtent(model.runs, model.originSec),
    runs: model.runs,
    files: outcome.files,
    notes: outcome.notes,
    laneCount: lanes.length,
    spanCount: n.spans,
    markerCount: n.markers,
    sampleCount: n.samples,
  };
  try {
    await db.transaction("rw", db.datasets, db.lanes, db.blocks, db.tiles, async () => {
      await db.datasets.add(row);
      await db.lanes.bulkAdd(
        lanes.map((l, order) => ({
          datasetId: row.id,
          laneId: l.info.id,
          order,
          info: l.info,
          originSec: l.originSec,
          end: l.end,
          preview: makePreview(buildLaneView(l, lodFor(l))),
          ...(planFor(l) ? { paged: planFor(l)!.index } : {}),
        })),
      );
      // In batches: each add copies its rows for IndexedDB, and the copies of one batch are
      // let go before the next is made, so saving never holds a second copy of the whole run.
      for (const batch of batchLanes(lanes, SAVE_BATCH_ITEMS))
        await db.blocks.bulkAdd(
          batch.map((l) => {
            const kept = planFor(l)?.resident ?? l;
            return {
              datasetId: row.id,
              laneId: l.info.id,
              seq: 0,
              strings: packStrings(kept.strings),
              spans: kept.spans,
              markers: kept.markers,
              counters: kept.counters,
              lod: planFor(l)?.lod ?? lodFor(l),
            };
          }),
        );
      let tiles: TileRow[] = [];
      let items = 0;
      for (const l of lanes) {
        const plan = planFor(l);
        if (!plan) continue;
        for (const tile of laneTiles(l, lodFor(l), plan.index)) {
          tiles.push({ datasetId: row.id, laneId: l.info.id, ...tile });
          items += Object.values(tile.cols)[0].length;
          if (items < SAVE_BATCH_ITEMS) continue;
          await db.tiles.bulkAdd(tiles);
          tiles = [];
          items = 0;
        }
      }
      if (tiles.length) await db.tiles.bulkAdd(tiles);
    });
  } catch (e) {
    if (isQuotaError(e)) throw new StorageFullError(e);
    throw e;
  }
  return {
    row,
    lanes: lanes.map((l) => planFor(l)?.resident ?? l),
    lods: lanes.map((l) => planFor(l)?.lod ?? lodFor(l)),
    paged: lanes.map((l) => planFor(l)?.index),
  };
}

export interface LoadedDataset {
  row: DatasetRow;
  /** A paged lane is what stays in memory of it; its tiles are found through `paged`. */
  lanes: LaneData[];
  lods: LaneLod[];
  paged: (PagedIndex | undefined)[];
}

export async function loadDataset(db: RankscopeDb, id: string): Promise<LoadedDataset | null> {
  return db.transaction("r", db.datasets, db.lanes, db.blocks, async () => {
    const row = await db.datasets.get(id);
    if (!row) return null;
    const laneRows = await db.lanes.where("datasetId").equals(id).toArray();
    const blocks = await db.blocks.where("datasetId").equals(id).toArray();
    const byLane = new Map(blocks.map((b) => [b.laneId, b]));
    laneRows.sort((a, b) => a.order - b.order);
    const lanes: LaneData[] = [];
    const lods: LaneLod[] = [];
    const paged: (PagedIndex | undefined)[] = [];
    for (const lr of laneRows) {
      const b = byLane.get(lr.laneId);
      if (!b) continue;
      lanes.push({
        info: lr.info,
        originSec: lr.originSec ?? row.originSec,
        end: lr.end ?? 0,
        strings: unpackStrings(b.strings),
        spans: b.spans,
        markers: b.markers,
        counters: b.counters,
      });
      lods.push(b.lod);
      paged.push(lr.paged);
    }
    return { row, lanes, lods, paged };
  });
}

/** The dataset row and its lanes' identities and previews: enough for a first picture. */
export async function loadDatasetHead(
  db: RankscopeDb,
  id: string,
): Promise<{ row: DatasetRow; lanes: LaneRow[] } | null> {
  return db.transaction("r", db.datasets, db.lanes, async () => {
    const row = await db.datasets.get(id);
    if (!row) return null;
    const lanes = await db.lanes.where("datasetId").equals(id).toArray();
    lanes.sort((a, b) => a.order - b.order);
    return { row, lanes };
  });
}

export async function listDatasets(db: RankscopeDb): Promise<DatasetRow[]> {
  return db.datasets.orderBy("createdAt").reverse().toArray();
}

export async function findByFingerprint(db: RankscopeDb, fp: string): Promise<DatasetRow | undefined> {
  return db.datasets.where("fingerprint").equals(fp).first();
}

export async function renameDataset(db: RankscopeDb, id: string, name: string): Promise<void> {
  await db.datasets.update(id, { name });
}

export async function deleteDataset(db: RankscopeDb, id: string): Promise<void> {
  await db.transaction("rw", [db.datasets, db.lanes, db.blocks, db.tiles, db.annotations], async () => {
    await db.blocks.where("datasetId").equals(id).delete();
    await db.tiles.where("datasetId").equals(id).delete();
    await db.lanes.where("datasetId").equals(id).delete();
    await db.annotations.where("datasetId").equals(id).delete();
    await db.datasets.delete(id);
  });
}
