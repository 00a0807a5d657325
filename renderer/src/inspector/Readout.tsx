import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { formatDuration } from "../../../shared/model/time";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { formatInstant } from "../view/axis";
import { laneShift } from "../view/laneView";
import { bytes, counterValueAt, parseArgs, phaseAt } from "../view/queries";

/** For every rank at the cursor (or pinned) instant: phase, time in it, task, command, memory. */
export function Readout() {
  const { cursor, pinned, shifts, version, current } = useApp(
    useShallow((s) => ({
      cursor: s.cursor,
      pinned: s.pinned,
      shifts: s.shifts,
      version: s.dataVersion,
      current: s.current,
    })),
  );
  const t = pinned ?? cursor;
  const rows = useMemo(() => {
    void version;
    if (t === null) return [];
    const { lanes, nodes } = currentData();
    return lanes.map((lane) => {
      const { node, label, rank } = lane.data.info;
      const local = t - laneShift(lane, shifts);
      const i = phaseAt(lane, local);
      const { spans, strings } = lane.data;
      const args = i >= 0 ? parseArgs(strings[spans.args[i]]) : {};
      // A paged lane's value is its finest level's when its tile is not in memory: marked "≈".
      const mem = [...lane.memory.area, ...(lane.memory.line ? [lane.memory.line] : [])].map((c) => {
        const { value, exact } = counterValueAt(lane, c, local);
        return `${c.name.replace(/^mlx\./, "")} ${exact || value === null ? "" : "≈"}${bytes(value)}`;
      });
      return {
        id: lane.data.info.id,
        who: `${(node && nodes.get(node)?.text) || label}${rank != null ? ` r${rank}` : ""}`,
        whoTitle: node ?? undefined,
        phase: i >= 0 ? strings[spans.name[i]] : "—",
        inPhase: i >= 0 ? formatDuration(local - spans.start[i]) : "",
        task: (args.taskId as string | undefined) ?? "",
        command: (args.commandId as string | undefined) ?? "",
        mem,
      };
    });
  }, [t, shifts, version]);
  if (t === null)
    return <div className="panel-empty">Move the pointer over the lanes; click to pin an instant.</div>;
  return (
    <div className="readout" data-testid="readout">
      <div className="readout-time">
        {pinned !== null ? "pinned " : ""}
        {formatInstant(current?.originSec ?? 0, t)}
      </div>
      <table>
        <thead>
          <tr>
            <th>rank</th>
            <th>phase</th>
            <th>in phase</th>
            <th>task / command</th>
            <th>memory</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td title={r.whoTitle}>{r.who}</td>
              <td>{r.phase}</td>
              <td>{r.inPhase}</td>
              <td>
                {r.task}
                {r.command ? ` / ${r.command}` : ""}
              </td>
              <td>{r.mem.join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
