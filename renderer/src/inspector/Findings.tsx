import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { formatDuration } from "../../../shared/model/time";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { clampView } from "../timeline/timeScale";

/** Zooms to [start, end] with some air, pins start, and selects the lane. */
export function jumpTo(laneId: string | null, start: number, end: number): void {
  const s = useApp.getState();
  const w = Math.max(end - start, 1e6);
  s.setView(clampView({ start: start - w * 0.15, end: end + w * 0.15 }, s.bounds));
  s.pin(start);
  if (laneId) s.selectLane(laneId);
}

/** Ranks sitting in one phase at the end of the data (the hang people come to find). */
export function Hangs() {
  const { version, shifts } = useApp(useShallow((s) => ({ version: s.dataVersion, shifts: s.shifts })));
  const hangs = useMemo(() => {
    void version;
    return currentData()
      .lanes.filter((l) => l.open)
      .map((l) => ({
        id: l.data.info.id,
        label: l.data.info.label,
        ...l.open!,
        shift: shifts[l.data.info.id] ?? 0,
      }))
      .sort((a, b) => b.end - b.start - (a.end - a.start));
  }, [version, shifts]);
  if (!hangs.length)
    return <div className="panel-empty">No rank is stuck in a phase at the end of the data.</div>;
  return (
    <div data-testid="hangs">
      <h4>Still in a phase at the end of the data</h4>
      <ul className="finding-list">
        {hangs.map((h) => (
          <li key={h.id}>
            <button className="link" onClick={() => jumpTo(h.id, h.start + h.shift, h.end + h.shift)}>
              {h.label}
            </button>{" "}
            in <b>{h.name}</b> for {formatDuration(h.end - h.start)}
          </li>
        ))}
      </ul>
    </div>
  );
}
