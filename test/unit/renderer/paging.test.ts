import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../../shared/model/builder";
import { buildLaneLod } from "../../../shared/model/lod";
import { pageLane, paging, type PagingOptions } from "../../../renderer/src/db/paging";
import { buildLaneView, samplesAt, spansAt } from "../../../renderer/src/view/laneView";
import {
  RAW,
  sampleTilesFor,
  spanTilesFor,
  type LevelTiles,
  type SampleTile,
  type SpanTile,
} from "../../../renderer/src/view/tiles";
import { bigLane, fullSource, spansIn, tileMap } from "./pagedLane";

const opts = (o: Partial<PagingOptions>): PagingOptions => ({ ...paging, ...o });
/** Small tiles and resident levels, so that levels are paged and ranges join several tiles. */
const SMALL = opts({ laneItems: 1000, residentItems: 1000, spanTileItems: 4096, sampleTileItems: 2048 });

const level = (tiles: [number, number][]): LevelTiles => ({
  k: RAW,
  tiles: tiles.map(([t0, t1], seq) => ({ seq, t0, t1, n: 1 })),
});

describe("which tiles a range needs", () => {
  it("spans: every tile with a span reaching into the range, and no other", () => {
    // Tile 0 holds a span lasting to 1000; tiles 1-3 hold short ones.
    const l = level([
      [0, 1000],
      [100, 200],
      [200, 300],
      [300, 400],
    ]);
    expect(spanTilesFor(l, { start: 250, end: 260 }).map((t) => t.seq)).toEqual([0, 2]);
    expect(spanTilesFor(l, { start: 150, end: 350 }).map((t) => t.seq)).toEqual([0, 1, 2, 3]);
    expect(spanTilesFor(l, { start: 2000, end: 3000 }).map((t) => t.seq)).toEqual([]);
    expect(spanTilesFor(l, { start: -50, end: -10 }).map((t) => t.seq)).toEqual([]);
  });

  it("samples: the tiles of the range, with the one before (held value) and the one after", () => {
    const l = level([
      [0, 99],
      [100, 199],
      [200, 299],
      [300, 399],
    ]);
    expect(sampleTilesFor(l, { start: 150, end: 160 }).map((t) => t.seq)).toEqual([1, 2]);
    expect(sampleTilesFor(l, { start: 199.5, end: 201 }).map((t) => t.seq)).toEqual([1, 2, 3]);
    expect(sampleTilesFor(l, { start: -10, end: -5 }).map((t) => t.seq)).toEqual([0]);
    expect(sampleTilesFor(l, { start: 500, end: 600 }).map((t) => t.seq)).toEqual([3]);
  });
});

describe("paging a big lane", () => {
  const { lane, lod } = bigLane(3000);

  it("keeps small lanes whole", () => {
    expect(pageLane(lane, lod, opts({ laneItems: 100_000 }))).toBeNull();
    // Over the threshold but no stream longer than a resident level: nothing to page.
    const small = bigLane(20);
    expect(pageLane(small.lane, small.lod, opts({ laneItems: 10 }))).toBeNull();
  });

  it("keeps the phases, markers and coarse levels in memory, with the strings they use", () => {
    const paged = pageLane(lane, lod, opts({ laneItems: 1000 }))!;
    const { resident, index } = paged;
    expect(index.counts).toEqual({ spans: 33_000, markers: 30, samples: 60_000 });
    expect(resident.spans.start.length).toBe(3000);
    expect([...resident.spans.depth].every((d) => d === 0)).toBe(true);
    expect(resident.strings[resident.spans.name[1]]).toBe("decode_stream");
    expect(resident.strings[resident.spans.args[1234]]).toBe('{"taskId":"task-1234"}');
    expect(resident.spans.start[1234]).toBe(1234e6);
    expect(resident.markers.t.length).toBe(30);
    expect(resident.strings[resident.markers.name[0]]).toBe("oom_warning");
    // No step's args stay: 3000 task args, 3 names and "" (the step args are in tiles).
    expect(resident.strings.length).toBeLessThan(3000 + 10);
    for (const l of paged.lod.spans) expect(l.start.length).toBeLessThanOrEqual(paging.residentItems);
    expect(paged.lod.spans.length).toBeGreaterThan(0);
    expect(index.spanNames.map((n) => resident.strings[n]).sort()).toEqual([
      "decode_stream",
      "generator_step",
      "prefill_barrier",
    ]);
    // Raw spans in tiles of TILE_ITEMS.spans, in start order.
    const raw = index.spans!.levels.find((l) => l.k === RAW)!;
    expect(raw.tiles.map((t) => t.n)).toEqual([16_384, 16_384, 33_000 - 2 * 16_384]);
    expect(raw.tiles[0].t0).toBe(0);
    expect(index.counters.map((c) => c?.levels[0].tiles.length)).toEqual([1, 1]);
  });

  it("keeps collectives at any depth too (Findings and Clocks match them across ranks)", () => {
    const b = new ModelBuilder();
    const w = b.lane({ id: "gpu", label: "gpu", source: "trace", group: "g" });
    for (let i = 0; i < 3000; i++) {
      w.span({ start: i * 1e6, end: i * 1e6 + 9e5, name: "ProfilerStep#" + i });
      w.span({ start: i * 1e6 + 1e5, end: i * 1e6 + 2e5, name: "aten::mm", depth: 1 });
      w.span({
        start: i * 1e6 + 3e5,
        end: i * 1e6 + 5e5,
        name: "nccl:all_reduce",
        depth: 2,
        args: { seq: i },
      });
    }
    const l = b.build()[0];
    const { resident } = pageLane(l, buildLaneLod(l), opts({ laneItems: 1000 }))!;
    const names = [...resident.spans.name].map((n) => resident.strings[n]);
    expect(names.filter((n) => n === "nccl:all_reduce")).toHaveLength(3000);
    expect(names.filter((n) => n.startsWith("ProfilerStep#"))).toHaveLength(3000);
    expect(names).not.toContain("aten::mm");
    expect(resident.strings[resident.spans.args[1]]).toBe('{"seq":0}');
  });

  it("its tiles hold every raw span and sample, with their own strings", () => {
    const { index } = pageLane(lane, lod, opts({ laneItems: 1000 }))!;
    const tiles = tileMap(lane, lod, index);
    const spans = [0, 1, 2].map((seq) => tiles.get(`s/${RAW}/${seq}`) as SpanTile);
    const starts = spans.flatMap((t) => [...t.start]);
    expect(starts).toEqual([...lane.spans.start]);
    const args = spans.flatMap((t) => [...t.args!].map((a) => t.strings[a]));
    expect(args).toEqual([...lane.spans.args].map((a) => lane.strings[a]));
    expect(args[5]).toBe('{"step":4,"taskId":"task-0"}');
    const active = tiles.get(`c0/${RAW}/0`) as SampleTile;
    expect([...active.v]).toEqual([...lane.counters[0].v]);
  });
});

describe("window-aware spans and samples of a paged lane", () => {
  const { lane, lod } = bigLane(3000);
  const paged = pageLane(lane, lod, SMALL)!;
  const whole = buildLaneView(lane, lod);
  const tiles = tileMap(lane, lod, paged.index);
  const source = fullSource(tiles);
  const view = buildLaneView(paged.resident, paged.lod, undefined, { index: paged.index, source });

  it("draw the same spans for a range at every level as the lane held whole", () => {
    // Raw spans, a level in tiles (k 17: 3001 spans, over 1000), a resident level (k 21).
    const ranges = [
      { start: 1234.5e6, end: 1236e6, nsPerPx: 500, k: RAW },
      { start: 100e6, end: 400e6, nsPerPx: 1e5, k: 17 },
      { start: 0, end: 3000e6, nsPerPx: 1e6, k: 17 },
      { start: 0, end: 3000e6, nsPerPx: 1.5e6, k: 21 },
      { start: 2999e6, end: 3001e6, nsPerPx: 250, k: RAW },
    ];
    expect(paged.lod.spans.map((l) => l.k)).toEqual([21]);
    for (const r of ranges) {
      const a = spansAt(whole, r.nsPerPx);
      const b = spansAt(view, r.nsPerPx, r);
      expect([a.k, b.k]).toEqual([r.k, r.k]);
      expect(spansIn(b, r.start, r.end)).toEqual(spansIn(a, r.start, r.end));
      expect(spansIn(a, r.start, r.end).length).toBeGreaterThan(0);
    }
    // Zoomed in, the raw spans come from one tile (of 4096: spans 12288-16383), not the lane.
    source.wanted.length = 0;
    spansAt(view, 1e3, { start: 1234.5e6, end: 1236e6 });
    expect(source.wanted).toEqual([`s/${RAW}/3`]);
  });

  it("draw the same memory curve for a range, the value held into it included", () => {
    // Raw samples, levels in tiles (k 19: 5722 buckets in 3 tiles; k 21), a resident level.
    for (const r of [
      { start: 1234.55e6, end: 1234.95e6, nsPerPx: 1e3 },
      { start: 500e6, end: 2900e6, nsPerPx: 6e5 },
      { start: 500e6, end: 900e6, nsPerPx: 3e6 },
      { start: 0, end: 3000e6, nsPerPx: 1e7 },
    ]) {
      const a = samplesAt(whole, whole.data.counters[0], r.nsPerPx);
      const b = samplesAt(view, view.data.counters[0], r.nsPerPx, r);
      const inRange = (s: { t: Float64Array; v: Float64Array }) => {
        const out: string[] = [];
        for (let i = 0; i < s.t.length; i++)
          if (s.t[i] <= r.end && (s.t[i] >= r.start || s.t[i + 1] > r.start)) out.push(`${s.t[i]}:${s.v[i]}`);
        return out;
      };
      expect(inRange(b)).toEqual(inRange(a));
      expect(inRange(a).length).toBeGreaterThan(1);
    }
  });
});
