/**
 * The lanes' spans and memory curves (and the overview's phases), written as pixels. A wide
 * view of a big run is tens of thousands of spans and columns a frame, and a fillRect or a
 * path corner each cost several times more than writing their pixels. Coordinates are the
 * frame's (CSS pixels); the image is at the context's scale (device pixels), so a rectangle
 * covers the device pixels fillRect would have filled most of.
 */
export interface Pixels {
  /** Starts a frame of `width` × `height` drawn through `ctx` (its current scale). */
  begin(ctx: CanvasRenderingContext2D, width: number, height: number): void;
  /**
   * Fills x in [x0, x1) of a band, rows [top, top + height): every row of a band holds the
   * same pixels, so a band is written once and its first row copied down at the end. At
   * least one device pixel wide and high; it covers what the band held there. Bands that share a
   * row start at the same row (a lane's phase band is one band, its sub-band another).
   */
  band(x0: number, x1: number, top: number, height: number, ink: number): void;
  /** Fills column x (a whole CSS pixel) over rows [y0, y1), over what it held. Not in a band's rows. */
  column(x: number, y0: number, y1: number, ink: number): void;
  /** A CSS colour as this layer's ink for band and column: look it up once, not per call. */
  ink(color: string): number;
  /** Draws what was filled onto `ctx`, under what is drawn after. */
  end(ctx: CanvasRenderingContext2D, width: number, height: number): void;
  /** Draws the last frame's pixels again, where they are kept (an image); absent, draw them anew. */
  redraw?(ctx: CanvasRenderingContext2D, width: number, height: number): void;
}

/** A layer for one canvas: an image where the browser can, else fillRects. */
export function pixelLayer(): Pixels {
  return ImagePixels.available() ? new ImagePixels() : new RectPixels();
}

/** The pixels in an image, drawn in one drawImage: where the browser has OffscreenCanvas. */
export class ImagePixels implements Pixels {
  private layer: OffscreenCanvasRenderingContext2D | null = null;
  private image: ImageData | null = null;
  private px = new Uint32Array(0);
  /** Per device row: the end of the band starting there, or 0. */
  private bandEnd = new Int32Array(0);
  private w = 0;
  private h = 0;
  private sx = 1;
  private sy = 1;
  private used = false;
  private readonly colors = new Map<string, number>();
  private probe: OffscreenCanvasRenderingContext2D | null = null;

  /** Whether this browser can (OffscreenCanvas); without it, RectPixels draws the same with fillRect. */
  static available(): boolean {
    return typeof OffscreenCanvas !== "undefined" && typeof ImageData !== "undefined";
  }

  begin(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    const t = ctx.getTransform();
    this.sx = t.a;
    this.sy = t.d;
    const w = Math.max(1, Math.round(width * t.a));
    const h = Math.max(1, Math.round(height * t.d));
    if (w !== this.w || h !== this.h || !this.layer) {
      this.w = w;
      this.h = h;
      this.layer = new OffscreenCanvas(w, h).getContext("2d")!;
      this.image = new ImageData(w, h);
      this.px = new Uint32Array(this.image.data.buffer);
      this.bandEnd = new Int32Array(h);
    } else if (this.used) {
      this.px.fill(0);
      this.bandEnd.fill(0);
    }
    this.used = false;
  }

  band(x0: number, x1: number, top: number, height: number, v: number): void {
    let a = Math.round(x0 * this.sx);
    let b = Math.max(a + 1, Math.round(x1 * this.sx));
    a = Math.max(0, a);
    b = Math.min(this.w, b);
    let y0 = Math.round(top * this.sy);
    let y1 = Math.max(y0 + 1, Math.round((top + height) * this.sy));
    y0 = Math.max(0, y0);
    y1 = Math.min(this.h, y1);
    if (b <= a || y1 <= y0) return;
    this.used = true;
    if (this.bandEnd[y0] < y1) this.bandEnd[y0] = y1;
    const row = y0 * this.w;
    if (b - a < 8) for (let i = row + a; i < row + b; i++) this.px[i] = v;
    else this.px.fill(v, row + a, row + b);
  }

  column(x: number, y0: number, y1: number, v: number): void {
    const a = Math.max(0, Math.round(x * this.sx));
    const b = Math.min(this.w, Math.round((x + 1) * this.sx));
    const r0 = Math.max(0, Math.round(y0 * this.sy));
    const r1 = Math.min(this.h, Math.round(y1 * this.sy));
    if (b <= a || r1 <= r0) return;
    this.used = true;
    const { px, w } = this;
    const opaque = v >>> 24 === 255;
    for (let c = a; c < b; c++)
      for (let i = r0 * w + c, end = r1 * w + c; i < end; i += w) {
        const d = px[i];
        px[i] = opaque || d === 0 ? v : over(v, d);
      }
  }

  end(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    if (!this.used || !this.layer || !this.image) return;
    const { px, w, bandEnd } = this;
    for (let y = 0; y < this.h; y++)
      for (let r = y + 1; r < bandEnd[y]; r++) px.copyWithin(r * w, y * w, (y + 1) * w);
    this.layer.putImageData(this.image, 0, 0);
    ctx.drawImage(this.layer.canvas, 0, 0, width, height);
  }

  redraw(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    if (this.used && this.layer) ctx.drawImage(this.layer.canvas, 0, 0, width, height);
  }

  /**
   * A CSS colour as the image's pixel (little-endian RGBA); a form parsedInk does not read,
   * by the canvas's own parse of it.
   */
  ink(color: string): number {
    let v = this.colors.get(color);
    if (v !== undefined) return v;
    v = parsedInk(color) ?? this.probed(color);
    this.colors.set(color, v);
    return v;
  }

  private probed(color: string): number {
    this.probe ??= new OffscreenCanvas(1, 1).getContext("2d", { willReadFrequently: true })!;
    const p = this.probe;
    p.clearRect(0, 0, 1, 1);
    p.fillStyle = color;
    p.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = p.getImageData(0, 0, 1, 1).data;
    return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
  }
}

/** `#rrggbb` and `rgb(a)(r, g, b[, a])` as a pixel without asking a canvas; null for any other form. */
export function parsedInk(color: string): number | null {
  let r: number, g: number, b: number;
  let a = 255;
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  const fn = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255];
  } else if (fn) {
    [r, g, b] = [Number(fn[1]), Number(fn[2]), Number(fn[3])];
    if (fn[4] !== undefined) a = Math.round(Math.min(1, Number(fn[4])) * 255);
    if (r > 255 || g > 255 || b > 255 || Number.isNaN(a)) return null;
  } else return null;
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Pixel `s` drawn over pixel `d` (both little-endian RGBA, not premultiplied), as source-over. */
function over(s: number, d: number): number {
  const sa = (s >>> 24) / 255;
  const da = ((d >>> 24) / 255) * (1 - sa);
  const a = sa + da;
  if (a === 0) return 0;
  const ch = (shift: number) => Math.round((((s >>> shift) & 255) * sa + ((d >>> shift) & 255) * da) / a);
  return ((Math.round(a * 255) << 24) | (ch(16) << 16) | (ch(8) << 8) | ch(0)) >>> 0;
}

/** The same pixels as fillRects on the context itself, where there is no OffscreenCanvas. */
export class RectPixels implements Pixels {
  private ctx: CanvasRenderingContext2D | null = null;
  private readonly colors: string[] = [];

  ink(color: string): number {
    const i = this.colors.indexOf(color);
    return i >= 0 ? i : this.colors.push(color) - 1;
  }

  begin(ctx: CanvasRenderingContext2D): void {
    this.ctx = ctx;
  }

  band(x0: number, x1: number, top: number, height: number, ink: number): void {
    this.ctx!.fillStyle = this.colors[ink];
    this.ctx!.fillRect(x0, top, Math.max(x1 - x0, 1), height);
  }

  column(x: number, y0: number, y1: number, ink: number): void {
    if (y1 <= y0) return;
    this.ctx!.fillStyle = this.colors[ink];
    this.ctx!.fillRect(x, y0, 1, y1 - y0);
  }

  end(): void {
    this.ctx = null;
  }
}
