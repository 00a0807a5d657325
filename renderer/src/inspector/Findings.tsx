import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { hangs, hungOver, stragglers } from "../../../shared/analysis/stragglers";
import { formatDuration } from "../../../shared/model/time";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { useLive } from "../live/store";
import { laneShift } from "../view/laneView";
import { clampView } from "../view/timeScale";

/** Zooms to [start, end] with some air, pins start, and selects the lane. */
export function jumpTo(laneId: string | null, start: number, end: number): void {
  const s = useApp.getState();
  const w = Math.max(end - start, 1e6);
  s.setView(clampView({ start: start - w * 0.15, end: end + w * 0.15 }, s.bounds));
  s.pin(start);
  if (laneId) s.selectLane(laneId);
}

/**
 * The two questions people open Rankscope with: which rank made the others wait at each
 * barrier (and by how much), and which ranks sit in one phase at the end of the data.
 * Both follow the lanes' current time shifts (clock alignment, manual offsets).
 */
export function Findings() {
  const { version, shifts } = useApp(useShallow((s) => ({ version: s.dataVersion, shifts: s.shifts })));
  const { late, stuck } = useMemo(() => {
    void version;
    const views = currentData().lanes;
    const lanes = views.map((l) => l.data);
    // Findings are on the axis the user sees: each lane's base and shift.
    const m = new Map(views.map((v) => [v.data.info.id, laneShift(v, shifts)]));
    const late = stragglers(lanes, m)
      .filter((s) => s.lateNs > 0)
      .sort((a, b) => b.lateNs - a.lateNs)
      .slice(0, 100);
    return { late, stuck: hangs(lanes, m) };
  }, [version, shifts]);
  // A live session flags, as they happen, the ranks in one phase for longer than its threshold.
  const live = useLive(
    useShallow((s) => ({ id: s.ended ? null : s.datasetId, thresholdMs: s.hangThresholdMs })),
  );
  const currentId = useApp((s) => s.current?.id);
  const flagged = live.id && live.id === currentId ? hungOver(stuck, live.thresholdMs * 1e6) : null;
  return (
    <div data-testid="findings">
      {flagged && (
        <>
          <h4>Hung now: in one phase for over {formatDuration(live.thresholdMs * 1e6)} (live)</h4>
          {flagged.length ? (
            <ul className="finding-list" data-testid="live-hangs">
              {flagged.map((h) => (
                <li key={h.laneId}>
                  <span className="finding-flag">HUNG</span>
                  <button className="link" onClick={() => jumpTo(h.laneId, h.since, h.since + h.durationNs)}>
                    {h.label}
                  </button>{" "}
                  in <b>{h.phase}</b> for {formatDuration(h.durationNs)}
                </li>
              ))}
            </ul>
          ) : (
            <div className="panel-empty" data-testid="live-hangs-none">
              No rank has been in one phase that long.
            </div>
          )}
        </>
      )}
      <h4>Still in a phase at the end of the data</h4>
      {stuck.length ? (
        <ul className="finding-list" data-testid="hangs">
          {stuck.map((h) => (
            <li key={h.laneId}>
              <button className="link" onClick={() => jumpTo(h.laneId, h.since, h.since + h.durationNs)}>
                {h.label}
              </button>{" "}
              in <b>{h.phase}</b> for {formatDuration(h.durationNs)}
              {h.alive === false ? " (process dead)" : ""}
            </li>
          ))}
        </ul>
      ) : (
        <div className="panel-empty">No rank is stuck in a phase at the end of the data.</div>
      )}
      <h4>Last to arrive at each barrier</h4>
      {late.length ? (
        <ul className="finding-list" data-testid="stragglers">
          {late.map((s) => (
            <li key={`${s.group}|${s.phase}|${s.taskId}|${s.occurrence}`}>
              <button
                className="link"
                onClick={() => jumpTo(s.last.laneId, s.arrivals[0].enter, s.last.exit ?? s.last.enter)}
              >
                {s.last.label}
              </button>{" "}
              {formatDuration(s.lateNs)} late at <b>{s.phase}</b>
              {s.taskId ? ` (${s.taskId})` : ""}
              <span className="dim">
                {" "}
                · {s.arrivals.length}
                {s.worldSize ? `/${s.worldSize}` : ""} arrived over {formatDuration(s.spreadNs)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <div className="panel-empty">No barrier where one rank arrived after the others.</div>
      )}
    </div>
  );
}
