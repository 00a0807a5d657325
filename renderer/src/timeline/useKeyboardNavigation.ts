import { useEffect } from "react";
import { isTyping } from "../app/keys";
import { useApp } from "../app/store";
import { fitView, panView, zoomView } from "../view/timeScale";

const KEYS = new Set(["w", "s", "a", "d"]);

/**
 * W/S zoom and A/D pan, accelerating while held (as in Perfetto); F fits the data. Motion
 * runs per animation frame, so speed does not depend on the keyboard's repeat rate.
 */
export function useKeyboardNavigation(): void {
  useEffect(() => {
    const held = new Map<string, number>();
    let raf = 0;
    let last = 0;
    const tick = (now: number) => {
      const dt = Math.min(now - (last || now), 50) / 1000;
      last = now;
      const s = useApp.getState();
      let v = s.view;
      for (const [key, since] of held) {
        const speed = Math.min(1 + (now - since) / 400, 4);
        const span = v.end - v.start;
        const anchor = s.cursor ?? (v.start + v.end) / 2;
        if (key === "w") v = zoomView(v, anchor, Math.pow(0.2, dt * speed), s.bounds);
        if (key === "s") v = zoomView(v, anchor, Math.pow(5, dt * speed), s.bounds);
        if (key === "a") v = panView(v, -span * 0.8 * dt * speed, s.bounds);
        if (key === "d") v = panView(v, span * 0.8 * dt * speed, s.bounds);
      }
      s.setView(v);
      raf = held.size ? requestAnimationFrame(tick) : 0;
    };
    const down = (e: KeyboardEvent) => {
      if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === "f") {
        useApp.getState().setView(fitView(useApp.getState().bounds));
        return;
      }
      if (!KEYS.has(key)) return;
      e.preventDefault();
      if (!held.has(key)) held.set(key, performance.now());
      if (!raf) {
        last = 0;
        raf = requestAnimationFrame(tick);
      }
    };
    const up = (e: KeyboardEvent) => held.delete(e.key.toLowerCase());
    const blur = () => held.clear();
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    window.addEventListener("blur", blur);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
      window.removeEventListener("blur", blur);
      if (raf) cancelAnimationFrame(raf);
    };
  }, []);
}
