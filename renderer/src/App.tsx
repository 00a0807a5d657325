import { useEffect } from "react";
import { useShallow } from "zustand/react/shallow";
import { importDemo, importPaths, importServedFiles, openDataset, refreshLibrary } from "./app/actions";
import { useApp } from "./app/store";
import { DropTarget } from "./components/DropTarget";
import { FilesPanel } from "./components/FilesPanel";
import { LibraryPanel } from "./components/LibraryPanel";
import { PaneResizer } from "./components/PaneResizer";
import { ProgressBar } from "./components/ProgressBar";
import { RunsPanel } from "./components/RunsPanel";
import { Toolbar } from "./components/Toolbar";
import { host } from "./host";
import { Inspector } from "./inspector/Inspector";
import { useKeymap } from "./app/keymap";
import { HelpOverlay } from "./components/HelpOverlay";
import { Timeline } from "./timeline/Timeline";
import { AttachDialog } from "./live/AttachDialog";
import { attachFromLaunch } from "./live/controller";
import { LiveStrip } from "./live/LiveStrip";

/** Opens what the launcher asked for: command-line paths, the demo, or the last dataset. */
async function startup(): Promise<void> {
  await refreshLibrary();
  const params = new URLSearchParams(location.search);
  const paths = await host.launchPaths();
  // `rankscope --attach URL`: live first; paths given beside it are imported too.
  if (params.has("live")) await attachFromLaunch();
  if (paths.length) return importPaths(paths);
  if (params.has("live")) return;
  if (await importServedFiles()) return;
  if (params.has("demo")) return importDemo();
  const latest = useApp.getState().datasets[0];
  if (latest) await openDataset(latest.id);
}

export function App() {
  const { current, sidebar, message, status } = useApp(
    useShallow((s) => ({
      current: s.current,
      sidebar: s.sidebar,
      message: s.ingest.message,
      status: s.ingest.status,
    })),
  );
  const runCount = current?.runs?.length ?? 0;
  useKeymap();
  useEffect(() => {
    void startup();
    return host.onMenu("open-paths", ({ paths }) => {
      if (Array.isArray(paths) && paths.length) void importPaths(paths);
    });
  }, []);
  return (
    <div className="app">
      <Toolbar />
      <LiveStrip />
      <AttachDialog />
      <HelpOverlay />
      <ProgressBar />
      {message && (
        <div
          className={`banner ${status === "error" ? "banner-error" : ""}`}
          role="status"
          data-testid="banner"
        >
          {message}
          <button className="link" onClick={() => useApp.getState().setIngest({ message: null })}>
            dismiss
          </button>
        </div>
      )}
      <div className="main">
        <aside className="sidebar">
          <div className="tabs">
            <button
              className={sidebar === "runs" ? "active" : ""}
              onClick={() => useApp.getState().setSidebar("runs")}
              data-testid="tab-runs"
            >
              Runs{runCount ? ` (${runCount})` : ""}
            </button>
            <button
              className={sidebar === "files" ? "active" : ""}
              onClick={() => useApp.getState().setSidebar("files")}
            >
              Files
            </button>
            <button
              className={sidebar === "library" ? "active" : ""}
              onClick={() => useApp.getState().setSidebar("library")}
            >
              Library
            </button>
          </div>
          {sidebar === "runs" ? <RunsPanel /> : sidebar === "files" ? <FilesPanel /> : <LibraryPanel />}
        </aside>
        <PaneResizer
          cssVar="--sidebar-width"
          edge="right"
          min={200}
          max={640}
          label="Resize the side panel"
        />
        <section className="content">
          {current ? (
            <div className="content-row">
              <Timeline />
              <PaneResizer
                cssVar="--inspector-width"
                edge="left"
                min={260}
                max={800}
                label="Resize the inspector"
              />
              <Inspector />
            </div>
          ) : (
            <div className="welcome">
              <h1>Drop a folder of logs</h1>
              <p>
                Skulk diagnostics, cluster timelines and flight recorders, stormlog telemetry, OmniRT reports
                and traces, RUNE job stores, Chrome traces: Rankscope finds every telemetry file in the folder
                and draws one swimlane per rank.
              </p>
              <p>
                <button onClick={() => void importDemo()}>Open the demo dataset</button>
              </p>
              <p className="dim">
                Wheel: zoom · drag: pan · W/S zoom · A/D pan · F fit · Esc cancels an import
              </p>
            </div>
          )}
        </section>
      </div>
      <DropTarget />
    </div>
  );
}
