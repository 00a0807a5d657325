import { LANE_HEIGHT, BAND_TOP, BAND_HEIGHT, type Row } from "../view/layout";
import { firstSpanReaching, type LaneView } from "../view/laneView";
import { gapBands, laneGaps } from "../view/gaps";
import { labelOn, type Palette } from "../view/theme";
import type { TimeScale } from "../view/timeScale";
import { stripes } from "./patterns";

export interface AnnotationMark {
  id: string;
  start: number;
  end: number;
  laneId: string | null;
  text: string;
  color: string;
}

/** What is drawn over the data: the selection, a highlighted task, annotations. */
export interface Overlays {
  selection: {
    laneId: string;
    kind: "span" | "marker" | "counter";
    index: number;
    span?: { start: number; end: number; depth: number };
  } | null;
  /** `"taskId":"…"` as it appears in args text, or null. */
  taskNeedle: string | null;
  annotations: AnnotationMark[];
  /** The time range the user selected (axis time), drawn across every lane. */
  range: { start: number; end: number } | null;
}

export const NO_OVERLAYS: Overlays = { selection: null, taskNeedle: null, annotations: [], range: null };

/** The selected range: a tint across the lanes, with its edges drawn the full height. */
export function drawRange(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  range: Overlays["range"],
  height: number,
  p: Palette,
): void {
  if (!range) return;
  const x0 = Math.max(-2, scale.toX(range.start));
  const x1 = Math.min(scale.width + 2, scale.toX(range.end));
  if (x1 < -1 || x0 > scale.width + 1) return;
  ctx.fillStyle = p.rangeFill;
  ctx.fillRect(x0, 0, Math.max(x1 - x0, 1), height);
  ctx.fillStyle = p.rangeEdge;
  ctx.fillRect(Math.round(x0) - 1, 0, 1.5, height);
  ctx.fillRect(Math.round(x1), 0, 1.5, height);
}

/** Outlines the selected span and every span of the highlighted task on this lane. */
export function drawLaneOverlays(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  lane: LaneView,
  y: number,
  o: Overlays,
  p: Palette,
): void {
  const { spans, markers, strings } = lane.data;
  const id = lane.data.info.id;
  if (o.taskNeedle) {
    ctx.strokeStyle = p.taskOutline;
    ctx.lineWidth = 1.5;
    for (
      let i = firstSpanReaching({ maxEnd: lane.maxEnd }, scale.view.start);
      i < spans.start.length && spans.start[i] <= scale.view.end;
      i++
    ) {
      if (spans.depth[i] || !strings[spans.args[i]].includes(o.taskNeedle)) continue;
      const x0 = scale.toX(spans.start[i]);
      ctx.strokeRect(x0, y + BAND_TOP - 1, Math.max(scale.toX(spans.end[i]) - x0, 2), BAND_HEIGHT + 2);
    }
  }
  const sel = o.selection;
  if (sel && sel.laneId === id) {
    ctx.strokeStyle = p.pin;
    ctx.lineWidth = 2;
    const span =
      sel.span ??
      (sel.kind === "span" && sel.index < spans.start.length
        ? { start: spans.start[sel.index], end: spans.end[sel.index], depth: spans.depth[sel.index] }
        : null);
    if (sel.kind === "span" && span) {
      const x0 = scale.toX(span.start);
      const top = span.depth ? y + BAND_TOP + BAND_HEIGHT : y + BAND_TOP - 2;
      ctx.strokeRect(
        x0 - 1,
        top,
        Math.max(scale.toX(span.end) - x0 + 2, 3),
        span.depth ? 7 : BAND_HEIGHT + 4,
      );
    } else if (sel.kind === "counter") {
      // Counter selections are shown in the inspector; the pinned cursor marks the instant.
    } else if (sel.kind === "marker" && sel.index < markers.t.length) {
      const x = scale.toX(markers.t[sel.index]);
      ctx.strokeRect(x - 6, y + 1, 12, LANE_HEIGHT - 2);
    }
  }
}

/** Annotations: a line (instant) or a shaded band (range), across all lanes or on one. */
export function drawAnnotations(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  rows: Row[],
  lanes: LaneView[],
  scrollTop: number,
  height: number,
  o: Overlays,
  p: Palette,
): void {
  if (!o.annotations.length) return;
  const laneRow = new Map<string, Row>();
  for (const r of rows) if (r.kind === "lane") laneRow.set(lanes[r.lane].data.info.id, r);
  ctx.font = "bold 11px system-ui, sans-serif";
  ctx.textBaseline = "top";
  for (const a of o.annotations) {
    let top = 0;
    let h = height;
    if (a.laneId) {
      const r = laneRow.get(a.laneId);
      if (!r) continue;
      top = r.y - scrollTop;
      h = r.h;
    }
    const x0 = scale.toX(a.start);
    const x1 = scale.toX(a.end);
    if (x1 < -200 || x0 > scale.width + 10) continue;
    ctx.globalAlpha = 0.18;
    ctx.fillStyle = a.color;
    if (x1 - x0 >= 1) ctx.fillRect(x0, top, x1 - x0, h);
    ctx.globalAlpha = 1;
    // A note keeps the colour it was given; on a light lane a shade beside its lines keeps a
    // pale colour (the yellow) visible.
    ctx.fillStyle = p.noteShade;
    ctx.fillRect(Math.round(x0) + 2, top, 1, h);
    if (x1 - x0 >= 1) ctx.fillRect(Math.round(x1) - 2, top, 1, h);
    ctx.fillStyle = a.color;
    ctx.fillRect(Math.round(x0), top, 2, h);
    if (x1 - x0 >= 1) ctx.fillRect(Math.round(x1) - 1, top, 2, h);
    const label = a.text.length > 60 ? `${a.text.slice(0, 59)}…` : a.text;
    const w = ctx.measureText(label).width + 8;
    // Keep the label inside the picture: left of the line when it would run off the right.
    const lx = x0 + 2 + w > scale.width ? Math.max(0, x0 - 2 - w) : x0 + 2;
    ctx.fillStyle = a.color;
    ctx.fillRect(lx, top + 2, w, 16);
    ctx.fillStyle = labelOn(p, a.color);
    ctx.fillText(label, lx + 4, top + 4);
  }
  ctx.textBaseline = "middle";
}

/**
 * History missing from a lane (a live attach's ring overrun): a hatched band over the whole
 * lane height with its length written in, so nobody reads the hole as a quiet runner.
 */
export function drawGaps(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  lane: LaneView,
  y: number,
  p: Palette,
): void {
  const gaps = laneGaps(lane.data);
  if (!gaps.length) return;
  const gapHatch = stripes(ctx, { size: 6, color: p.gapHatch, width: 1, rising: false });
  ctx.font = "bold 10px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const b of gapBands(gaps, scale, scale.width)) {
    ctx.fillStyle = p.gapShade;
    ctx.fillRect(b.x0, y + 1, b.x1 - b.x0, LANE_HEIGHT - 2);
    if (gapHatch) {
      ctx.fillStyle = gapHatch;
      ctx.fillRect(b.x0, y + 1, b.x1 - b.x0, LANE_HEIGHT - 2);
    }
    ctx.fillStyle = p.gapEdge;
    ctx.fillRect(b.x0, y + 1, 1, LANE_HEIGHT - 2);
    ctx.fillRect(b.x1 - 1, y + 1, 1, LANE_HEIGHT - 2);
    const w = ctx.measureText(b.label).width + 6;
    // Too narrow for its words, the label goes right of the band.
    const lx = b.x1 - b.x0 >= w + 2 ? b.x0 + 2 : b.x1 + 2;
    ctx.fillStyle = p.gapLabelBg;
    ctx.fillRect(lx, y + BAND_TOP + 2, w, BAND_HEIGHT - 4);
    ctx.fillStyle = p.text;
    ctx.fillText(b.label, lx + 3, y + BAND_TOP + BAND_HEIGHT / 2);
  }
}
