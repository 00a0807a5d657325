/**
 * Following the live edge: while a live session runs, the view keeps its width and slides
 * so the newest data sits at its right edge, until the user pans or zooms away; "Back to
 * live" (L) returns to it. Pure: the live session decides when to call it.
 */
import { clampView, type View } from "./timeScale";

/** Air right of the newest data, as a share of the view's width (room to see it arrive). */
export const LIVE_AIR = 0.03;

/** The view of the same width whose right edge is just past `bounds.end` (the newest data). */
export function liveEdgeView(view: View, bounds: View): View {
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
