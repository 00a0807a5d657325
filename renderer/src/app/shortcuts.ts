import { useEffect } from "react";
import { isTyping } from "./keys";
import { stepEvent } from "../view/queries";
import { laneShift } from "../view/laneView";
import { clampView } from "../view/timeScale";
import { currentData } from "./current";
import { useApp } from "./store";

/**
 * App-wide keys (timeline navigation keys live in the timeline): `[`/`]` step to the
 * previous/next event of the selected lane (with Shift: of all lanes), `T` switches the axis
 * between wall-clock time and time since the run started, `N` writes a note at
 * the pinned instant, Ctrl/Cmd+Z undoes a lane shift or clock alignment, Esc unpins.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e)) return;
      const s = useApp.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
        if (s.undoShifts() !== null) e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "[" || e.key === "]" || e.key === "{" || e.key === "}") {
        const all = e.shiftKey || !s.selectedLane;
        const lanes = currentData()
          .lanes.filter((l) => all || l.data.info.id === s.selectedLane)
          .map((view) => ({ view, shift: laneShift(view, s.shifts) }));
        const from = s.pinned ?? s.cursor ?? s.view.start;
        e.preventDefault();
        // A paged lane's events may have to be read from its tiles first.
        void stepEvent(lanes, from, e.key === "]" || e.key === "}" ? 1 : -1).then((t) => {
          if (t === null) return;
          const now = useApp.getState();
          now.pin(t);
          if (t < now.view.start || t > now.view.end) {
            const w = now.view.end - now.view.start;
            now.setView(clampView({ start: t - w / 2, end: t + w / 2 }, now.bounds));
          }
        });
      } else if (e.key.toLowerCase() === "n" && s.current) {
        s.setInspector("notes");
        e.preventDefault();
        requestAnimationFrame(() =>
          (document.querySelector("[data-testid=note-text]") as HTMLTextAreaElement | null)?.focus(),
        );
      } else if (e.key.toLowerCase() === "t" && s.current) {
        s.setClock(s.clock === "wall" ? "since" : "wall");
        e.preventDefault();
      } else if (e.key === "/") {
        e.preventDefault();
        (document.querySelector("[data-testid=filter]") as HTMLInputElement | null)?.focus();
      } else if (e.key === "Escape") {
        s.pin(null);
        s.select(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
