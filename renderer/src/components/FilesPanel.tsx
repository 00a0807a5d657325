import { useShallow } from "zustand/react/shallow";
import { useApp } from "../app/store";

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Per input: what it was read as, how many records, and its errors and warnings. */
export function FilesPanel() {
  const { reports, current } = useApp(useShallow((s) => ({ reports: s.ingest.reports, current: s.current })));
  const files = reports.length ? reports : (current?.files ?? []);
  const notes = current?.notes ?? [];
  if (!files.length)
    return <div className="panel-empty">Drop a folder of logs to see what each file was read as.</div>;
  return (
    <div className="files-panel" data-testid="files-panel">
      {notes.map((n, i) => (
        <div key={i} className="note" data-testid="dataset-note">
          {n.kind === "unreachable-node" ? "Unreachable: " : ""}
          {n.message}
        </div>
      ))}
      <ul className="file-list">
        {files.map((f) => (
          <li
            key={f.path}
            className={`file ${f.errors.length ? "has-errors" : ""} ${f.format === "unknown" ? "unknown" : ""}`}
            data-testid="file-row"
          >
            <div className="file-path" title={f.path}>
              {f.path}
            </div>
            <div className="file-meta">
              <span className="format">{f.format}</span>
              <span>{f.records.toLocaleString()} records</span>
              <span>{fmtBytes(f.bytes)}</span>
            </div>
            {f.errors.map((e, i) => (
              <div key={`e${i}`} className="diag error">
                {e.line ? `line ${e.line}: ` : ""}
                {e.message}
              </div>
            ))}
            {f.warnings.map((w, i) => (
              <div key={`w${i}`} className="diag warning">
                {w}
              </div>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
