import { useApp } from "./store";
import { panView, zoomView, type View } from "../view/timeScale";

export type Motion = "zoom-in" | "zoom-out" | "pan-left" | "pan-right";

/** One tap: zoom by a fifth, pan by a tenth of the view. */
const TAP_ZOOM = 0.8;
const TAP_PAN = 0.1;
/** A key held longer than this moves continuously, faster the longer it is held. */
export const HOLD_DELAY_MS = 200;

/** One step of a motion, anchored at the cursor (or the middle of the view). */
export function stepView(v: View, motion: Motion, anchor: number, bounds: View, amount = 1): View {
  const span = v.end - v.start;
  switch (motion) {
    case "zoom-in":
      return zoomView(v, anchor, Math.pow(TAP_ZOOM, amount), bounds);
    case "zoom-out":
      return zoomView(v, anchor, Math.pow(1 / TAP_ZOOM, amount), bounds);
    case "pan-left":
      return panView(v, -span * TAP_PAN * amount, bounds);
    case "pan-right":
      return panView(v, span * TAP_PAN * amount, bounds);
  }
}

/**
 * Keyboard zoom and pan (as in Perfetto): a tap moves one step at once; a key held past
 * HOLD_DELAY_MS moves every animation frame, accelerating, so speed does not depend on the
 * keyboard's repeat rate. Keys are tracked by `KeyboardEvent.key`, lowercased.
 */
class Navigation {
  private held = new Map<string, { motion: Motion; since: number }>();
  private raf = 0;
  private last = 0;

  press(key: string, motion: Motion): void {
    if (this.held.has(key)) return; // the keyboard's auto-repeat: motion already runs
    const s = useApp.getState();
    s.setView(stepView(s.view, motion, anchorOf(), s.bounds));
    this.held.set(key, { motion, since: performance.now() });
    if (!this.raf) {
      this.last = 0;
      this.raf = requestAnimationFrame(this.tick);
    }
  }

  release(key: string): void {
    this.held.delete(key);
  }

  releaseAll(): void {
    this.held.clear();
  }

  private tick = (now: number) => {
    const dt = Math.min(now - (this.last || now), 50) / 1000;
    this.last = now;
    const s = useApp.getState();
    let v = s.view;
    for (const { motion, since } of this.held.values()) {
      const heldFor = now - since;
      if (heldFor < HOLD_DELAY_MS) continue;
      // About 8 steps a second at first, up to 4× that after a second and a half.
      const speed = Math.min(1 + (heldFor - HOLD_DELAY_MS) / 400, 4);
      v = stepView(v, motion, anchorOf(), s.bounds, dt * speed * 8);
    }
    if (v !== s.view) s.setView(v);
    this.raf = this.held.size ? requestAnimationFrame(this.tick) : 0;
  };
}

function anchorOf(): number {
  const s = useApp.getState();
  return s.cursor ?? (s.view.start + s.view.end) / 2;
}

export const navigation = new Navigation();
