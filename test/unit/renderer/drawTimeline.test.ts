import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { at, stubCanvas } from "./canvasStub";
import { ModelBuilder } from "../../../shared/model/builder";
import { buildLaneView } from "../../../renderer/src/view/laneView";
import { NO_OVERLAYS } from "../../../renderer/src/timeline/overlays";
import { PALETTES } from "../../../renderer/src/view/theme";
import { TimeScale } from "../../../renderer/src/view/timeScale";

/** A 2D context that does nothing but scale 1:1 and keep what drawImage is given. */
function quietContext(): CanvasRenderingContext2D {
  const ctx: Record<string | symbol, unknown> = {
    getTransform: () => ({ a: 1, d: 1 }),
    measureText: (t: string) => ({ width: t.length * 6 }),
    createPattern: () => null,
  };
  return new Proxy(ctx, {
    get: (o, k) => (k in o ? o[k] : () => {}),
    set: () => true,
  }) as unknown as CanvasRenderingContext2D;
}

/** A rank: a setup span with a nested step, active memory 100, 500, 50, 900 from 0, 9, 14, 30 s, its peak 450 then 900 from 20 s to 35 s. */
function rank() {
  const b = new ModelBuilder();
  const lane = b.lane({ id: "r0", label: "rank 0", source: "skulk", group: "g", rank: 0 });
  lane.span({ start: 0, end: 10e9, name: "load_model" });
  lane.span({ start: 4e9, end: 6e9, name: "warmup_step", depth: 1 });
  for (const [t, v] of [
    [0, 100],
    [9e9, 500],
    [14e9, 50],
    [30e9, 900],
  ])
    lane.counter("mlx.active", t, v);
  lane.counter("mlx.peak", 0, 450);
  lane.counter("mlx.peak", 20e9, 900);
  lane.counter("mlx.peak", 35e9, 900);
  return buildLaneView(b.build()[0]);
}

describe("a lane's pixels", () => {
  const put: ImageData[] = [];
  let drawTimeline: typeof import("../../../renderer/src/timeline/draw").drawTimeline;
  beforeAll(async () => {
    stubCanvas(put);
    ({ drawTimeline } = await import("../../../renderer/src/timeline/draw"));
  });
  afterAll(() => vi.unstubAllGlobals());

  it("draw spans in their bands and memory as a filled step curve under its line, ending at the last sample", () => {
    const palette = { ...PALETTES.dark, memArea: "#0000ff", memLine: "#ff0000" };
    drawTimeline(quietContext(), {
      width: 400,
      height: 48,
      scale: new TimeScale({ start: 0, end: 40e9 }, 400), // 0.1 s a pixel
      rows: [{ kind: "lane", key: "r0", lane: 0, y: 0, h: 48 }],
      scrollTop: 0,
      lanes: [rank()],
      memMax: 900,
      cursor: null,
      pinned: null,
      selectedLane: null,
      shifts: {},
      overlays: NO_OVERLAYS,
      palette,
    });
    const img = put[put.length - 1];
    const rgb = (x: number, y: number) => at(img, x, y).slice(0, 3);
    const setup = [0x81, 0x88, 0x8a];
    const none = [0, 0, 0];
    // The phase band is rows 4-21, the nested step's rows 23-26, memory's rows 29-44.
    expect([rgb(20, 4), rgb(20, 21), rgb(20, 22), rgb(20, 3)]).toEqual([setup, setup, none, none]);
    const compute = [0x2f, 0x85, 0x9d];
    expect([rgb(50, 23), rgb(50, 26), rgb(50, 27), rgb(30, 23)]).toEqual([compute, compute, none, none]);
    // Memory's top in a column is 45 - value × 16 / 900, rounded: the area fills down from
    // there to row 44, the line is the pixel on its value (and its rise, where it steps).
    const blue = [0, 0, 255];
    const red = [255, 0, 0];
    const column = (x: number) => Array.from({ length: 17 }, (_, i) => rgb(x, 29 + i));
    const expected = (area: number | null, line: number[]) =>
      Array.from({ length: 17 }, (_, i) =>
        line.includes(29 + i) ? red : area !== null && 29 + i >= area && 29 + i < 45 ? blue : none,
      );
    // 5 s: active 100 (top 43.2), peak 450 (top 37).
    expect(column(50)).toEqual(expected(43, [37]));
    // 12 s: active 500 (36.1): the line's pixel over the area.
    expect(column(120)).toEqual(expected(36, [37]));
    // At 20 s the peak steps to 900: the rise from 37 to 29 is in the column it starts.
    expect(column(200)).toEqual(expected(44, [29, 30, 31, 32, 33, 34, 35, 36, 37]));
    expect(column(201)).toEqual(expected(44, [29]));
    // Each curve ends at its own last sample: the area at 30 s, the line at 35 s.
    expect(column(300)).toEqual(expected(29, [29]));
    expect(column(301)).toEqual(expected(null, [29]));
    expect(column(350)).toEqual(expected(null, [29]));
    expect(column(351)).toEqual(expected(null, []));
  });
});
