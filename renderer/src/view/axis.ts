import { scaleLinear } from "d3";
import type { TimeScale } from "./timeScale";

const NS_PER_SEC = 1e9;

/** Tick positions and labels with real wall-clock times, as precise as the zoom needs. */
export function axisTicks(scale: TimeScale, originSec: number, target = 10): { t: number; label: string }[] {
  const ticks = scaleLinear().domain([scale.view.start, scale.view.end]).ticks(target);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : scale.view.end - scale.view.start;
  return ticks.map((t) => ({ t, label: formatTick(originSec, t, step) }));
}

/** "22:03:51", "22:03:51.508", "51.508123", "51.508123456" depending on the tick step. */
export function formatTick(originSec: number, offsetNs: number, stepNs: number): string {
  const totalNs = BigInt(originSec) * 1_000_000_000n + BigInt(Math.round(offsetNs));
  const sec = Number(totalNs / 1_000_000_000n);
  const frac = Number(totalNs % 1_000_000_000n);
  const d = new Date(sec * 1000);
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (stepNs >= NS_PER_SEC) return hms;
  if (stepNs >= 1e6) return `${hms}.${String(Math.floor(frac / 1e6)).padStart(3, "0")}`;
  const ss = pad(d.getUTCSeconds());
  if (stepNs >= 1e3) return `${ss}.${String(Math.floor(frac / 1e3)).padStart(6, "0")}`;
  return `${ss}.${String(frac).padStart(9, "0")}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The UTC date and time of an offset, for captions and readouts. */
export function formatInstant(originSec: number, offsetNs: number): string {
  const totalNs = BigInt(originSec) * 1_000_000_000n + BigInt(Math.round(offsetNs));
  const sec = Number(totalNs / 1_000_000_000n);
  const frac = Number(totalNs % 1_000_000_000n);
  return `${new Date(sec * 1000).toISOString().slice(0, 19).replace("T", " ")}.${String(Math.floor(frac / 1e3)).padStart(6, "0")} UTC`;
}
