import { cancelImport } from "../app/actions";
import { useApp } from "../app/store";

function mib(n: number): string {
  return (n / 1024 / 1024).toFixed(1);
}

/** Files, bytes and records done, with Cancel (Esc). Nothing is stored until the end. */
export function ProgressBar() {
  const ingest = useApp((s) => s.ingest);
  if (ingest.status !== "running" && ingest.status !== "saving") return null;
  const p = ingest.progress;
  const fraction = p && p.bytesTotal ? p.bytesDone / p.bytesTotal : 0;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuenow={Math.round(fraction * 100)}
      aria-valuemin={0}
      aria-valuemax={100}
      data-testid="progress"
    >
      <div className="progress-text">
        {ingest.status === "saving"
          ? "Saving to the library…"
          : p
            ? `Reading ${p.filesDone}/${p.filesTotal} files · ${mib(p.bytesDone)}/${mib(p.bytesTotal)} MiB · ${p.records.toLocaleString()} records${p.currentPath ? ` · ${p.currentPath}` : ""}`
            : `Reading ${ingest.label}…`}
      </div>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${Math.max(2, fraction * 100)}%` }} />
      </div>
      {ingest.status === "running" && <button onClick={cancelImport}>Cancel</button>}
    </div>
  );
}
