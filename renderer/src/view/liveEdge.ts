/**
 * Following the live edge: while a live session runs, the view keeps its width and slides
 * so the newest data sits at its right edge, until the user pans or zooms away; "Back to
 * live" (L) returns to it. Pure: the live session decides when to call it.
 */
import { clampView, fitView, type View } from "./timeScale";

/** Air right of the newest data, as a share of the view's width (room to see it arrive). */
export const LIVE_AIR = 0.03;
/** While the whole history fits this, a view that shows all of it keeps showing all of it. */
export const LIVE_WINDOW_NS = 5 * 60e9;

/**
 * The view that follows the newest data: the same width, its right edge just past
 * `bounds.end`. A view that showed the whole history (`prev`: the bounds it was made for)
 * grows with it up to LIVE_WINDOW_NS first, so an attach does not stay at its first
 * poll's few seconds.
 */
export function liveEdgeView(view: View, bounds: View, prev: View | null = null): View {
  const showedAll = prev !== null && view.start <= prev.start;
  if (showedAll && bounds.end - bounds.start <= LIVE_WINDOW_NS) return fitView(bounds);
  const width = view.end - view.start;
  const end = bounds.end + width * LIVE_AIR;
  return clampView({ start: end - width, end }, bounds);
}

/**
 * Whether the view is still the one the session last set: any other view (a pan, a zoom, a
 * jump from Findings) means the user went looking, and the view stops following.
 */
export function stillFollowing(current: View, lastSet: View | null): boolean {
  return lastSet !== null && current.start === lastSet.start && current.end === lastSet.end;
}

/** The newest data is in sight (the "Back to live" button is not needed). */
export function liveEdgeInView(view: View, bounds: View): boolean {
  return view.start <= bounds.end && bounds.end <= view.end;
}
