import { formatDuration } from "../../../shared/model/time";
import { axisTicks } from "../view/axis";
import type { AxisClock } from "../view/runs";
import type { Palette } from "../view/theme";
import type { TimeScale } from "../view/timeScale";

/** The time axis strip: ticks labelled in the chosen clock; boundaries (a new day…) stand out. */
export function drawAxisTicks(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  clock: AxisClock,
  w: number,
  h: number,
  p: Palette,
): void {
  ctx.fillStyle = p.axisBg;
  ctx.fillRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const tick of axisTicks(scale, clock, Math.max(2, Math.floor(w / 130)))) {
    const x = Math.round(scale.toX(tick.t)) + 0.5;
    ctx.strokeStyle = tick.major ? p.tickMajor : p.tickMinor;
    ctx.beginPath();
    ctx.moveTo(x, tick.major ? 0 : h - 8);
    ctx.lineTo(x, h);
    ctx.stroke();
    ctx.fillStyle = tick.major ? p.text : p.dim;
    ctx.fillText(tick.label, x + 3, h / 2 - 2);
  }
}

/** The selected range on the axis: a band with its duration written in (or beside it). */
export function drawAxisRange(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  range: { start: number; end: number } | null,
  w: number,
  h: number,
  p: Palette,
): void {
  if (!range) return;
  const x0 = scale.toX(range.start);
  const x1 = scale.toX(range.end);
  if (x1 < 0 || x0 > w) return;
  const a = Math.max(0, x0);
  const b = Math.min(w, x1);
  // Twice the lanes' tint: the axis strip is where the range is read off.
  ctx.fillStyle = p.rangeFill;
  ctx.fillRect(a, 0, Math.max(b - a, 1), h);
  ctx.fillRect(a, 0, Math.max(b - a, 1), h);
  ctx.fillStyle = p.rangeEdge;
  if (x0 >= 0) ctx.fillRect(Math.round(x0) - 1, 0, 1.5, h);
  if (x1 <= w) ctx.fillRect(Math.round(x1), 0, 1.5, h);
  ctx.font = "bold 11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  const label = formatDuration(range.end - range.start);
  const tw = ctx.measureText(label).width + 10;
  // Centred in the band when it fits; otherwise right of it (or left at the right edge).
  const cx = (a + b) / 2;
  let lx = b - a >= tw ? cx - tw / 2 : b + 4;
  if (lx + tw > w) lx = Math.max(0, a - 4 - tw);
  ctx.fillStyle = p.tooltipBg;
  ctx.fillRect(lx, 4, tw, h - 8);
  ctx.fillStyle = p.accent;
  ctx.fillText(label, lx + 5, h / 2);
}
