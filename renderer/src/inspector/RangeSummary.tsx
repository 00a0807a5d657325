import { useMemo, type ReactNode } from "react";
import { useShallow } from "zustand/react/shallow";
import { FAMILY_LABELS, type PhaseFamily } from "../../../shared/model/phases";
import { formatDuration } from "../../../shared/model/time";
import { markRange } from "../app/annotations";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { useTheme } from "../app/theme";
import { formatInstant } from "../view/axis";
import { shownLanes } from "../view/filter";
import { laneShift } from "../view/laneView";
import { bytes } from "../view/queries";
import { rangeStats, type LaneRangeStats } from "../view/rangeStats";
import { clampView } from "../view/timeScale";

const MAX_ROWS = 300;
const APPROX = "A big lane's memory is kept in memory at a coarser level: bounds over whole buckets";

/**
 * The selected range: its length and ends, each shown lane's time in each phase family over
 * it, and each lane's memory low and high there.
 */
export function RangeSummary() {
  const { range, current, version, shifts, filter } = useApp(
    useShallow((s) => ({
      range: s.range,
      current: s.current,
      version: s.dataVersion,
      shifts: s.shifts,
      filter: s.filter,
    })),
  );
  const colors = useTheme((t) => t.palette.families);
  const rows = useMemo(() => {
    void version;
    if (!range) return [];
    const lanes = shownLanes(currentData().lanes, filter);
    return rangeStats(
      lanes.map((view) => ({ view, shift: laneShift(view, shifts) })),
      range,
    );
  }, [range, version, shifts, filter]);
  if (!range || !current)
    return (
      <div className="panel-empty">
        Drag on the time axis, or Shift+drag on the lanes, to select a time range: this tab then shows how
        long each rank spent in each phase over it, and its memory low and high.
      </div>
    );
  const families = [...new Set(rows.flatMap((r) => r.families.map((f) => f.family)))].sort(
    (a, b) => total(rows, b) - total(rows, a),
  );
  const hasMemory = rows.some((r) => r.memory.length);
  const span = range.end - range.start;
  const s = () => useApp.getState();
  return (
    <div className="range-summary" data-testid="range-summary">
      <div className="range-head">
        <strong data-testid="range-duration">{formatDuration(span)}</strong>
        <span className="dim">
          {" "}
          from {formatInstant(current.originSec, range.start)} to{" "}
          {formatInstant(current.originSec, range.end)}
        </span>
      </div>
      <div className="range-actions">
        <button
          onClick={() =>
            s().setView(
              clampView({ start: range.start - span * 0.05, end: range.end + span * 0.05 }, s().bounds),
            )
          }
        >
          Zoom to it
        </button>
        <button onClick={() => void markRange()} title="Keep it as a note (M)">
          Mark (M)
        </button>
        <button onClick={() => s().setInspector("notes")} title="Write a note over it (N)">
          Note…
        </button>
        <button onClick={() => s().setOverlay("export")}>Export PNG…</button>
        <button onClick={() => s().setRange(null)} title="Esc">
          Clear
        </button>
      </div>
      <div className="range-table-wrap">
        <table className="range-table" data-testid="range-table">
          <thead>
            <tr>
              <th>Lane</th>
              {families.map((f) => (
                <th key={f} title={FAMILY_LABELS[f]}>
                  <span className="swatch" style={{ background: colors[f] }} /> {FAMILY_LABELS[f]}
                </th>
              ))}
              <th title="Time of the range outside any phase of the lane">no phase</th>
            </tr>
          </thead>
          <tbody>
            {withGroups(rows.slice(0, MAX_ROWS), families.length + 2, (r) => (
              <tr key={r.laneId} data-testid="range-row" data-lane={r.laneId}>
                <td title={r.label}>{shortLabel(r)}</td>
                {families.map((f) => {
                  const ns = r.families.find((x) => x.family === f)?.ns ?? 0;
                  return (
                    <td key={f} data-family={f} data-ns={ns} title={`${pct(ns, span)} of the range`}>
                      {ns ? formatDuration(ns) : "–"}
                    </td>
                  );
                })}
                <td data-family="none" data-ns={r.uncovered}>
                  {r.uncovered ? formatDuration(r.uncovered) : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > MAX_ROWS && (
        <div className="dim">
          First {MAX_ROWS} of {rows.length} lanes.
        </div>
      )}
      {hasMemory && (
        <table className="range-table" data-testid="range-memory">
          <thead>
            <tr>
              <th>Lane</th>
              <th>Memory</th>
              <th>Low</th>
              <th>High</th>
            </tr>
          </thead>
          <tbody>
            {withGroups(rows.slice(0, MAX_ROWS), 4, (r) =>
              r.memory.map((m) => (
                <tr key={`${r.laneId}|${m.name}`}>
                  <td title={r.label}>{shortLabel(r)}</td>
                  <td>{m.name}</td>
                  <td data-value={m.min} title={m.approx ? APPROX : undefined}>
                    {m.approx ? "≈ " : ""}
                    {bytes(m.min)}
                  </td>
                  <td data-value={m.max} title={m.approx ? APPROX : undefined}>
                    {m.approx ? "≈ " : ""}
                    {bytes(m.max)}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** A lane by its rank within its group's heading (the full label is its tooltip). */
function shortLabel(r: LaneRangeStats): string {
  return r.rank === null ? r.label : r.worldSize ? `rank ${r.rank}/${r.worldSize}` : `rank ${r.rank}`;
}

/** Rows under a heading per group of lanes (an instance, a job), as the timeline shows them. */
function withGroups(
  rows: LaneRangeStats[],
  cols: number,
  render: (r: LaneRangeStats) => ReactNode,
): ReactNode[] {
  const out: ReactNode[] = [];
  let group: string | null = null;
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      out.push(
        <tr key={`group:${group}`} className="range-group">
          <td colSpan={cols} title={group}>
            {group}
          </td>
        </tr>,
      );
    }
    out.push(render(r));
  }
  return out;
}

function total(rows: { families: { family: PhaseFamily; ns: number }[] }[], f: PhaseFamily): number {
  let t = 0;
  for (const r of rows) t += r.families.find((x) => x.family === f)?.ns ?? 0;
  return t;
}

function pct(ns: number, span: number): string {
  return span > 0 ? `${((ns / span) * 100).toFixed(1)}%` : "–";
}
