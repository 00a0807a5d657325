import { useApp, type AppState } from "../app/store";
import { useTheme } from "../app/theme";

/**
 * The one frame scheduler of the timeline's canvases (lanes, axis, overview): redraw
 * requests coalesce into one per animation frame, and each painter reads what it draws at
 * that moment. What only the canvases show (view, cursor, pin, selection, lit task, notes)
 * reaches them straight from the store: it never re-renders React components.
 */
class FrameScheduler {
  private pending = 0;
  private readonly painters = new Set<() => void>();

  add(painter: () => void): () => void {
    this.painters.add(painter);
    this.schedule();
    return () => this.painters.delete(painter);
  }

  schedule(): void {
    if (this.pending || typeof requestAnimationFrame === "undefined") return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      for (const paint of this.painters) paint();
    });
  }
}

export const frames = new FrameScheduler();

const CANVAS_ONLY: (keyof AppState)[] = [
  "view",
  "cursor",
  "selectedLane",
  "pinned",
  "selection",
  "highlightTask",
  "annotations",
  "range",
  "bounds",
  "shifts",
  "clock",
  "scope",
  "dataVersion",
];

useApp.subscribe((s, prev) => {
  for (const k of CANVAS_ONLY)
    if (s[k] !== prev[k]) {
      frames.schedule();
      return;
    }
});

// A new theme repaints every canvas at once (the CSS side follows its variables by itself).
useTheme.subscribe((s, prev) => {
  if (s.palette !== prev.palette) frames.schedule();
});
