/**
 * The pixel columns of spans narrower than a pixel, written straight into an image and
 * drawn in one drawImage. A wide view of a big run is mostly such columns (30k a frame on
 * 64 ranks of 3,800 s), and a fillRect each cost several times more than writing their
 * pixels. Coordinates are the frame's (CSS pixels); the image is at the context's scale
 * (device pixels), so a column is exactly the rectangle fillRect would have filled.
 */
export class ColumnLayer {
  private layer: OffscreenCanvasRenderingContext2D | null = null;
  private image: ImageData | null = null;
  private px = new Uint32Array(0);
  private w = 0;
  private h = 0;
  private sx = 1;
  private sy = 1;
  private used = false;
  private readonly colors = new Map<string, number>();
  private probe: OffscreenCanvasRenderingContext2D | null = null;

  /** Whether this browser can (OffscreenCanvas); without it spans are drawn with fillRect. */
  static available(): boolean {
    return typeof OffscreenCanvas !== "undefined" && typeof ImageData !== "undefined";
  }

  /** Starts a frame of `width` × `height` drawn through `ctx` (its current scale). */
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
    } else if (this.used) this.px.fill(0);
    this.used = false;
  }

  /** Fills columns [from, to] (whole CSS pixels) over rows [top, top + height). */
  fill(from: number, to: number, top: number, height: number, color: string): void {
    const v = this.rgba(color);
    const x0 = Math.max(0, Math.round(from * this.sx));
    const x1 = Math.min(this.w, Math.round((to + 1) * this.sx));
    const y0 = Math.max(0, Math.round(top * this.sy));
    const y1 = Math.min(this.h, Math.round((top + height) * this.sy));
    if (x1 <= x0 || y1 <= y0) return;
    this.used = true;
    for (let y = y0; y < y1; y++) this.px.fill(v, y * this.w + x0, y * this.w + x1);
  }

  /** Draws what was filled onto `ctx`, under what is drawn after. */
  end(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    if (!this.used || !this.layer || !this.image) return;
    this.layer.putImageData(this.image, 0, 0);
    ctx.drawImage(this.layer.canvas, 0, 0, width, height);
  }

  /** A CSS colour as the image's pixel (little-endian RGBA), by the canvas's own parse of it. */
  private rgba(color: string): number {
    let v = this.colors.get(color);
    if (v !== undefined) return v;
    this.probe ??= new OffscreenCanvas(1, 1).getContext("2d", { willReadFrequently: true })!;
    const p = this.probe;
    p.clearRect(0, 0, 1, 1);
    p.fillStyle = color;
    p.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = p.getImageData(0, 0, 1, 1).data;
    v = ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
    this.colors.set(color, v);
    return v;
  }
}
