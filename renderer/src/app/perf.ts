/** Timing marks of the app, kept for the benchmark and the end-to-end tests (see testHooks). */

/** Durations (ms) of the timeline's recent paints, newest last; the benchmark reads them. */
export const paintTimes: number[] = [];
export let firstPaintAt: number | null = null;

export function recordPaint(ms: number, hadLanes: boolean): void {
  paintTimes.push(ms);
  if (paintTimes.length > 2000) paintTimes.splice(0, 1000);
  if (hadLanes && firstPaintAt === null) firstPaintAt = performance.now();
}

export let fullAt: number | null = null;

/** When every lane's full data was in memory (after the preview), for the benchmark. */
export function markFullyLoaded(): void {
  fullAt ??= performance.now();
}
