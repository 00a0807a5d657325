import { useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { formatDuration } from "../../../shared/model/time";
import {
  addAnnotation,
  deleteAnnotation,
  fromSidecar,
  toSidecar,
  updateAnnotation,
} from "../app/annotations";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { host } from "../host";
import { formatInstant } from "../view/axis";
import { clampView } from "../view/timeScale";

export const NOTE_COLORS = ["#ffd666", "#ff7b72", "#7ee787", "#79c0ff", "#d2a8ff"];

/** Annotations: add at the pinned instant or over the visible range, edit, jump, export. */
export function Notes() {
  const { annotations, current, pinned, cursor, view, selectedLane, selected } = useApp(
    useShallow((s) => ({
      annotations: s.annotations,
      current: s.current,
      pinned: s.pinned,
      cursor: s.cursor,
      view: s.view,
      selectedLane: s.selectedLane,
      selected: s.range,
    })),
  );
  const [text, setText] = useState("");
  const [color, setColor] = useState(NOTE_COLORS[0]);
  // A note goes over the selected range when there is one, unless the user unticks it.
  const [atInstant, setAtInstant] = useState(false);
  const [onLane, setOnLane] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  if (!current) return null;
  const at = pinned ?? cursor ?? (view.start + view.end) / 2;
  const laneLabel = (id: string | null) =>
    id ? (currentData().lanes.find((l) => l.data.info.id === id)?.data.info.label ?? id) : "all lanes";
  const range = selected && !atInstant ? selected : null;
  const add = async () => {
    if (!text.trim()) return;
    await addAnnotation({
      start: range ? range.start : at,
      end: range ? range.end : at,
      laneId: onLane ? selectedLane : null,
      text: text.trim(),
      color,
    });
    setText("");
  };
  return (
    <div className="notes" data-testid="notes">
      <form
        className="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <textarea
          value={text}
          placeholder={
            range
              ? `Note over ${formatDuration(range.end - range.start)} from ${formatInstant(current.originSec, range.start)}`
              : `Note at ${formatInstant(current.originSec, at)}`
          }
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              void add();
            }
          }}
          aria-label="Annotation text"
          data-testid="note-text"
        />
        <div className="note-options">
          {NOTE_COLORS.map((c) => (
            <button
              type="button"
              key={c}
              className={`color ${c === color ? "active" : ""}`}
              style={{ background: c }}
              onClick={() => setColor(c)}
              aria-label={`colour ${c}`}
            />
          ))}
          <label
            title={selected ? "" : "Drag on the time axis (or Shift+drag on the lanes) to select a range"}
          >
            <input
              type="checkbox"
              checked={!!range}
              disabled={!selected}
              onChange={(e) => setAtInstant(!e.currentTarget.checked)}
              data-testid="note-over-range"
            />{" "}
            over the selected range
          </label>
          <label title={selectedLane ? "" : "Select a lane first"}>
            <input
              type="checkbox"
              checked={onLane}
              disabled={!selectedLane}
              onChange={(e) => setOnLane(e.currentTarget.checked)}
            />{" "}
            on the selected lane only
          </label>
          <button type="submit" data-testid="note-add">
            Add note
          </button>
        </div>
      </form>
      <ul className="note-list">
        {annotations.map((a) => (
          <li key={a.id} data-testid="note-item">
            <span className="swatch" style={{ background: a.color }} />
            <button
              className="link"
              title="Jump there"
              onClick={() => {
                const s = useApp.getState();
                const w = Math.max(s.view.end - s.view.start, (a.end - a.start) * 1.5);
                const mid = (a.start + a.end) / 2;
                s.setView(clampView({ start: mid - w / 2, end: mid + w / 2 }, s.bounds));
                s.pin(a.start);
              }}
            >
              {formatInstant(current.originSec, a.start).slice(11, 26)}
              {a.end > a.start ? ` +${formatDuration(a.end - a.start)}` : ""}
            </button>
            <span className="dim"> {laneLabel(a.laneId)}</span>
            <div
              className="note-text"
              contentEditable
              suppressContentEditableWarning
              onBlur={(e) => {
                const t = e.currentTarget.textContent?.trim() ?? "";
                if (t && t !== a.text) void updateAnnotation(a.id, { text: t });
              }}
            >
              {a.text}
            </div>
            <button onClick={() => void deleteAnnotation(a.id)} aria-label="Delete note">
              Delete
            </button>
          </li>
        ))}
      </ul>
      <div className="note-io">
        <button
          disabled={!annotations.length}
          onClick={() =>
            void host.saveJson(
              JSON.stringify(toSidecar(annotations, current.name, current.originSec), null, 2),
              `${current.name}.annotations.json`,
            )
          }
        >
          Export notes…
        </button>
        <button onClick={() => fileInput.current?.click()}>Import notes…</button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="notes-import"
          onChange={async (e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (!f) return;
            try {
              for (const a of fromSidecar(await f.text(), current.originSec)) await addAnnotation(a);
              setError(null);
            } catch (err) {
              setError(`${f.name}: ${(err as Error).message}`);
            }
          }}
        />
      </div>
      {error && <div className="diag error">{error}</div>}
    </div>
  );
}
