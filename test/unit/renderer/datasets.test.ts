import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { ingest } from "../../../shared/ingest/pipeline";
import { compareLanes } from "../../../shared/model/dataset";
import { memorySource } from "../../../shared/ingest/source";
import { openDb, type RankscopeDb } from "../../../renderer/src/db/db";
import {
  deleteDataset,
  fingerprint,
  findByFingerprint,
  listDatasets,
  loadDataset,
  saveDataset,
  StorageFullError,
} from "../../../renderer/src/db/datasets";

async function demoOutcome() {
  return ingest(generateSkulkDemo().map((f) => memorySource(f.path, f.content)));
}

let n = 0;
function freshDb(): RankscopeDb {
  return openDb(`rankscope-test-${++n}`);
}

afterEach(() => vi.restoreAllMocks());

describe("dataset library in IndexedDB", () => {
  it("stores an import as columnar blocks and reopens it identically, without re-parsing", async () => {
    const db = freshDb();
    const outcome = await demoOutcome();
    const { row } = await saveDataset(db, outcome, "demo", "fp-1");
    expect(row.laneCount).toBe(6);
    // One block row per lane, never one row per event.
    expect(await db.blocks.count()).toBe(6);
    const loaded = (await loadDataset(db, row.id))!;
    // Stored in display order: grouped by instance, then by rank.
    expect(loaded.lanes.map((l) => l.info.id)).toEqual(
      [...outcome.lanes].sort((x, y) => compareLanes(x.info, y.info)).map((l) => l.info.id),
    );
    expect(loaded.lanes.map((l) => l.info.rank)).toEqual([0, 1, 2, 3, 0, 1]);
    const original = outcome.lanes.find((l) => l.info.rank === 2 && l.info.worldSize === 4)!;
    const reopened = loaded.lanes.find((l) => l.info.id === original.info.id)!;
    expect(Array.from(reopened.spans.start)).toEqual(Array.from(original.spans.start));
    expect(Array.from(reopened.counters[0].v)).toEqual(Array.from(original.counters[0].v));
    expect(reopened.spans.start).toBeInstanceOf(Float64Array);
    expect(loaded.lods).toHaveLength(6);
    expect(loaded.row.files.map((f) => f.format)).toContain("skulk.cluster-timeline");
  });

  it("recognises a re-import by fingerprint", async () => {
    const db = freshDb();
    const inputs = [
      { path: "run/a.json", size: 10, lastModified: 1 },
      { path: "run/b.json", size: 20, lastModified: 2 },
    ];
    const fp = fingerprint(inputs);
    expect(fingerprint([...inputs].reverse())).toBe(fp);
    expect(fingerprint([{ ...inputs[0], size: 11 }, inputs[1]])).not.toBe(fp);
    const { row } = await saveDataset(db, await demoOutcome(), "run", fp);
    expect((await findByFingerprint(db, fp))?.id).toBe(row.id);
  });

  it("a full disk aborts the whole save, says so, and leaves earlier datasets intact", async () => {
    const db = freshDb();
    const { row: first } = await saveDataset(db, await demoOutcome(), "first", "fp-a");
    const counts = { lanes: await db.lanes.count(), blocks: await db.blocks.count() };
    vi.spyOn(db.blocks, "bulkAdd").mockImplementation(() => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });
    await expect(saveDataset(db, await demoOutcome(), "second", "fp-b")).rejects.toBeInstanceOf(
      StorageFullError,
    );
    await expect(saveDataset(db, await demoOutcome(), "second", "fp-b")).rejects.toThrow(
      /storage .* is full/,
    );
    // Nothing of the failed import remains; the first is whole.
    expect((await listDatasets(db)).map((d) => d.name)).toEqual(["first"]);
    expect(await db.lanes.count()).toBe(counts.lanes);
    expect(await db.blocks.count()).toBe(counts.blocks);
    const reopened = await loadDataset(db, first.id);
    expect(reopened?.lanes).toHaveLength(6);
  });

  it("deleting a dataset removes its lanes, blocks and annotations, and nothing else", async () => {
    const db = freshDb();
    const { row: a } = await saveDataset(db, await demoOutcome(), "a", "fp-a");
    const { row: b } = await saveDataset(db, await demoOutcome(), "b", "fp-b");
    await db.annotations.add({
      id: "n1",
      datasetId: a.id,
      start: 0,
      end: 0,
      laneId: null,
      text: "x",
      color: "#ffd666",
      createdAt: 1,
    });
    await db.annotations.add({
      id: "n2",
      datasetId: b.id,
      start: 0,
      end: 0,
      laneId: null,
      text: "y",
      color: "#ffd666",
      createdAt: 1,
    });
    await deleteDataset(db, a.id);
    expect((await listDatasets(db)).map((d) => d.id)).toEqual([b.id]);
    expect(await db.lanes.where("datasetId").equals(a.id).count()).toBe(0);
    expect(await db.blocks.where("datasetId").equals(a.id).count()).toBe(0);
    expect((await db.annotations.toArray()).map((x) => x.id)).toEqual(["n2"]);
    expect((await loadDataset(db, b.id))?.lanes).toHaveLength(6);
  });
});
