import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ColumnLayer } from "../../../renderer/src/timeline/columnLayer";

/** OffscreenCanvas and ImageData as far as the layer uses them; colours parse as #rrggbb. */
function stubCanvas(put: ImageData[]) {
  class FakeImageData {
    data: Uint8ClampedArray;
    constructor(
      public width: number,
      public height: number,
    ) {
      this.data = new Uint8ClampedArray(width * height * 4);
    }
  }
  class FakeCanvas {
    constructor(
      public width: number,
      public height: number,
    ) {}
    getContext() {
      let fill = "#000000";
      return {
        canvas: this,
        set fillStyle(c: string) {
          fill = c;
        },
        clearRect() {},
        fillRect() {},
        getImageData: () => ({
          data: [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16)).concat(255),
        }),
        putImageData: (img: ImageData) => put.push(img),
      };
    }
  }
  vi.stubGlobal("ImageData", FakeImageData);
  vi.stubGlobal("OffscreenCanvas", FakeCanvas);
}

const ctxAt = (dpr: number) => {
  const drawn: unknown[][] = [];
  return {
    drawn,
    ctx: {
      getTransform: () => ({ a: dpr, d: dpr }),
      drawImage: (...a: unknown[]) => drawn.push(a),
    } as unknown as CanvasRenderingContext2D,
  };
};

/** The image's pixel at device (x, y) as [r, g, b, a]. */
const at = (img: ImageData, x: number, y: number) => [
  ...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4),
];

describe("the narrow spans' column layer", () => {
  const put: ImageData[] = [];
  beforeEach(() => {
    put.length = 0;
    stubCanvas(put);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("fills the device pixels fillRect would, at the context's scale, and clips at the edges", () => {
    const layer = new ColumnLayer();
    const { ctx, drawn } = ctxAt(2);
    layer.begin(ctx, 100, 50);
    layer.fill(10, 12, 4, 18, "#ff8000"); // columns 10-12, rows 4-21 (CSS px)
    layer.fill(98, 140, -5, 10, "#0000ff"); // past the right and top edges
    layer.end(ctx, 100, 50);
    const img = put[0];
    expect([img.width, img.height]).toEqual([200, 100]);
    expect(at(img, 20, 8)).toEqual([255, 128, 0, 255]);
    expect(at(img, 25, 43)).toEqual([255, 128, 0, 255]);
    expect(at(img, 26, 20)).toEqual([0, 0, 0, 0]); // column 13 starts at device x 26
    expect(at(img, 19, 20)).toEqual([0, 0, 0, 0]);
    expect(at(img, 20, 44)).toEqual([0, 0, 0, 0]); // row 22
    expect(at(img, 199, 0)).toEqual([0, 0, 255, 255]);
    expect(at(img, 199, 10)).toEqual([0, 0, 0, 0]); // rows -5 to 5 end at device 10
    // Drawn once, over the frame's own size (the context scales it back to device pixels).
    expect(drawn).toHaveLength(1);
    expect(drawn[0].slice(1)).toEqual([0, 0, 100, 50]);
  });

  it("starts each frame empty, and draws nothing for a frame without narrow spans", () => {
    const layer = new ColumnLayer();
    const { ctx, drawn } = ctxAt(1);
    layer.begin(ctx, 40, 10);
    layer.fill(0, 39, 0, 10, "#102030");
    layer.end(ctx, 40, 10);
    layer.begin(ctx, 40, 10);
    layer.fill(5, 5, 0, 1, "#102030");
    layer.end(ctx, 40, 10);
    expect(at(put[1], 0, 0)).toEqual([0, 0, 0, 0]);
    expect(at(put[1], 5, 0)).toEqual([16, 32, 48, 255]);
    layer.begin(ctx, 40, 10);
    layer.end(ctx, 40, 10);
    expect(drawn).toHaveLength(2);
  });
});
