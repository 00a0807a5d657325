import { phaseFamily, type PhaseFamily } from "../../../shared/model/phases";
import { formatDuration } from "../../../shared/model/time";
import { MarkerKind, SpanFlag } from "../../../shared/model/types";
import {
  BAND_HEIGHT,
  BAND_TOP,
  LANE_HEIGHT,
  MEM_HEIGHT,
  MEM_TOP,
  SUB_HEIGHT,
  SUB_TOP,
  type Row,
} from "../view/layout";
import {
  firstSpanReaching,
  isRestingPhase,
  laneShift,
  lowerBound,
  samplesAt,
  spansAt,
  type LaneView,
} from "../view/laneView";
import { labelOn, type Palette } from "../view/theme";
import { TimeScale } from "../view/timeScale";
import { pixelLayer, type Pixels } from "./pixels";
import { drawAnnotations, drawGaps, drawLaneOverlays, drawRange, type Overlays } from "./overlays";
import { resetPatterns, stripes } from "./patterns";

export interface Frame {
  width: number;
  height: number;
  scale: TimeScale;
  rows: Row[];
  scrollTop: number;
  lanes: LaneView[];
  /** Shared y-scale of memory curves, so ranks compare at a glance. */
  memMax: number;
  /** Pointer time (cursor line), or null. */
  cursor: number | null;
  /** A pinned instant (drawn stronger than the pointer's). */
  pinned: number | null;
  selectedLane: string | null;
  /** Per-lane time shifts: a lane's data at t is drawn at t + shift. */
  shifts: Record<string, number>;
  overlays: Overlays;
  /** The colours to draw with (the chosen theme's, on screen and in an export). */
  palette: Palette;
}

const families = new Map<string, PhaseFamily>();
/** A span's fill: its phase family's colour in the palette. */
export function spanColor(name: string, p: Palette): string {
  let f = families.get(name);
  if (!f) families.set(name, (f = phaseFamily(name)));
  return p.families[f];
}

function hatchPattern(ctx: CanvasRenderingContext2D, p: Palette): CanvasPattern | null {
  return stripes(ctx, { size: 8, color: p.openHatch, width: 2, rising: true });
}

const pixels = pixelLayer();

/** Each span name's ink in `into`, by its index in `strings`, looked up once per frame. */
export function spanInks(into: Pixels, strings: string[], p: Palette): (name: number) => number {
  const inks: number[] = [];
  return (name) => (inks[name] ??= into.ink(spanColor(strings[name], p)));
}

/** Draws the lanes area: React owns the canvas, this function owns the pixels. */
export function drawTimeline(ctx: CanvasRenderingContext2D, f: Frame): void {
  const p = f.palette;
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, f.width, f.height);
  pixels.begin(ctx, f.width, f.height);
  // A shifted lane is the same drawing seen through a view moved the other way.
  const frameOf = (lane: LaneView): Frame => {
    const shift = laneShift(lane, f.shifts);
    return shift
      ? {
          ...f,
          scale: new TimeScale(
            { start: f.scale.view.start - shift, end: f.scale.view.end - shift },
            f.scale.width,
          ),
        }
      : f;
  };
  // Backgrounds, then the pixels of memory curves and spans, then what goes over them.
  const decor: Decoration[] = [];
  for (const row of f.rows) {
    const y = row.y - f.scrollTop;
    if (row.kind === "group") {
      ctx.fillStyle = p.group;
      ctx.fillRect(0, y, f.width, row.h);
      continue;
    }
    const lane = f.lanes[row.lane];
    if (row.lane % 2) {
      ctx.fillStyle = p.laneAlt;
      ctx.fillRect(0, y, f.width, row.h);
    }
    if (f.selectedLane === lane.data.info.id) {
      ctx.fillStyle = p.select;
      ctx.fillRect(0, y, f.width, row.h);
    }
    const lf = frameOf(lane);
    drawMemory(lf, lane, y);
    drawSpans(lf, lane, y, decor);
  }
  pixels.end(ctx, f.width, f.height);
  drawDecorations(ctx, p, decor);
  // Over them: markers, gaps, overlays and the lane's bottom line.
  for (const row of f.rows) {
    if (row.kind === "group") continue;
    const y = row.y - f.scrollTop;
    const lane = f.lanes[row.lane];
    const lf = frameOf(lane);
    drawMarkers(ctx, lf, lane, y);
    drawGaps(ctx, lf.scale, lane, y, p);
    drawLaneOverlays(ctx, lf.scale, lane, y, f.overlays, p);
    ctx.fillStyle = p.grid;
    ctx.fillRect(0, y + LANE_HEIGHT - 1, f.width, 1);
  }
  drawRange(ctx, f.scale, f.overlays.range, f.height, p);
  drawAnnotations(ctx, f.scale, f.rows, f.lanes, f.scrollTop, f.height, f.overlays, p);
  for (const [t, color] of [
    [f.cursor, p.cursor],
    [f.pinned, p.pin],
  ] as const) {
    if (t === null) continue;
    const x = Math.round(f.scale.toX(t)) + 0.5;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, f.height);
    ctx.stroke();
  }
}

/** What a lane asks its paged tiles for: the view and half a view each side, so a pan finds them there. */
function withMargin(view: { start: number; end: number }): { start: number; end: number } {
  const m = (view.end - view.start) / 2;
  return { start: view.start - m, end: view.end + m };
}

/** What a wide span draws over its fill, after the pixels: its shade, open hatch or label. */
interface Decoration {
  name: string;
  flags: number;
  start: number;
  end: number;
  x0: number;
  x1: number;
  top: number;
  h: number;
}

function drawSpans(f: Frame, lane: LaneView, y: number, decor: Decoration[]): void {
  const p = f.palette;
  const { scale } = f;
  const spans = spansAt(lane, scale.nsPerPx, withMargin(scale.view));
  const { strings } = spans;
  const viewEnd = scale.view.end;
  // Spans narrower than a pixel merge into the pixel column they fall in, and neighbouring
  // columns of one colour into one run (per depth).
  const lastCol = [-1, -1];
  const run = [
    { from: 0, to: -1, ink: 0 },
    { from: 0, to: -1, ink: 0 },
  ];
  const inkOf = spanInks(pixels, strings, p);
  const flush = (depth: number) => {
    const r = run[depth];
    if (r.to < r.from) return;
    pixels.band(r.from, r.to + 1, y + (depth ? SUB_TOP : BAND_TOP), depth ? SUB_HEIGHT : BAND_HEIGHT, r.ink);
    r.to = r.from - 1;
  };
  for (let i = firstSpanReaching(spans, scale.view.start); i < spans.start.length; i++) {
    const s = spans.start[i];
    if (s > viewEnd) break;
    const e = spans.end[i];
    if (e < scale.view.start) continue;
    const depth = spans.depth[i] ? 1 : 0;
    const x0 = Math.max(scale.toX(s), -2);
    const x1 = Math.min(scale.toX(e), f.width + 2);
    if (x1 - x0 < 1) {
      const col = Math.floor(x0);
      if (lastCol[depth] === col) continue;
      lastCol[depth] = col;
      const ink = inkOf(spans.name[i]);
      const r = run[depth];
      if (r.to === col - 1 && r.ink === ink) r.to = col;
      else {
        flush(depth);
        r.from = r.to = col;
        r.ink = ink;
      }
      continue;
    }
    flush(depth);
    const top = y + (depth ? SUB_TOP : BAND_TOP);
    const h = depth ? SUB_HEIGHT : BAND_HEIGHT;
    // A pixel's gap between spans wide enough to spare it.
    pixels.band(x0, x1 - (x1 - x0 > 3 ? 1 : 0), top, h, inkOf(spans.name[i]));
    const flags = spans.flags[i];
    if (depth === 0 && (flags & (SpanFlag.TruncatedStart | SpanFlag.Open) || x1 - x0 > 30))
      decor.push({ name: strings[spans.name[i]], flags, start: s, end: e, x0, x1, top, h });
  }
  flush(0);
  flush(1);
}

function drawDecorations(ctx: CanvasRenderingContext2D, p: Palette, decor: Decoration[]): void {
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const d of decor) {
    const { x0, x1, top, h } = d;
    if (d.flags & SpanFlag.TruncatedStart) {
      ctx.fillStyle = p.truncatedShade;
      ctx.fillRect(x0, top, Math.min(6, x1 - x0), h);
    }
    if (d.flags & SpanFlag.Open && !isRestingPhase(d.name))
      drawOpen(ctx, p, d.name, d.start, d.end, x0, x1, top, h);
    else if (x1 - x0 > 30) {
      ctx.fillStyle = labelOn(p, spanColor(d.name, p));
      label(ctx, d.name, x0 + 3, top + h / 2, x1 - x0 - 6);
    }
  }
}

function drawOpen(
  ctx: CanvasRenderingContext2D,
  p: Palette,
  name: string,
  s: number,
  e: number,
  x0: number,
  x1: number,
  top: number,
  h: number,
) {
  const pattern = hatchPattern(ctx, p);
  if (pattern) {
    ctx.fillStyle = pattern;
    ctx.fillRect(x0, top, x1 - x0, h);
  }
  ctx.strokeStyle = p.open;
  ctx.lineWidth = 2;
  ctx.strokeRect(x0 + 1, top + 1, Math.max(x1 - x0 - 2, 1), h - 2);
  const text = `${name} · still open after ${formatDuration(e - s)}`;
  ctx.font = "bold 11px system-ui, sans-serif";
  const w = ctx.measureText(text).width + 8;
  const tx = Math.max(x0 + 2, Math.min(x1 - w, x0 + 2));
  ctx.fillStyle = p.openLabelBg;
  ctx.fillRect(tx, top + 2, Math.min(w, Math.max(x1 - tx - 2, 0)), h - 4);
  ctx.fillStyle = p.open;
  label(ctx, text, tx + 4, top + h / 2, x1 - tx - 8);
  ctx.font = "11px system-ui, sans-serif";
}

/** Average advance of an 11px UI font; estimating first keeps truncation to ~2 measurements. */
const CHAR_PX = 6.2;

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, max: number): void {
  if (max < 12) return;
  let t = text;
  if (t.length * CHAR_PX > max * 0.8) {
    let w = ctx.measureText(t).width;
    if (w > max) {
      let n = Math.max(1, Math.floor((t.length * max) / w) - 1);
      t = t.slice(0, n) + "…";
      while (n > 1 && (w = ctx.measureText(t).width) > max) t = t.slice(0, --n) + "…";
    }
  }
  ctx.fillText(t, x, y);
}

// Per-frame column buffers, reused: a frame draws up to ~100 series and must not allocate each.
const scratchBufs: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
function scratch(slot: number, n: number): Float64Array {
  if (scratchBufs[slot].length < n) scratchBufs[slot] = new Float64Array(Math.max(n, 4096));
  return scratchBufs[slot].subarray(0, n);
}

/**
 * One memory curve as pixel columns: per column its maximum (peaks must stay visible), held
 * across columns without samples (a counter is a step function), stacked on `base`. Filled
 * down to the base, or stroked as a step line. Returns the stack's top per column.
 */
function drawSeries(
  f: Frame,
  c: { t: Float64Array; v: Float64Array },
  base: Float64Array | null,
  y: number,
  ink: number,
  stroke: boolean,
): Float64Array {
  const w = Math.ceil(f.width);
  const col = scratch(0, w).fill(NaN);
  const { scale } = f;
  for (let i = Math.max(0, lowerBound(c.t, scale.view.start) - 1); i < c.t.length; i++) {
    const x = Math.floor(scale.toX(c.t[i]));
    if (x >= w) break;
    if (x < 0) continue;
    if (!(col[x] >= c.v[i])) col[x] = c.v[i];
  }
  const startIdx = lowerBound(c.t, scale.view.start);
  let held = startIdx > 0 ? c.v[startIdx - 1] : NaN;
  const lastX = c.t.length ? Math.floor(scale.toX(c.t[c.t.length - 1])) : -1;
  const firstX = c.t.length ? Math.floor(scale.toX(c.t[0])) : w;
  const out = scratch(base && base.buffer === scratchBufs[1].buffer ? 2 : 1, w);
  const k = MEM_HEIGHT / (f.memMax || 1);
  const bottom = y + MEM_TOP + MEM_HEIGHT;
  let prev = NaN;
  for (let x = 0; x < w; x++) {
    if (!Number.isNaN(col[x])) held = col[x];
    const under = base ? base[x] || 0 : 0;
    if (x > lastX || x < firstX || Number.isNaN(held)) {
      out[x] = under;
      prev = NaN;
      continue;
    }
    out[x] = held + under;
    const top = bottom - Math.min(out[x] * k, MEM_HEIGHT);
    if (!stroke) pixels.column(x, top, bottom - Math.min(under * k, MEM_HEIGHT), ink);
    else {
      // The step's rise or fall is drawn in the column where the new value starts.
      const from = Number.isNaN(prev) ? top : prev;
      pixels.column(x, Math.min(from, top) - 0.5, Math.max(from, top) + 0.5, ink);
      prev = top;
    }
  }
  return out;
}

function drawMemory(f: Frame, lane: LaneView, y: number): void {
  let base: Float64Array | null = null;
  const range = withMargin(f.scale.view);
  const p = f.palette;
  lane.memory.area.forEach((c, i) => {
    base = drawSeries(
      f,
      samplesAt(lane, c, f.scale.nsPerPx, range),
      base,
      y,
      pixels.ink(i ? p.memAreaLow : p.memArea),
      false,
    );
  });
  if (lane.memory.line)
    drawSeries(
      f,
      samplesAt(lane, lane.memory.line, f.scale.nsPerPx, range),
      null,
      y,
      pixels.ink(p.memLine),
      true,
    );
}

function drawMarkers(ctx: CanvasRenderingContext2D, f: Frame, lane: LaneView, y: number): void {
  const { markers } = lane.data;
  const { scale } = f;
  let lastX = -10;
  for (let i = lowerBound(markers.t, scale.view.start); i < markers.t.length; i++) {
    const t = markers.t[i];
    if (t > scale.view.end) break;
    const x = scale.toX(t);
    const kind = markers.kind[i];
    if (kind === MarkerKind.Gap) continue; // drawn as a band (drawGaps)
    const serious = kind !== MarkerKind.Info && kind !== MarkerKind.Peak;
    if (!serious && x - lastX < 3) continue;
    lastX = x;
    ctx.fillStyle = f.palette.markers[kind] ?? f.palette.text;
    if (serious) {
      ctx.fillRect(Math.round(x), y + 1, 1, LANE_HEIGHT - 2);
      ctx.beginPath();
      ctx.moveTo(x - 5, y + 1);
      ctx.lineTo(x + 5, y + 1);
      ctx.lineTo(x, y + 9);
      ctx.closePath();
      ctx.fill();
    } else {
      ctx.fillRect(Math.round(x), y + BAND_TOP + BAND_HEIGHT - 5, 1, 5);
    }
  }
}

/** Clears cached canvases (tests and hot reload). */
export function resetDrawCaches(): void {
  resetPatterns();
}
