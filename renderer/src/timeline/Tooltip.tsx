import { parseArgs } from "../../../shared/model/builder";
import { formatDuration } from "../../../shared/model/time";
import { markerKindName, SpanFlag, type MarkerKindValue } from "../../../shared/model/types";
import { BAND_HEIGHT, BAND_TOP, MEM_TOP, SUB_HEIGHT, SUB_TOP, type Row } from "../view/layout";
import { firstSpanReaching, laneShift, lowerBound, type LaneView } from "../view/laneView";
import { rawSpansInMemory } from "../view/paged";
import type { SpanRecord } from "../view/queries";
import type { TimeScale } from "../view/timeScale";

export interface Hit {
  laneId: string;
  /**
   * The span or marker under the pointer, if any. A paged lane's span is given by its fields
   * (`span`, index -1) and its memory sample by its instant (`t`): their arrays come and go.
   */
  item: { kind: "span" | "marker" | "counter"; index: number; span?: SpanRecord; t?: number } | null;
  /** The data time under the pointer on this lane (its shift removed). */
  t: number;
  x: number;
  y: number;
  title: string;
  lines: string[];
}

/** What is under the pointer: a marker, a span (innermost first), or the lane itself. */
export function hitTest(
  rows: Row[],
  lanes: LaneView[],
  scale: TimeScale,
  x: number,
  yAbs: number,
  shifts: Record<string, number> = {},
): Hit | null {
  const row = rows.find((r) => yAbs >= r.y && yAbs < r.y + r.h);
  if (!row || row.kind !== "lane") return null;
  const lane = lanes[row.lane];
  const local = yAbs - row.y;
  const t = scale.toT(x) - laneShift(lane, shifts);
  const tol = 4 * scale.nsPerPx;
  const { markers, strings } = lane.data;
  // A paged lane: its raw spans at t when their tiles are in memory, else its phases.
  const paged = lane.paged?.index.spans ? rawSpansInMemory(lane, { start: t, end: t }) : null;
  const spans = paged ?? { ...lane.data.spans, maxEnd: lane.maxEnd, strings };
  const base = { laneId: lane.data.info.id, x, y: yAbs, t };
  let best = -1;
  for (let i = lowerBound(markers.t, t - tol); i < markers.t.length && markers.t[i] <= t + tol; i++) {
    if (best < 0 || markers.kind[i] > markers.kind[best]) best = i;
  }
  if (best >= 0 && (markers.kind[best] !== 0 || (local >= BAND_TOP && local <= BAND_TOP + BAND_HEIGHT))) {
    return {
      ...base,
      item: { kind: "marker", index: best },
      title: strings[markers.name[best]],
      lines: [
        markerKindName[markers.kind[best] as MarkerKindValue],
        ...argsLines(strings[markers.args[best]]),
      ],
    };
  }
  const depth =
    local >= SUB_TOP && local < SUB_TOP + SUB_HEIGHT + 1
      ? 1
      : local >= BAND_TOP && local < BAND_TOP + BAND_HEIGHT
        ? 0
        : -1;
  if (depth >= 0) {
    const names = spans.strings;
    for (let i = firstSpanReaching(spans, t); i < spans.start.length && spans.start[i] <= t; i++) {
      if (spans.end[i] < t || (spans.depth[i] ? 1 : 0) !== depth) continue;
      const flags = spans.flags[i];
      const notes = [
        flags & SpanFlag.Open ? "still open at the end of the data" : "",
        flags & SpanFlag.TruncatedStart ? "began before the recorded history" : "",
        flags & SpanFlag.Inferred ? "inferred from a phase change" : "",
        flags & SpanFlag.Error ? "ended in error" : "",
      ].filter(Boolean);
      const span: SpanRecord = {
        start: spans.start[i],
        end: spans.end[i],
        depth: spans.depth[i],
        flags,
        name: names[spans.name[i]],
        args: names[spans.args![i]],
        file: spans.file![i],
        line: spans.line![i],
      };
      return {
        ...base,
        item: lane.paged?.index.spans ? { kind: "span", index: -1, span } : { kind: "span", index: i },
        title: span.name,
        lines: [formatDuration(span.end - span.start), ...notes, ...argsLines(span.args)],
      };
    }
  }
  // The memory curve: the counter samples at this instant (index: the sample of the first series).
  if (local >= MEM_TOP && lane.data.counters.length) {
    const c = lane.memory.area[0] ?? lane.data.counters[0];
    if (lane.paged?.index.counters[lane.data.counters.indexOf(c)])
      return { ...base, item: { kind: "counter", index: -1, t }, title: "", lines: [] };
    const i = lowerBound(c.t, t + 1e-9) - 1;
    if (i >= 0) return { ...base, item: { kind: "counter", index: i }, title: "", lines: [] };
  }
  return { ...base, item: null, title: "", lines: [] };
}

function argsLines(text: string): string[] {
  return Object.entries(parseArgs(text))
    .filter(([, v]) => v !== null && v !== undefined)
    .slice(0, 8)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`.slice(0, 120));
}

export function Tooltip({ hit, left }: { hit: Hit; left: number }) {
  if (!hit.item || hit.item.kind === "counter") return null;
  return (
    <div className="tooltip" style={{ left: left + hit.x + 14, top: 8 }}>
      <div className="tooltip-title">{hit.title}</div>
      {hit.lines.map((l, i) => (
        <div key={i} className="tooltip-line">
          {l}
        </div>
      ))}
    </div>
  );
}
