import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { estimateClockOffsets } from "../../../shared/analysis/clock";
import { alignStormlog } from "../../../shared/analysis/stormlogAlign";
import { runKey } from "../../../shared/model/runs";
import { formatDuration } from "../../../shared/model/time";
import type { LaneData } from "../../../shared/model/types";
import { currentData } from "../app/current";
import { useApp } from "../app/store";

/**
 * Clock alignment from the data: each node's offset estimated from barrier exits (an
 * instant shared by every rank), with its confidence; apply, and undo. stormlog ranks get
 * stormlog's own first-sample alignment.
 */
export function Clocks() {
  const { version, shiftHistory, current } = useApp(
    useShallow((s) => ({ version: s.dataVersion, shiftHistory: s.shiftHistory, current: s.current })),
  );
  const { clocks, storm } = useMemo(() => {
    void version;
    const lanes = currentData().lanes.map((l) => l.data);
    // Nodes are compared within a run only: two clusters' clocks say nothing of each other.
    const byRun = new Map<string, LaneData[]>();
    for (const l of lanes) {
      const k = runKey(l);
      if (!byRun.has(k)) byRun.set(k, []);
      byRun.get(k)!.push(l);
    }
    const clocks = [...byRun]
      .map(([run, members]) => ({ run, clock: estimateClockOffsets(members) }))
      .filter((c) => c.clock.nodes.length);
    return { clocks, storm: alignStormlog(lanes) };
  }, [version]);
  const runLabel = (id: string) => current?.runs?.find((r) => r.id === id)?.label ?? id;
  const apply = (perLane: Map<string, number>, label: string) => {
    const s = useApp.getState();
    const next = { ...s.shifts };
    for (const [id, shift] of perLane) {
      if (Math.abs(shift) < 0.5) delete next[id];
      else next[id] = shift;
    }
    s.applyShifts(next, label);
  };
  const last = shiftHistory[shiftHistory.length - 1];
  return (
    <div data-testid="clocks">
      <h4>Node clocks (from barrier exits)</h4>
      {clocks.map(({ run, clock }) => (
        <div key={run} className="clock-run" data-testid="clock-run">
          {clocks.length > 1 && (
            <div className="clock-run-label" title={runLabel(run)}>
              {runLabel(run)}
            </div>
          )}
          <table className="clock-table">
            <thead>
              <tr>
                <th>node</th>
                <th>offset</th>
                <th>±</th>
                <th>barriers</th>
                <th>confidence</th>
              </tr>
            </thead>
            <tbody>
              {clock.nodes.map((n) => (
                <tr key={n.node} title={`${n.node}\n${n.reason}`} data-testid="clock-row">
                  <td>
                    {n.label}
                    {n.node === clock.reference ? " (reference)" : ""}
                  </td>
                  <td>
                    {n.confidence === "none"
                      ? "–"
                      : `${n.offsetNs >= 0 ? "+" : ""}${formatDuration(n.offsetNs)}`}
                  </td>
                  <td>{n.confidence === "none" ? "" : formatDuration(n.spreadNs)}</td>
                  <td>{n.observations}</td>
                  <td className={`conf-${n.confidence}`}>{n.confidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            data-testid="align-clocks"
            disabled={!clock.perLane.size}
            onClick={() => apply(clock.perLane, "align clocks")}
          >
            Align clocks
          </button>
        </div>
      ))}
      {!clocks.length && (
        <div className="panel-empty">
          No lanes with node identity and shared barriers to estimate clocks from.
        </div>
      )}
      {storm.groups.length > 0 && (
        <>
          <h4>stormlog ranks (first-sample alignment)</h4>
          <ul className="finding-list">
            {storm.groups.flatMap((g) =>
              g.ranks.map((r) => (
                <li key={r.laneId}>
                  rank {r.rank ?? "?"}: {r.skewNs >= 0 ? "+" : ""}
                  {formatDuration(r.skewNs)}
                  {r.flagged ? " (above 5× the sampling interval)" : ""}
                </li>
              )),
            )}
          </ul>
          <button onClick={() => apply(storm.perLane, "align stormlog ranks")}>Align stormlog ranks</button>
        </>
      )}
      {last && (
        <div className="undo-row">
          <button onClick={() => useApp.getState().undoShifts()} data-testid="undo-shift">
            Undo {last.label}
          </button>{" "}
          <span className="dim">(Ctrl+Z)</span>
        </div>
      )}
    </div>
  );
}
