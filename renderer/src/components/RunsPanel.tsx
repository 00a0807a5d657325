import { useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { worstFinding, type WorstFinding } from "../../../shared/analysis/worst";
import { formatDuration, formatNs } from "../../../shared/model/time";
import type { FileReport, Run } from "../../../shared/model/types";
import { showScope } from "../app/actions";
import { allLanes } from "../app/current";
import { useApp } from "../app/store";
import type { LaneView } from "../view/laneView";

interface RunRow {
  run: Run;
  start: string;
  duration: string;
  formats: string[];
  worst: WorstFinding | null;
}

function summarize(run: Run, views: LaneView[], files: FileReport[]): RunRow {
  const ids = new Set(run.lanes);
  const lanes = views.filter((v) => ids.has(v.data.info.id)).map((v) => v.data);
  const formats = new Set<string>();
  for (const l of lanes) {
    for (const f of new Set([...l.spans.file, ...l.markers.file])) if (files[f]) formats.add(files[f].format);
    if (!l.spans.file.length && !l.markers.file.length) formats.add(l.info.source);
  }
  const startNs = BigInt(run.originSec) * 1_000_000_000n + BigInt(Math.round(run.start));
  return {
    run,
    start: `${formatNs(startNs).slice(0, 19).replace("T", " ")} UTC`,
    duration: formatDuration(run.end - run.start),
    formats: [...formats].sort(),
    worst: worstFinding(lanes),
  };
}

/**
 * The runs of the open dataset (a folder often holds several, days apart): each with its
 * name, date, time range, sources and worst finding. Choosing one fits the view to it;
 * ticking two compares them one above the other.
 */
export function RunsPanel() {
  const { current, scope, version } = useApp(
    useShallow((s) => ({ current: s.current, scope: s.scope, version: s.dataVersion })),
  );
  const [picked, setPicked] = useState<string[]>([]);
  const rows = useMemo(() => {
    void version;
    if (!current?.runs) return [];
    return current.runs.map((r) => summarize(r, allLanes(), current.files));
  }, [current, version]);
  if (!current) return <div className="panel-empty">Open a dataset to see its runs.</div>;
  if (!rows.length)
    return <div className="panel-empty">This dataset was stored before runs existed: import it again.</div>;
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const shownRun = scope.kind === "run" ? scope.run : null;
  return (
    <div className="runs" data-testid="runs">
      <button
        className={`run-all ${scope.kind === "all" ? "active" : ""}`}
        onClick={() => showScope({ kind: "all" })}
        data-testid="run-all"
      >
        All runs <span className="dim">({rows.length})</span>
      </button>
      <ul className="run-list">
        {rows.map((r) => (
          <li
            key={r.run.id}
            className={shownRun === r.run.id ? "active" : ""}
            data-testid="run"
            data-run={r.run.id}
          >
            <label className="run-pick" title="Tick two runs to compare them">
              <input
                type="checkbox"
                checked={picked.includes(r.run.id)}
                onChange={() => toggle(r.run.id)}
                aria-label={`Compare ${r.run.label}`}
              />
            </label>
            <button
              className="link run-name"
              onClick={() => showScope({ kind: "run", run: r.run.id })}
              title={r.run.label}
            >
              {r.run.label}
            </button>
            <div className="run-meta">
              {r.start} · {r.duration} · {r.run.lanes.length} lane{r.run.lanes.length === 1 ? "" : "s"}
            </div>
            <div className="run-meta" title={r.formats.join(", ")}>
              {r.formats.join(", ")}
            </div>
            <div className={`run-worst ${r.worst ? `worst-${r.worst.kind}` : ""}`} data-testid="run-worst">
              {r.worst ? r.worst.text : "no findings"}
            </div>
          </li>
        ))}
      </ul>
      <button
        disabled={picked.length !== 2}
        data-testid="compare-runs"
        onClick={() => showScope({ kind: "compare", a: picked[0], b: picked[1], align: null })}
        title="Show the two ticked runs one above the other, from their starts"
      >
        Compare the two ticked runs
      </button>
    </div>
  );
}
