/** Timing marks of the app, kept for the benchmark and the end-to-end tests (see testHooks). */

/** Durations (ms) of the timeline's recent paints, newest last; the benchmark reads them. */
export const paintTimes: number[] = [];
export let firstPaintAt: number | null = null;

/**
 * The latest import, in performance.now() ms: when it started, its first paint that showed
 * lanes, when every lane's full data was in memory, and the first paint after that (every
 * lane drawn with full detail). What the user waits for is measured from `startAt`, not
 * from page load. A paint of lanes already on screen when the import began counts as its
 * first picture: the benchmark starts on an empty library.
 */
export const importMarks = {
  startAt: null as number | null,
  firstPictureAt: null as number | null,
  fullAt: null as number | null,
  fullPaintAt: null as number | null,
};

export function markImportStart(): void {
  importMarks.startAt = performance.now();
  importMarks.firstPictureAt = importMarks.fullAt = importMarks.fullPaintAt = null;
}

export function recordPaint(ms: number, hadLanes: boolean): void {
  paintTimes.push(ms);
  if (paintTimes.length > 2000) paintTimes.splice(0, 1000);
  if (!hadLanes) return;
  const now = performance.now();
  if (firstPaintAt === null) firstPaintAt = now;
  if (importMarks.startAt === null) return;
  importMarks.firstPictureAt ??= now;
  if (importMarks.fullAt !== null) importMarks.fullPaintAt ??= now;
}

export let fullAt: number | null = null;

/** When every lane's full data was in memory (after the preview), for the benchmark. */
export function markFullyLoaded(): void {
  fullAt ??= performance.now();
  if (importMarks.startAt !== null) importMarks.fullAt ??= performance.now();
}
