import { useRef } from "react";
import { ExportDialog } from "../export/ExportDialog";
import { importDemo, importFiles, importPaths } from "../app/actions";
import { useApp } from "../app/store";
import { useLive } from "../live/store";
import { host } from "../host";
import { filesFromList } from "../ingest/dropWalk";
import { formatInstant } from "../view/axis";
import { fitView } from "../view/timeScale";
import { Legend } from "./Legend";
import { ThemeToggle } from "./ThemeToggle";

export function Toolbar() {
  const folderInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const current = useApp((s) => s.current);
  const clock = useApp((s) => s.clock);
  const comparing = useApp((s) => s.scope.kind === "compare");
  const exporting = useApp((s) => s.overlay === "export");
  const setExporting = (on: boolean) => useApp.getState().setOverlay(on ? "export" : null);
  const openFolder = async () => {
    if (host.openFolderDialog) {
      const paths = await host.openFolderDialog();
      if (paths?.length) await importPaths(paths);
    } else folderInput.current?.click();
  };
  return (
    <header className="toolbar">
      <span className="brand">Rankscope</span>
      <button
        onClick={() => void openFolder()}
        title="Open a folder of logs (Ctrl+O)"
        data-testid="open-folder"
      >
        Open folder…
      </button>
      <button onClick={() => fileInput.current?.click()}>Open files…</button>
      <button
        onClick={() => useLive.getState().set({ dialogOpen: true })}
        title="Poll a running Skulk cluster and keep its history (File → Attach to Cluster…)"
        data-testid="attach"
      >
        Attach…
      </button>
      <button onClick={() => void importDemo()}>Demo</button>
      <button
        onClick={() => useApp.getState().setView(fitView(useApp.getState().bounds))}
        title="Fit the whole run (F)"
      >
        Fit
      </button>
      <button
        disabled={!current || comparing}
        onClick={() => useApp.getState().setClock(clock === "wall" ? "since" : "wall")}
        title="Label the axis with wall-clock time or with the time since the run started (T)"
        data-testid="clock-mode"
        aria-pressed={clock === "since"}
      >
        {comparing || clock === "since" ? "Since start" : "Wall clock"}
      </button>
      <button
        disabled={!current}
        onClick={() => setExporting(true)}
        title="Export an annotated picture (Ctrl+E)"
        data-testid="export-png"
      >
        Export PNG…
      </button>
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
      <input
        className="filter"
        type="search"
        placeholder="Filter lanes: node, r3, phase, task id… (/)"
        aria-label="Filter lanes"
        data-testid="filter"
        onChange={(e) => useApp.getState().setFilter(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.currentTarget.value = "";
            useApp.getState().setFilter("");
            e.currentTarget.blur();
          }
        }}
      />
      <input
        ref={folderInput}
        type="file"
        hidden
        multiple
        data-testid="folder-input"
        {...({ webkitdirectory: "" } as Record<string, string>)}
        onChange={(e) => {
          if (e.currentTarget.files) void importFiles(filesFromList(e.currentTarget.files));
          e.currentTarget.value = "";
        }}
      />
      <input
        ref={fileInput}
        type="file"
        hidden
        multiple
        data-testid="file-input"
        onChange={(e) => {
          if (e.currentTarget.files) void importFiles(filesFromList(e.currentTarget.files));
          e.currentTarget.value = "";
        }}
      />
      {current && (
        <span className="dataset-title" data-testid="dataset-title">
          {current.name} <span className="dim">· from {formatInstant(current.originSec, current.start)}</span>
        </span>
      )}
      <Legend />
      <span
        className="mode-badge"
        title={
          host.kind === "web"
            ? "Running in a browser: files are read in a Web Worker and kept in this browser's storage."
            : "Desktop app"
        }
      >
        {host.kind === "web" ? "web mode" : "desktop"}
      </span>
      <ThemeToggle />
    </header>
  );
}
