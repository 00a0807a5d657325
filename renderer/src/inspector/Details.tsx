import { useShallow } from "zustand/react/shallow";
import { formatDuration } from "../../../shared/model/time";
import { markerKindName, SpanFlag, type MarkerKindValue } from "../../../shared/model/types";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { formatInstant } from "../view/axis";
import { bytes, counterAt, parseArgs } from "../view/queries";

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
    return <CounterDetails lane={lane} index={selection.index} originSec={lane.data.originSec} />;
  const { spans, markers, strings } = lane.data;
  const isSpan = selection.kind === "span";
  const i = selection.index;
  const name = strings[isSpan ? spans.name[i] : markers.name[i]];
  const start = isSpan ? spans.start[i] : markers.t[i];
  const args = parseArgs(strings[isSpan ? spans.args[i] : markers.args[i]]);
  const file = current.files[isSpan ? spans.file[i] : markers.file[i]];
  const line = isSpan ? spans.line[i] : markers.line[i];
  const memory = lane.data.counters.map((c) => [c.name, counterAt(c, start)] as const);
  const taskId = typeof args.taskId === "string" ? args.taskId : null;
  return (
    <div className="details" data-testid="details">
      <h3>{name}</h3>
      <dl>
        <dt>{isSpan ? "span" : "marker"}</dt>
        <dd>{isSpan ? `depth ${spans.depth[i]}` : markerKindName[markers.kind[i] as MarkerKindValue]}</dd>
        <dt>lane</dt>
        <dd>{lane.data.info.label}</dd>
        <dt>{isSpan ? "start" : "at"}</dt>
        <dd>{formatInstant(lane.data.originSec, start)}</dd>
        {isSpan && (
          <>
            <dt>end</dt>
            <dd>{formatInstant(lane.data.originSec, spans.end[i])}</dd>
            <dt>duration</dt>
            <dd>{formatDuration(spans.end[i] - spans.start[i])}</dd>
          </>
        )}
        {isSpan &&
          FLAG_TEXT.filter(([f]) => spans.flags[i] & f).map(([, text]) => <dd key={text}>{text}</dd>)}
        {Object.entries(args).map(([k, v]) => (
          <FragmentRow key={k} k={k} v={v} />
        ))}
        <dt>source</dt>
        <dd data-testid="details-source">
          {file?.path ?? "?"}
          {line ? `:${line}` : ""}
        </dd>
        {memory.map(([n, v]) => (
          <FragmentRow key={n} k={n} v={bytes(v)} />
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

/** A point of the memory curve: every counter of the lane at that sample's instant. */
function CounterDetails({
  lane,
  index,
  originSec,
}: {
  lane: ReturnType<typeof currentData>["lanes"][number];
  index: number;
  originSec: number;
}) {
  const first = lane.memory.area[0] ?? lane.data.counters[0];
  if (!first || index >= first.t.length) return null;
  const t = first.t[index];
  return (
    <div className="details" data-testid="details">
      <h3>memory sample</h3>
      <dl>
        <dt>lane</dt>
        <dd>{lane.data.info.label}</dd>
        <dt>at</dt>
        <dd>{formatInstant(originSec, t)}</dd>
        {lane.data.counters.map((c) => (
          <FragmentRow
            key={c.name}
            k={c.name}
            v={
              /bytes|mlx|allocator|device|memory/.test(c.name)
                ? bytes(counterAt(c, t))
                : String(counterAt(c, t) ?? "–")
            }
          />
        ))}
      </dl>
    </div>
  );
}
