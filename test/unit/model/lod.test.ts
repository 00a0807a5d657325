import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../../shared/model/builder";
import { buildCounterLod, buildSpanLod, pickLevel } from "../../../shared/model/lod";
import type { CounterSeries } from "../../../shared/model/types";

function series(t: number[], v: number[]): CounterSeries {
  return { name: "mlx.active", t: Float64Array.from(t), v: Float64Array.from(v) };
}

describe("counter level-of-detail", () => {
  it("every bucket's min, max and last equal those of the raw samples it covers", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.double({ min: -1e12, max: 1e12, noNaN: true })),
          { minLength: 64, maxLength: 600 },
        ),
        (steps) => {
          let t = 0;
          const ts: number[] = [];
          const vs: number[] = [];
          for (const [dt, v] of steps) {
            t += dt;
            ts.push(t);
            vs.push(v);
          }
          const levels = buildCounterLod(series(ts, vs));
          expect(levels.length).toBeGreaterThan(0);
          for (const level of levels) {
            const w = 2 ** level.k;
            for (let b = 0; b < level.t.length; b++) {
              const bucket = Math.floor(level.t[b] / w);
              const members = ts
                .map((x, i) => [x, vs[i]] as const)
                .filter(([x]) => Math.floor(x / w) === bucket);
              expect(members.length).toBeGreaterThan(0);
              expect(level.t[b]).toBe(members[0][0]);
              expect(level.min[b]).toBe(Math.min(...members.map((m) => m[1])));
              expect(level.max[b]).toBe(Math.max(...members.map((m) => m[1])));
              expect(level.last[b]).toBe(members[members.length - 1][1]);
            }
            // Buckets are distinct and ordered.
            for (let b = 1; b < level.t.length; b++)
              expect(Math.floor(level.t[b] / w)).toBeGreaterThan(Math.floor(level.t[b - 1] / w));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("levels get coarser and the coarsest pixel-sized level is picked", () => {
    const ts = Array.from({ length: 10_000 }, (_, i) => i * 1000);
    const levels = buildCounterLod(
      series(
        ts,
        ts.map((x) => Math.sin(x)),
      ),
    );
    for (let i = 1; i < levels.length; i++) {
      expect(levels[i].k).toBeGreaterThan(levels[i - 1].k);
      expect(levels[i].t.length).toBeLessThan(levels[i - 1].t.length);
    }
    expect(pickLevel(levels, 250)).toBeNull();
    // The coarsest whose bucket is at most two pixels of 1e6 ns.
    const picked = pickLevel(levels, 1e6)!;
    expect(2 ** picked.k).toBeLessThanOrEqual(2e6);
    expect(levels.every((l) => 2 ** l.k > 2e6 || l.k <= picked.k)).toBe(true);
  });

  it("short series need no summary", () => {
    expect(buildCounterLod(series([1, 2, 3], [1, 2, 3]))).toEqual([]);
  });
});

describe("span level-of-detail", () => {
  it("merges sub-bucket spans, keeps long ones, and loses no time covered", () => {
    const b = new ModelBuilder();
    const lane = b.lane({ id: "l", label: "l", source: "skulk", group: "g" });
    // 2,000 short steps of 1 µs every 10 µs, then one long 5 s phase.
    for (let i = 0; i < 2000; i++)
      lane.span({ start: i * 10_000, end: i * 10_000 + 1000, name: i % 2 ? "decode_stream" : "parser" });
    lane.span({ start: 30_000_000, end: 5_030_000_000, name: "decode_barrier" });
    const data = b.build()[0];
    const levels = buildSpanLod(data);
    expect(levels.length).toBeGreaterThanOrEqual(1);
    for (const level of levels) {
      const w = 2 ** level.k;
      const total = level.count.reduce((a, c) => a + c, 0);
      expect(total).toBe(2001);
      // The long span survives unmerged at every level finer than itself.
      if (w <= 5e9) {
        const i = [...level.start].findIndex((s) => s === 30_000_000);
        expect(level.end[i]).toBe(5_030_000_000);
        expect(data.strings[level.name[i]]).toBe("decode_barrier");
      }
      // Every raw span lies inside some level span.
      for (let r = 0; r < data.spans.start.length; r += 97) {
        const s = data.spans.start[r];
        const inside = [...level.start].some((st, i) => st <= s && level.end[i] >= data.spans.end[r]);
        expect(inside).toBe(true);
      }
      for (let i = 1; i < level.maxEnd.length; i++)
        expect(level.maxEnd[i]).toBeGreaterThanOrEqual(level.maxEnd[i - 1]);
    }
    const coarse = levels[levels.length - 1];
    expect(coarse.start.length).toBeLessThan(10);
  });

  it("levels of nested spans are in start order, and each depth keeps its spans' count and cover", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 3_000_000 }), fc.nat(3)),
          { minLength: 64, maxLength: 400 },
        ),
        fc.boolean(),
        (items, shuffled) => {
          const b = new ModelBuilder();
          const lane = b.lane({ id: "l", label: "l", source: "trace", group: "g" });
          // Parents with up to three levels of children starting where they start or inside.
          let t = 0;
          for (const [gap, dur, kids] of items) {
            t += gap;
            lane.span({ start: t, end: t + dur, name: "parent", depth: 0 });
            for (let d = 1; d <= kids; d++)
              lane.span({ start: t + (d - 1) * 10, end: t + dur / (d + 1), name: `child${d}`, depth: d });
          }
          const data = b.build()[0];
          if (shuffled) {
            // A source out of start order (no reader makes one): the levels are still in order.
            const n = data.spans.start.length;
            const order = Uint32Array.from({ length: n }, (_, i) => (i * 7919) % n);
            if (new Set(order).size === n)
              for (const k of Object.keys(data.spans) as (keyof typeof data.spans)[])
                data.spans[k] = (data.spans[k] as Float64Array).map((_, i, a) => a[order[i]]) as never;
          }
          const levels = buildSpanLod(data);
          expect(levels.length).toBeGreaterThan(0);
          const rawByDepth = new Map<number, number>();
          for (const d of data.spans.depth) rawByDepth.set(d, (rawByDepth.get(d) ?? 0) + 1);
          for (const level of levels) {
            const byDepth = new Map<number, number>();
            for (let i = 0; i < level.start.length; i++) {
              if (i > 0) expect(level.start[i]).toBeGreaterThanOrEqual(level.start[i - 1]);
              expect(level.maxEnd[i]).toBe(Math.max(level.end[i], i > 0 ? level.maxEnd[i - 1] : -Infinity));
              byDepth.set(level.depth[i], (byDepth.get(level.depth[i]) ?? 0) + level.count[i]);
            }
            expect(byDepth).toEqual(rawByDepth);
            // Merging follows the source's order: only a source in order is covered span by span.
            if (!shuffled)
              for (let r = 0; r < data.spans.start.length; r += 13) {
                const inside = [...level.start].some(
                  (st, i) =>
                    level.depth[i] === data.spans.depth[r] &&
                    st <= data.spans.start[r] &&
                    level.end[i] >= data.spans.end[r],
                );
                expect(inside).toBe(true);
              }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
