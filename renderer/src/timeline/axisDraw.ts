import { axisTicks } from "../view/axis";
import type { TimeScale } from "../view/timeScale";

/** The time axis strip: ticks with wall-clock labels. */
export function drawAxisTicks(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  originSec: number,
  w: number,
  h: number,
): void {
  ctx.fillStyle = "#1b2128";
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = "#8b96a3";
  ctx.strokeStyle = "#3a444f";
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const tick of axisTicks(scale, originSec, Math.max(2, Math.floor(w / 130)))) {
    const x = Math.round(scale.toX(tick.t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, h - 8);
    ctx.lineTo(x, h);
    ctx.stroke();
    ctx.fillText(tick.label, x + 3, h / 2 - 2);
  }
}
