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
