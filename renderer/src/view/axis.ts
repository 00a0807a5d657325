import { scaleUtc, ticks, utcDay, utcFormat, utcHour, utcMinute, utcMonth, utcSecond, utcYear } from "d3";
import { formatDuration } from "../../../shared/model/time";
import type { AxisClock } from "./runs";
import type { TimeScale } from "./timeScale";

const NS_PER_SEC = 1e9;
/** Below this view width d3's millisecond `Date`s cannot place ticks: exact ns ticks instead. */
const DATE_TICKS_MIN_SPAN_NS = 20e6;

export interface Tick {
  t: number;
  label: string;
  /** A coarser boundary (a new second, minute, day…): drawn taller and brighter. */
  major: boolean;
}

const fmtMillisecond = utcFormat(".%L");
const fullMillisecond = utcFormat("%H:%M:%S.%L");
const fullSecond = utcFormat("%H:%M:%S");
const fmtSecond = utcFormat(":%S");
const fmtMinute = utcFormat("%H:%M");
const fmtDay = utcFormat("%a %d %b");
const fmtMonth = utcFormat("%b %Y");
const fmtYear = utcFormat("%Y");

/**
 * d3's multi-scale time format, in 24-hour UTC: each tick is labelled at its own
 * granularity, and a tick on a coarser boundary names that boundary, so the date appears
 * on every day boundary the view spans.
 */
export function multiScaleLabel(date: Date): { label: string; major: boolean } {
  if (utcSecond(date) < date) return { label: fmtMillisecond(date), major: false };
  if (utcMinute(date) < date) return { label: fmtSecond(date), major: false };
  if (utcHour(date) < date) return { label: fmtMinute(date), major: false };
  if (utcDay(date) < date) return { label: fmtMinute(date), major: false };
  if (utcMonth(date) < date) return { label: fmtDay(date), major: true };
  if (utcYear(date) < date) return { label: fmtMonth(date), major: true };
  return { label: fmtYear(date), major: true };
}

/** Tick positions and labels for the view, in the clock chosen (wall-clock or time since start). */
export function axisTicks(scale: TimeScale, clock: AxisClock, target = 10): Tick[] {
  const { start, end } = scale.view;
  if (clock.kind === "since") {
    const ts = ticks(start - clock.zero, end - clock.zero, target);
    const step = ts.length > 1 ? ts[1] - ts[0] : end - start;
    return ts.map((d) => ({ t: d + clock.zero, label: formatSince(d, step), major: d === 0 }));
  }
  const originMs = clock.originSec * 1000;
  if (end - start >= DATE_TICKS_MIN_SPAN_NS) {
    const x = scaleUtc().domain([new Date(originMs + start / 1e6), new Date(originMs + end / 1e6)]);
    const out = x.ticks(target).map((d) => ({ t: (d.getTime() - originMs) * 1e6, ...multiScaleLabel(d) }));
    // The first tick carries the context the terse ones after it leave out.
    const first = out[0];
    if (first && !first.major) {
      const d = new Date(originMs + first.t / 1e6);
      first.label = utcSecond(d) < d ? fullMillisecond(d) : fullSecond(d);
    }
    return out;
  }
  const ts = ticks(start, end, target);
  const step = ts.length > 1 ? ts[1] - ts[0] : end - start;
  return ts.map((t) => ({ t, label: formatTick(clock.originSec, t, step), major: false }));
}

/** "+1.5 s", "−200 ms", "0": a time since the start, as precise as the tick step. */
export function formatSince(ns: number, stepNs: number): string {
  if (ns === 0) return "0";
  const sign = ns < 0 ? "−" : "+";
  const abs = Math.abs(ns);
  if (abs >= 60e9 && stepNs >= 1e9) return `${sign}${formatDuration(abs)}`;
  // The unit is the one a tenth of which the step still reaches: +1.5 s, +250 ms, +12.5 µs.
  const [unit, name]: [number, string] =
    stepNs >= 1e8 ? [1e9, "s"] : stepNs >= 1e5 ? [1e6, "ms"] : stepNs >= 100 ? [1e3, "µs"] : [1, "ns"];
  const digits = Math.max(0, -Math.floor(Math.log10(stepNs / unit) + 1e-9));
  return `${sign}${(abs / unit).toFixed(digits)} ${name}`;
}

/** "22:03:51", "22:03:51.508", "51.508123", "51.508123456" depending on the tick step (exact). */
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

/** What the axis corner says: the date at the view's start (wall clock) or what zero is. */
export function axisContext(scale: TimeScale, clock: AxisClock): string {
  if (clock.kind === "since") return "time since start";
  const totalNs = BigInt(clock.originSec) * 1_000_000_000n + BigInt(Math.round(scale.view.start));
  const d = new Date(Number(totalNs / 1_000_000_000n) * 1000);
  return `${d.toISOString().slice(0, 10)} UTC`;
}
