import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { formatDuration } from "../../../shared/model/time";
import { showScope } from "../app/actions";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { alignableNames, comparePhases } from "../view/compare";

const MAX_ROWS = 300;

/**
 * Two runs compared: what is aligned, and per rank and phase how much longer run B spent
 * than run A. The timeline above shows both on one time-since-start axis.
 */
export function Compare() {
  const { scope, current, version } = useApp(
    useShallow((s) => ({ scope: s.scope, current: s.current, version: s.dataVersion })),
  );
  const table = useMemo(() => {
    void version;
    if (scope.kind !== "compare") return null;
    const { lanes, prefix } = currentData();
    const a = lanes.filter((v) => prefix?.get(v.data.info.id)?.startsWith("A"));
    const b = lanes.filter((v) => prefix?.get(v.data.info.id)?.startsWith("B"));
    return { rows: comparePhases(a, b), names: alignableNames(a, b) };
  }, [scope, version]);
  if (scope.kind !== "compare" || !table || !current)
    return (
      <div className="panel-empty">
        Tick two runs in the Runs list and press “Compare” to see them one above the other, with the time each
        rank spent in each phase side by side.
      </div>
    );
  const label = (id: string) => current.runs?.find((r) => r.id === id)?.label ?? id;
  return (
    <div className="compare" data-testid="compare">
      <dl className="compare-runs">
        <dt>A</dt>
        <dd title={label(scope.a)}>{label(scope.a)}</dd>
        <dt>B</dt>
        <dd title={label(scope.b)}>{label(scope.b)}</dd>
      </dl>
      <label className="compare-align">
        Time zero:{" "}
        <select
          value={scope.align ?? ""}
          data-testid="compare-align"
          onChange={(e) => showScope({ ...scope, align: e.currentTarget.value || null })}
        >
          <option value="">each run's start</option>
          {table.names.map((n) => (
            <option key={n} value={n}>
              first {n}
            </option>
          ))}
        </select>
      </label>
      <button onClick={() => showScope({ kind: "all" })}>Stop comparing</button>
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>rank</th>
            <th>phase</th>
            <th>A</th>
            <th>B</th>
            <th>B − A</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.slice(0, MAX_ROWS).map((r) => (
            <tr key={`${r.rank}|${r.phase}`}>
              <td title={r.rank}>{r.rank}</td>
              <td title={r.phase}>{r.phase}</td>
              <td>{formatDuration(r.a)}</td>
              <td>{formatDuration(r.b)}</td>
              <td className={r.diff > 0 ? "slower" : r.diff < 0 ? "faster" : ""}>
                {r.diff > 0 ? "+" : ""}
                {formatDuration(r.diff)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length > MAX_ROWS && (
        <div className="dim">{table.rows.length - MAX_ROWS} smaller differences not listed</div>
      )}
    </div>
  );
}
