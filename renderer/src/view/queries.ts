import type { CounterSeries } from "../../../shared/model/types";
export { parseArgs } from "../../../shared/model/builder";
import { lowerBound, type LaneView } from "./laneView";
import { pagedCounterAt, pagedEventTimes } from "./paged";

/** A span by its fields: how a paged lane's selected span outlives the tiles it came from. */
export interface SpanRecord {
  start: number;
  end: number;
  depth: number;
  flags: number;
  name: string;
  args: string;
  /** Index into the dataset's files, and 1-based line (0: unknown). */
  file: number;
  line: number;
}

/** The depth-0 span (phase) containing data time t, as an index, or -1. */
export function phaseAt(lane: LaneView, t: number): number {
  const { start, end, depth } = lane.data.spans;
  // Spans are sorted by start: walk back from the last span starting at or before t.
  let i = lowerBound(start, t + 1e-9) - 1;
  for (let steps = 0; i >= 0 && steps < 64; i--, steps++) {
    if (depth[i] === 0 && start[i] <= t && end[i] >= t) return i;
    if (lane.maxEnd[i] < t) break;
  }
  return -1;
}

/** A counter's value at t: the last sample at or before t (counters are step functions). */
export function counterAt(c: CounterSeries, t: number): number | null {
  const i = lowerBound(c.t, t + 1e-9) - 1;
  return i >= 0 ? c.v[i] : null;
}

/**
 * A lane's counter at t, and whether that is exact: a paged series reads its raw tile when it
 * is in memory, else its finest level in memory (the readout marks such a value approximate).
 */
export function counterValueAt(
  lane: LaneView,
  c: CounterSeries,
  t: number,
): { value: number | null; exact: boolean } {
  const i = lane.data.counters.indexOf(c);
  if (i >= 0 && lane.paged?.index.counters[i]) return pagedCounterAt(lane, i, t);
  return { value: counterAt(c, t), exact: true };
}

/** Times of the lane's events (span starts and ends, markers), sorted, for stepping. */
export function eventTimes(lane: LaneView): Float64Array {
  const { spans, markers } = lane.data;
  const out = new Float64Array(spans.start.length * 2 + markers.t.length);
  out.set(spans.start, 0);
  out.set(spans.end, spans.start.length);
  out.set(markers.t, spans.start.length * 2);
  return out.sort();
}

/**
 * The next (dir 1) or previous (dir -1) event strictly after/before t across the lanes (a
 * paged lane reads the raw tiles around t first).
 */
export async function stepEvent(
  lanes: { view: LaneView; shift: number }[],
  t: number,
  dir: 1 | -1,
): Promise<number | null> {
  let best: number | null = null;
  for (const { view, shift } of lanes) {
    const local = t - shift;
    const times = view.paged?.index.spans
      ? await pagedEventTimes(view, local + (dir > 0 ? 1e-6 : -1e-6), dir)
      : eventTimes(view);
    const i = lowerBound(times, local + (dir > 0 ? 1e-6 : -1e-6));
    const cand = dir > 0 ? (i < times.length ? times[i] : null) : i > 0 ? times[i - 1] : null;
    if (cand === null) continue;
    const shown = cand + shift;
    if (best === null || (dir > 0 ? shown < best : shown > best)) best = shown;
  }
  return best;
}

export function bytes(n: number | null): string {
  if (n === null) return "–";
  const a = Math.abs(n);
  if (a >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (a >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (a >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
