import { vi } from "vitest";

/** OffscreenCanvas and ImageData as far as the pixel layer uses them; colours parse as #rrggbb. */
export function stubCanvas(put: ImageData[]): void {
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

/** A context at `dpr` that records what is drawn on it with drawImage. */
export const ctxAt = (dpr: number) => {
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
export const at = (img: ImageData, x: number, y: number) => [
  ...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4),
];
