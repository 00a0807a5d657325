/**
 * Time ↔ pixel mapping for the timeline: one small module, DOM-free and unit-tested.
 * Times are float64 nanosecond offsets from the dataset origin.
 */

export interface View {
  start: number;
  end: number;
}

/** Smallest window the user can zoom to (100 ns) and how far outside the data one may pan. */
export const MIN_SPAN_NS = 100;

export class TimeScale {
  readonly k: number;

  constructor(
    readonly view: View,
    readonly width: number,
    readonly x0 = 0,
  ) {
    this.k = width / Math.max(view.end - view.start, 1e-9);
  }

  toX(t: number): number {
    return this.x0 + (t - this.view.start) * this.k;
  }

  toT(x: number): number {
    return this.view.start + (x - this.x0) / this.k;
  }

  /** Nanoseconds per pixel. */
  get nsPerPx(): number {
    return 1 / this.k;
  }
}

/** Keeps a view inside the data (with a margin) and no narrower than MIN_SPAN_NS. */
export function clampView(v: View, bounds: View): View {
  const full = Math.max(bounds.end - bounds.start, MIN_SPAN_NS);
  const margin = full * 0.05;
  const lo = bounds.start - margin;
  const hi = bounds.end + margin;
  let span = Math.min(Math.max(v.end - v.start, MIN_SPAN_NS), hi - lo);
  if (!Number.isFinite(span)) span = full;
  let start = v.start;
  if (start < lo) start = lo;
  if (start + span > hi) start = hi - span;
  return { start, end: start + span };
}

/** Zooms by `factor` (<1 zooms in) keeping time `anchor` under the same pixel. */
export function zoomView(v: View, anchor: number, factor: number, bounds: View): View {
  const start = anchor - (anchor - v.start) * factor;
  const end = anchor + (v.end - anchor) * factor;
  return clampView({ start, end }, bounds);
}

export function panView(v: View, deltaNs: number, bounds: View): View {
  return clampView({ start: v.start + deltaNs, end: v.end + deltaNs }, bounds);
}

/** The whole data with a little air on both sides. */
export function fitView(bounds: View): View {
  const span = Math.max(bounds.end - bounds.start, MIN_SPAN_NS);
  return clampView({ start: bounds.start - span * 0.01, end: bounds.end + span * 0.02 }, bounds);
}
