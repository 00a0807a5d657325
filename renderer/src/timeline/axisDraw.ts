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
