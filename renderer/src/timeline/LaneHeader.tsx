import { useRef } from "react";
import { formatDuration } from "../../../shared/model/time";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import type { LaneInfo } from "../../../shared/model/types";
import type { LaneView } from "../view/laneView";

/** Parses "12ms", "-3.5 s", "250us", "1200" (ns) into nanoseconds; null if unreadable. */
export function parseOffset(text: string): number | null {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|min)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? "ns").toLowerCase();
  const k =
    unit === "ns"
      ? 1
      : unit === "us" || unit === "µs"
        ? 1e3
        : unit === "ms"
          ? 1e6
          : unit === "s"
            ? 1e9
            : 60e9;
  return Number(m[1]) * k;
}

function setShift(laneId: string, ns: number, label: string): void {
  const s = useApp.getState();
  const next = { ...s.shifts };
  if (Math.abs(ns) < 0.5) delete next[laneId];
  else next[laneId] = ns;
  s.applyShifts(next, label);
}

/**
 * Who the lane is: node, rank/world size, layers, and whether it is stuck. Alt+drag (or
 * Shift+drag) shifts the lane in time; the offset badge edits or clears the shift.
 */
export function LaneHeader({
  info,
  errorCount,
  open,
  selected,
  onSelect,
  shift,
  nsPerPx,
}: {
  info: LaneInfo;
  errorCount: number;
  /** The phase still open at the end of the data. */
  open: LaneView["open"];
  selected: boolean;
  onSelect(): void;
  shift: number;
  /** Nanoseconds per pixel at the current zoom, when a drag needs it. */
  nsPerPx: () => number;
}) {
  const drag = useRef<{ x: number; shift0: number; moved: boolean } | null>(null);
  const rank =
    info.rank != null ? `rank ${info.rank}${info.worldSize != null ? `/${info.worldSize}` : ""}` : null;
  const layers = info.layers
    ? `layers ${info.layers.start}–${info.layers.end} of ${info.layers.total}`
    : null;
  const dead = info.state?.processAlive === false;
  const nodeText = info.node ? (currentData().nodes.get(info.node)?.text ?? info.node) : info.label;
  // What tells this lane from its neighbours of the same rank: the layers it holds, or what its
  // label says beyond node and rank (a PyTorch rank's CPU thread or GPU stream), else its device.
  const rest = info.label
    .replace(`${nodeText} · `, "")
    .replace(/^rank \d+ · /, "")
    .trim();
  const detail = layers ?? (rest && rest !== nodeText ? rest : info.device);
  const title = [
    info.label,
    info.node && `node ${info.node}`,
    info.runnerId && `runner ${info.runnerId}`,
    info.modelId,
    info.pid != null && `pid ${info.pid}`,
    info.device,
    "Alt+drag to shift this lane in time",
  ]
    .filter(Boolean)
    .join("\n");
  return (
    <div
      className={`lane-header${selected ? " selected" : ""}`}
      title={title}
      data-lane={info.id}
      onPointerDown={(e) => {
        if (!(e.altKey || e.shiftKey) || e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, shift0: shift, moved: false };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        d.moved = true;
        const s = useApp.getState();
        // Live preview without filling the undo history; the drop commits one entry.
        useApp.setState({ shifts: { ...s.shifts, [info.id]: d.shift0 + (e.clientX - d.x) * nsPerPx() } });
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        if (!d) return onSelect();
        const final = d.shift0 + (e.clientX - d.x) * nsPerPx();
        useApp.setState((s) => ({ shifts: { ...s.shifts, [info.id]: d.shift0 } }));
        if (d.moved) setShift(info.id, final, `shift ${info.label}`);
      }}
      onClick={(e) => {
        if (!e.altKey && !e.shiftKey && !drag.current) onSelect();
      }}
    >
      <div className="lane-line1">
        <span className="lane-node">{nodeText}</span>
        {rank && <span className="lane-rank">{rank}</span>}
        {errorCount > 0 && (
          <span className="badge badge-error" title="errors, exceptions and crashes">
            {errorCount} ⚠
          </span>
        )}
        {dead && <span className="badge badge-error">process dead</span>}
        {shift !== 0 && (
          <button
            className="offset-badge"
            data-testid="offset-badge"
            title="Time shift of this lane: click to edit, empty to clear (Ctrl+Z undoes)"
            onClick={(e) => {
              e.stopPropagation();
              const text = prompt(
                `Shift ${info.label} by (e.g. 12ms, -3.5s; empty clears):`,
                formatDuration(shift).replace(" ", ""),
              );
              if (text === null) return;
              const ns = text.trim() ? parseOffset(text.replace("µ", "u")) : 0;
              if (ns !== null) setShift(info.id, ns, `shift ${info.label}`);
            }}
          >
            {shift > 0 ? "+" : ""}
            {formatDuration(shift)}
          </button>
        )}
      </div>
      <div className="lane-line2">
        {detail && (
          <span className="lane-layers" title={detail}>
            {detail}
          </span>
        )}
        {open && (
          <span
            className="badge badge-open"
            data-testid="open-phase"
            title={`Still in ${open.name} at the end of the data`}
          >
            open: {open.name} {formatDuration(open.end - open.start)}
          </span>
        )}
      </div>
    </div>
  );
}
