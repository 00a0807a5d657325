import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { at, ctxAt, stubCanvas } from "./canvasStub";
import { ImagePixels, parsedInk } from "../../../renderer/src/timeline/pixels";

describe("the lanes' pixel layer", () => {
  const put: ImageData[] = [];
  beforeEach(() => {
    put.length = 0;
    stubCanvas(put);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("fills a band's device pixels at the context's scale, every row alike, and clips at the edges", () => {
    const layer = new ImagePixels();
    const { ctx, drawn } = ctxAt(2);
    layer.begin(ctx, 100, 50);
    layer.band(10, 13, 4, 18, layer.ink("#ff8000")); // columns 10-12, rows 4-21 (CSS px)
    layer.band(98, 140, -5, 8, layer.ink("#0000ff")); // past the right and top edges
    layer.band(40, 40.2, 30, 2, layer.ink("#00ff00")); // narrower than a device pixel: one
    layer.end(ctx, 100, 50);
    const img = put[0];
    expect([img.width, img.height]).toEqual([200, 100]);
    for (const y of [8, 20, 43]) expect(at(img, 20, y)).toEqual([255, 128, 0, 255]);
    expect(at(img, 25, 43)).toEqual([255, 128, 0, 255]);
    expect(at(img, 26, 20)).toEqual([0, 0, 0, 0]); // column 13 starts at device x 26
    expect(at(img, 19, 20)).toEqual([0, 0, 0, 0]);
    expect(at(img, 20, 44)).toEqual([0, 0, 0, 0]); // row 22
    expect(at(img, 20, 7)).toEqual([0, 0, 0, 0]);
    expect(at(img, 199, 0)).toEqual([0, 0, 255, 255]);
    expect(at(img, 199, 5)).toEqual([0, 0, 255, 255]);
    expect(at(img, 199, 6)).toEqual([0, 0, 0, 0]); // rows -5 to 3 end at device 6
    expect(at(img, 195, 0)).toEqual([0, 0, 0, 0]);
    expect([at(img, 80, 60), at(img, 80, 63), at(img, 81, 60)]).toEqual([
      [0, 255, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 0, 0],
    ]);
    // Drawn once, over the frame's own size (the context scales it back to device pixels).
    expect(drawn).toHaveLength(1);
    expect(drawn[0].slice(1)).toEqual([0, 0, 100, 50]);
  });

  it("draws a column over what it holds, as source-over would", () => {
    const layer = new ImagePixels();
    const { ctx } = ctxAt(1);
    layer.begin(ctx, 10, 10);
    // A half-transparent blue under an opaque red and a half-transparent red (inks are pixels).
    layer.column(2, 0, 6, 0x80ff0000);
    layer.column(2, 1, 2, layer.ink("#ff0000"));
    layer.column(2, 3, 4, 0x800000ff);
    layer.column(3, 2.4, 2.4, layer.ink("#ff0000")); // no height: nothing
    layer.end(ctx, 10, 10);
    const img = put[0];
    expect(at(img, 2, 0)).toEqual([0, 0, 255, 128]);
    expect(at(img, 2, 1)).toEqual([255, 0, 0, 255]);
    // Red at 0.502 over blue at 0.502: alpha 0.752, two thirds red, one third blue.
    expect(at(img, 2, 3)).toEqual([170, 0, 85, 192]);
    expect(at(img, 2, 6)).toEqual([0, 0, 0, 0]);
    expect(at(img, 3, 2)).toEqual([0, 0, 0, 0]);
  });

  it("starts each frame empty, and draws nothing for a frame without pixels", () => {
    const layer = new ImagePixels();
    const { ctx, drawn } = ctxAt(1);
    layer.begin(ctx, 40, 10);
    layer.band(0, 40, 0, 10, layer.ink("#102030"));
    layer.end(ctx, 40, 10);
    layer.begin(ctx, 40, 10);
    layer.band(5, 6, 0, 1, layer.ink("#102030"));
    layer.end(ctx, 40, 10);
    expect(at(put[1], 0, 0)).toEqual([0, 0, 0, 0]);
    expect(at(put[1], 5, 0)).toEqual([16, 32, 48, 255]);
    expect(at(put[1], 5, 1)).toEqual([0, 0, 0, 0]);
    layer.begin(ctx, 40, 10);
    layer.end(ctx, 40, 10);
    expect(drawn).toHaveLength(2);
  });

  it("gives a band thinner than a device row one row, so that many lanes in a strip each show", () => {
    const layer = new ImagePixels();
    const { ctx } = ctxAt(1);
    layer.begin(ctx, 10, 4);
    const ink = layer.ink("#ffffff");
    for (let lane = 0; lane < 8; lane++) layer.band(lane, lane + 1, lane * 0.5, 0.5, ink);
    layer.end(ctx, 10, 4);
    // Lane k's row is round(k / 2), the row its top falls in (lane 7's rounds to 4, below the strip).
    const rows = Array.from({ length: 8 }, (_, lane) => [0, 1, 2, 3].filter((y) => at(put[0], lane, y)[3]));
    expect(rows).toEqual([[0], [1], [1], [2], [2], [3], [3], []]);
  });
});

describe("inks read without a canvas", () => {
  const px = (r: number, g: number, b: number, a: number) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
  it("read #rrggbb and rgb(a)(), and leave every other form to the canvas", () => {
    expect(parsedInk("#0969DA")).toBe(px(9, 105, 218, 255));
    expect(parsedInk("rgba(88, 166, 255, 0.45)")).toBe(px(88, 166, 255, 115));
    expect(parsedInk("rgb(1,2,3)")).toBe(px(1, 2, 3, 255));
    expect(parsedInk("rgba(0, 0, 0, 0)")).toBe(0);
    for (const other of ["red", "#abc", "hsl(10 50% 50%)", "rgba(300, 0, 0, 1)", "rgb(1 2 3)", "#12345g"])
      expect(parsedInk(other)).toBeNull();
  });
});
