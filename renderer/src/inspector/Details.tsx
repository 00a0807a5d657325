import { useShallow } from "zustand/react/shallow";
import { formatDuration } from "../../../shared/model/time";
import { markerKindName, SpanFlag, type MarkerKindValue } from "../../../shared/model/types";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { formatInstant } from "../view/axis";
import type { LaneView } from "../view/laneView";
import { bytes, counterValueAt, parseArgs, type SpanRecord } from "../view/queries";

const FLAG_TEXT: [number, string][] = [
  [SpanFlag.Open, "still open at the end of the data"],
  [SpanFlag.TruncatedStart, "began before the recorded history"],
  [SpanFlag.Inferred, "inferred from a phase change"],
  [SpanFlag.Error, "ended in error"],
];

/** Every field of the clicked span or marker, its source file and line, and memory then. */
export function Details() {
  const { selection, current, version } = useApp(
    useShallow((s) => ({ selection: s.selection, current: s.current, version: s.dataVersion })),
  );
  void version;
  if (!selection || !current)
    return <div className="panel-empty">Click a span or marker to see all its fields.</div>;
  const lane = currentData().lanes.find((l) => l.data.info.id === selection.laneId);
  if (!lane) return null;
  if (selection.kind === "counter")
    return <CounterDetails lane={lane} index={selection.index} at={selection.t} />;
  const isSpan = selection.kind === "span";
  const item: (SpanRecord & { kind?: number }) | null = isSpan
    ? (selection.span ?? spanRecord(lane, selection.index))
    : markerRecord(lane, selection.index);
  if (!item) return null;
  const { name, start } = item;
  const args = parseArgs(item.args);
  const file = current.files[item.file];
  const line = item.line;
  const memory = lane.data.counters.map((c) => [c.name, memoryText(lane, c, start, bytes)] as const);
  const taskId = typeof args.taskId === "string" ? args.taskId : null;
  return (
    <div className="details" data-testid="details">
      <h3>{name}</h3>
      <dl>
        <dt>{isSpan ? "span" : "marker"}</dt>
        <dd>{isSpan ? `depth ${item.depth}` : markerKindName[item.kind! as MarkerKindValue]}</dd>
        <dt>lane</dt>
        <dd>{lane.data.info.label}</dd>
        <dt>{isSpan ? "start" : "at"}</dt>
        <dd>{formatInstant(lane.data.originSec, start)}</dd>
        {isSpan && (
          <>
            <dt>end</dt>
            <dd>{formatInstant(lane.data.originSec, item.end)}</dd>
            <dt>duration</dt>
            <dd>{formatDuration(item.end - item.start)}</dd>
          </>
        )}
        {isSpan && FLAG_TEXT.filter(([f]) => item.flags & f).map(([, text]) => <dd key={text}>{text}</dd>)}
        {Object.entries(args).map(([k, v]) => (
          <FragmentRow key={k} k={k} v={v} />
        ))}
        <dt>source</dt>
        <dd data-testid="details-source">
          {file?.path ?? "?"}
          {line ? `:${line}` : ""}
        </dd>
        {memory.map(([n, v]) => (
          <FragmentRow key={n} k={n} v={v} />
        ))}
      </dl>
      {taskId && (
        <button
          onClick={() =>
            useApp.getState().setHighlightTask(useApp.getState().highlightTask === taskId ? null : taskId)
          }
        >
          Highlight {taskId} on every rank
        </button>
      )}
    </div>
  );
}

function FragmentRow({ k, v }: { k: string; v: unknown }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}</dd>
    </>
  );
}

/** A clicked span of a lane's own columns, by its fields (as a paged lane's selection holds them). */
function spanRecord(lane: LaneView, i: number): SpanRecord | null {
  const { spans, strings } = lane.data;
  if (i < 0 || i >= spans.start.length) return null;
  return {
    start: spans.start[i],
    end: spans.end[i],
    depth: spans.depth[i],
    flags: spans.flags[i],
    name: strings[spans.name[i]],
    args: strings[spans.args[i]],
    file: spans.file[i],
    line: spans.line[i],
  };
}

function markerRecord(lane: LaneView, i: number): (SpanRecord & { kind: number }) | null {
  const { markers, strings } = lane.data;
  if (i < 0 || i >= markers.t.length) return null;
  const t = markers.t[i];
  return {
    start: t,
    end: t,
    depth: 0,
    flags: 0,
    kind: markers.kind[i],
    name: strings[markers.name[i]],
    args: strings[markers.args[i]],
    file: markers.file[i],
    line: markers.line[i],
  };
}

/** A counter's value at t as text; "≈" when a paged lane's tile is not in memory (a level's value). */
function memoryText(
  lane: LaneView,
  c: LaneView["data"]["counters"][number],
  t: number,
  format: (n: number | null) => string,
): string {
  const { value, exact } = counterValueAt(lane, c, t);
  return `${exact || value === null ? "" : "≈ "}${format(value)}`;
}

const isBytes = (name: string) => /bytes|mlx|allocator|device|memory/.test(name);

/**
 * A point of the memory curve: every counter of the lane at that sample's instant (of a
 * paged lane, at the instant clicked).
 */
function CounterDetails({ lane, index, at }: { lane: LaneView; index: number; at?: number }) {
  const first = lane.memory.area[0] ?? lane.data.counters[0];
  if (!first) return null;
  if (at === undefined && index >= first.t.length) return null;
  const t = at ?? first.t[index];
  return (
    <div className="details" data-testid="details">
      <h3>memory sample</h3>
      <dl>
        <dt>lane</dt>
        <dd>{lane.data.info.label}</dd>
        <dt>at</dt>
        <dd>{formatInstant(lane.data.originSec, t)}</dd>
        {lane.data.counters.map((c) => (
          <FragmentRow
            key={c.name}
            k={c.name}
            v={memoryText(lane, c, t, isBytes(c.name) ? bytes : (n) => String(n ?? "–"))}
          />
        ))}
      </dl>
    </div>
  );
}
