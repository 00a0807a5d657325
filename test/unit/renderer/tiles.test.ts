import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "../../../renderer/src/db/db";
import { deleteDataset, loadDataset, saveDataset } from "../../../renderer/src/db/datasets";
import { laneTiles, pageLane, paging, type StoredTile } from "../../../renderer/src/db/paging";
import { dbLoader, TileCache, type TileRef } from "../../../renderer/src/db/tiles";
import { buildLaneView, spansAt } from "../../../renderer/src/view/laneView";
import { joinSpanTiles, RAW, type SampleTile, type SpanTile } from "../../../renderer/src/view/tiles";
import { bigLane, spansIn } from "./pagedLane";

/** Lets the frame's flush (a microtask) and the loads it starts run. */
const settle = () => new Promise((ok) => setTimeout(ok, 0));

/** A sample tile of 1000 samples: 16,000 bytes (t and v; a raw tile's last is its v). */
const sampleRow = (x: number): Pick<StoredTile, "cols"> => ({
  cols: { t: new Float64Array(1000).fill(x), v: new Float64Array(1000).fill(x) },
});

/** A loader that answers when told to, recording what each read asked for. */
function manualLoader(answer: (r: TileRef) => Pick<StoredTile, "strings" | "cols"> | undefined) {
  const calls: string[][] = [];
  const pending: (() => void)[] = [];
  const loader = (refs: TileRef[]) => {
    calls.push(refs.map((r) => `${r.laneId}:${r.key}`));
    return new Promise<(Pick<StoredTile, "strings" | "cols"> | undefined)[]>((ok) =>
      pending.push(() => ok(refs.map(answer))),
    );
  };
  const release = async () => {
    pending.shift()?.();
    await settle();
  };
  return { loader, calls, release };
}

describe("the tile cache", () => {
  it("reads a frame's missing tiles in one read and redraws when they arrive", async () => {
    const m = manualLoader((r) => sampleRow(Number(r.key)));
    const cache = new TileCache(m.loader);
    let redraws = 0;
    cache.onArrive(() => redraws++);
    expect(cache.want("a", ["1", "2"])).toEqual([undefined, undefined]);
    expect(cache.want("b", ["3"])).toEqual([undefined]);
    await settle();
    expect(m.calls).toEqual([["a:1", "a:2", "b:3"]]);
    expect(redraws).toBe(0);
    await m.release();
    expect(redraws).toBe(1);
    const [one] = cache.want("a", ["1"]) as SampleTile[];
    expect(one.t[0]).toBe(1);
    expect(cache.peek("b", "3")).toBeDefined();
    expect(cache.heldBytes).toBe(3 * 16_000);
  });

  it("keeps the least recently used tiles out first, within its budget", async () => {
    const cache = new TileCache(async (refs) => refs.map((r) => sampleRow(Number(r.key))), 40_000);
    for (const key of ["1", "2", "3"]) {
      cache.want("a", [key]);
      await settle();
      cache.want("a", [key]);
      await settle();
    }
    // Three tiles of 16,000 bytes do not fit 40,000: the first one used went.
    expect(cache.peek("a", "1")).toBeUndefined();
    expect(cache.peek("a", "2")).toBeDefined();
    expect(cache.peek("a", "3")).toBeDefined();
    expect(cache.heldBytes).toBe(32_000);
    // Using 2 again makes 3 the oldest: a new tile pushes 3 out.
    cache.want("a", ["2"]);
    await settle();
    cache.want("a", ["4"]);
    await settle();
    expect(cache.peek("a", "3")).toBeUndefined();
    expect([cache.peek("a", "2"), cache.peek("a", "4")].every(Boolean)).toBe(true);
  });

  it("never lets go of what the latest frame drew, even over budget", async () => {
    const cache = new TileCache(async (refs) => refs.map((r) => sampleRow(Number(r.key))), 40_000);
    cache.want("a", ["1", "2", "3"]);
    await settle();
    expect(cache.want("a", ["1", "2", "3"]).every(Boolean)).toBe(true);
    expect(cache.heldBytes).toBe(48_000);
  });

  it("a view that moved on while a read ran asks next only for what the latest frame lacked", async () => {
    const m = manualLoader((r) => sampleRow(Number(r.key)));
    const cache = new TileCache(m.loader);
    cache.want("a", ["1"]);
    await settle();
    cache.want("a", ["2"]);
    await settle();
    cache.want("a", ["3"]);
    await settle();
    expect(m.calls).toEqual([["a:1"]]);
    await m.release();
    expect(m.calls).toEqual([["a:1"], ["a:3"]]);
    await m.release();
    expect(cache.peek("a", "2")).toBeUndefined();
    expect(cache.peek("a", "3")).toBeDefined();
  });

  it("drops a read of the previous dataset that lands after another was opened", async () => {
    const m = manualLoader((r) => sampleRow(Number(r.key)));
    const cache = new TileCache(m.loader);
    cache.want("a", ["1"]);
    await settle();
    cache.reset(m.loader);
    await m.release();
    expect(cache.peek("a", "1")).toBeUndefined();
    expect(cache.heldBytes).toBe(0);
  });
});

describe("a paged lane drawn from the cache", () => {
  const { lane, lod } = bigLane(3000);
  const opts = { ...paging, laneItems: 1000, spanTileItems: 4096 };
  const paged = pageLane(lane, lod, opts)!;
  const stored = new Map([...laneTiles(lane, lod, paged.index)].map((t) => [t.key, t]));
  const whole = buildLaneView(lane, lod);

  it("draws a coarser level while tiles load, and a load that lands after the view moved on is not drawn there", async () => {
    const m = manualLoader((r) => stored.get(r.key));
    const cache = new TileCache(m.loader);
    const view = buildLaneView(paged.resident, paged.lod, undefined, { index: paged.index, source: cache });
    const finest = paged.lod.spans[0].k;
    const here = { start: 100e6, end: 101e6 };
    const there = { start: 2500e6, end: 2500.95e6 };
    expect(spansAt(view, 1e3, here).k).toBeGreaterThan(RAW);
    await settle();
    // The user zoomed elsewhere before the first read finished.
    const before = spansAt(view, 1e3, there);
    expect(before.k).toBe(finest);
    expect(before.start.length).toBeGreaterThan(0);
    await settle();
    await m.release();
    expect(m.calls).toEqual([["big:s/-1/0"], ["big:s/-1/6"]]);
    // Tile 0 (here) is in memory; there still draws the finest level in memory, not tile 0's spans.
    expect(spansAt(view, 1e3, there).k).toBe(finest);
    await m.release();
    const after = spansAt(view, 1e3, there);
    expect(after.k).toBe(RAW);
    expect(spansIn(after, there.start, there.end)).toEqual(
      spansIn(spansAt(whole, 1e3), there.start, there.end),
    );
    // Task 2500: its phase and its 10 steps.
    expect(spansIn(after, there.start, there.end)).toHaveLength(11);
  });
});

describe("storing a paged lane", () => {
  const saved = paging.laneItems;
  afterEach(() => void (paging.laneItems = saved));

  it("saves its tiles and reopens it as what stays in memory, its tiles read back as stored", async () => {
    paging.laneItems = 1000;
    const db = openDb("rankscope-tiles-1");
    const big = bigLane(3000, "big");
    const small = bigLane(10, "small");
    const outcome = { originSec: big.lane.originSec, lanes: [big.lane, small.lane], files: [], notes: [] };
    const { row, paged } = await saveDataset(db, outcome, "paged", "fp-paged");
    const index = paged[0]!;
    expect(paged[1]).toBeUndefined();
    const tileCount = [index.spans!, ...index.counters.map((c) => c!)]
      .flatMap((s) => s.levels)
      .reduce((n, l) => n + l.tiles.length, 0);
    expect(await db.tiles.count()).toBe(tileCount);
    expect(row.spanCount).toBe(33_000 + 110);

    const loaded = (await loadDataset(db, row.id))!;
    const bigLoaded = loaded.lanes.find((l) => l.info.id === "big")!;
    expect(bigLoaded.spans.start.length).toBe(3000);
    expect(loaded.paged[loaded.lanes.indexOf(bigLoaded)]).toEqual(index);
    expect(loaded.lanes.find((l) => l.info.id === "small")!.spans.start.length).toBe(110);

    const cache = new TileCache(dbLoader(db, row.id));
    const raw = index.spans!.levels.find((l) => l.k === RAW)!;
    const tiles = (await cache.load(
      "big",
      raw.tiles.map((t) => `s/${RAW}/${t.seq}`),
    )) as SpanTile[];
    const joined = joinSpanTiles(tiles);
    expect([...joined.start]).toEqual([...big.lane.spans.start]);
    expect([...joined.args!].map((a) => joined.strings[a])).toEqual(
      [...big.lane.spans.args].map((a) => big.lane.strings[a]),
    );

    await deleteDataset(db, row.id);
    expect(await db.tiles.count()).toBe(0);
  });
});
