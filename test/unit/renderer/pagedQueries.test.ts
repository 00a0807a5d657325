import { describe, expect, it } from "vitest";
import { pageLane, paging } from "../../../renderer/src/db/paging";
import { hitTest } from "../../../renderer/src/timeline/Tooltip";
import { buildLaneView } from "../../../renderer/src/view/laneView";
import { counterAt, counterValueAt, stepEvent } from "../../../renderer/src/view/queries";
import { TimeScale } from "../../../renderer/src/view/timeScale";
import type { TileSource } from "../../../renderer/src/view/tiles";
import { bigLane, fullSource, tileMap } from "./pagedLane";

const { lane, lod } = bigLane(3000);
const paged = pageLane(lane, lod, { ...paging, laneItems: 1000, spanTileItems: 4096 })!;
const whole = buildLaneView(lane, lod);
const all = fullSource(tileMap(lane, lod, paged.index));
/** A cache that holds nothing yet (and answers loads with nothing). */
const none: TileSource = {
  want: (_l, keys) => keys.map(() => undefined),
  peek: () => undefined,
  load: async () => [],
  memo: (_l, _k, make) => make().value,
};
const view = (source: TileSource) =>
  buildLaneView(paged.resident, paged.lod, undefined, { index: paged.index, source });

describe("a paged lane under the pointer", () => {
  const rows = [{ kind: "lane" as const, key: "big", lane: 0, y: 0, h: 48 }];
  // Task 1234's step 3 runs 1234.27-1234.33 ms (lane offsets), its phase 1234.0-1234.9 ms.
  const scale = new TimeScale({ start: 1234e6, end: 1235e6 }, 1000);
  const x = scale.toX(1234.3e6);

  it("hits a sub-span from its tile, kept by its fields", () => {
    const hit = hitTest(rows, [view(all)], scale, x, 25)!;
    expect(hit.item).toEqual({
      kind: "span",
      index: -1,
      span: {
        start: 1234.27e6,
        end: 1234.33e6,
        depth: 1,
        flags: 0,
        name: "generator_step",
        args: '{"step":3,"taskId":"task-1234"}',
        file: 0,
        line: 0,
      },
    });
    expect(hit.title).toBe("generator_step");
  });

  it("hits the phase from memory while the tile is not there", () => {
    const v = view(none);
    expect(hitTest(rows, [v], scale, x, 25)!.item).toBeNull();
    const phase = hitTest(rows, [v], scale, x, 10)!.item!;
    expect(phase.span).toMatchObject({ name: "prefill_barrier", depth: 0, args: '{"taskId":"task-1234"}' });
  });

  it("gives a memory sample by its instant", () => {
    expect(hitTest(rows, [view(none)], scale, x, 40)!.item).toEqual({
      kind: "counter",
      index: -1,
      t: 1234.3e6,
    });
  });
});

describe("stepping through a paged lane's events", () => {
  it("finds the same next and previous events as the lane held whole", async () => {
    const v = view(all);
    // Tiles of 4096 spans: tile 1 starts inside task 372 (span 4096 is its 4th step).
    for (const t of [0, 5e4, 372.2e6, 372.3e6, 372.95e6, 1234.3e6, 1234.9e6, 2999.95e6, 3100e6, -5]) {
      for (const dir of [1, -1] as const) {
        const a = await stepEvent([{ view: whole, shift: 0 }], t, dir);
        const b = await stepEvent([{ view: v, shift: 0 }], t, dir);
        expect(b).toBe(a);
      }
    }
    // From inside task 1234's step 3, the next event is its end; the previous, its start.
    expect(await stepEvent([{ view: v, shift: 0 }], 1234.3e6, 1)).toBe(1234.33e6);
    expect(await stepEvent([{ view: v, shift: 0 }], 1234.3e6, -1)).toBe(1234.27e6);
  });
});

describe("a paged lane's memory at an instant", () => {
  const t = 1234.35e6;
  const c = whole.data.counters[0];

  it("is exact from its raw tile", () => {
    const v = view(all);
    expect(counterValueAt(v, v.data.counters[0], t)).toEqual({ value: counterAt(c, t), exact: true });
    expect(counterAt(c, t)).toBe(1e9 + ((12340 + 3) % 977) * 1e6);
  });

  it("is marked approximate from a level while the tile is not there", () => {
    const v = view(none);
    const got = counterValueAt(v, v.data.counters[0], t);
    expect(got.exact).toBe(false);
    const finest = paged.lod.counters[0][0];
    let i = 0;
    while (i + 1 < finest.t.length && finest.t[i + 1] <= t) i++;
    expect(got.value).toBe(finest.last[i]);
  });
});
