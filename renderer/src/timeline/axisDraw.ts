import { formatDuration } from "../../../shared/model/time";
import { axisTicks } from "../view/axis";
import type { AxisClock } from "../view/runs";
import type { TimeScale } from "../view/timeScale";

/** The time axis strip: ticks labelled in the chosen clock; boundaries (a new day…) stand out. */
export function drawAxisTicks(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  clock: AxisClock,
  w: number,
  h: number,
): void {
  ctx.fillStyle = "#1b2128";
  ctx.fillRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const tick of axisTicks(scale, clock, Math.max(2, Math.floor(w / 130)))) {
    const x = Math.round(scale.toX(tick.t)) + 0.5;
    ctx.strokeStyle = tick.major ? "#8b96a3" : "#3a444f";
    ctx.beginPath();
    ctx.moveTo(x, tick.major ? 0 : h - 8);
    ctx.lineTo(x, h);
    ctx.stroke();
    ctx.fillStyle = tick.major ? "#e6edf3" : "#8b96a3";
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
): void {
  if (!range) return;
  const x0 = scale.toX(range.start);
  const x1 = scale.toX(range.end);
  if (x1 < 0 || x0 > w) return;
  const a = Math.max(0, x0);
  const b = Math.min(w, x1);
  ctx.fillStyle = "rgba(88,166,255,0.35)";
  ctx.fillRect(a, 0, Math.max(b - a, 1), h);
  ctx.font = "bold 11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  const label = formatDuration(range.end - range.start);
  const tw = ctx.measureText(label).width + 10;
  // Centred in the band when it fits; otherwise right of it (or left at the right edge).
  const cx = (a + b) / 2;
  let lx = b - a >= tw ? cx - tw / 2 : b + 4;
  if (lx + tw > w) lx = Math.max(0, a - 4 - tw);
  ctx.fillStyle = "#0d1117";
  ctx.fillRect(lx, 4, tw, h - 8);
  ctx.fillStyle = "#79c0ff";
  ctx.fillText(label, lx + 5, h / 2);
}
