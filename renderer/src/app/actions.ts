import type { IngestProgress } from "../../../shared/ingest/pipeline";
import type { FileReport } from "../../../shared/model/types";
import * as datasets from "../db/datasets";
import { notReadReport, type NotRead } from "../../../shared/ingest/report";
import { CancelledError, withNotRead, type IngestHandle, type IngestListeners } from "../host/host";
import { host } from "../host";
import type { PickedFile } from "../ingest/dropWalk";
import { fitView, type View } from "../view/timeScale";
import { loadAnnotations } from "./annotations";
import { allLanes, scopeCurrent, setCurrentLanes, setCurrentViews } from "./current";
import { previewMemMax, previewView } from "../db/preview";
import type { DatasetRow } from "../db/db";
import { defaultScope, type RunScope } from "../view/runs";
import { finalizeModel } from "../../../shared/model/dataset";
import type { LaneLod } from "../../../shared/model/lod";
import { runsExtent } from "../../../shared/model/runs";
import type { DatasetNote, LaneData } from "../../../shared/model/types";
import { coalesce, type Coalesced } from "./coalesce";
import { markFullyLoaded } from "./perf";
import { holdUnload } from "./unloadGuard";
import { db } from "./database";
import { useApp } from "./store";

let running: IngestHandle | null = null;

/**
 * How often the progress bar changes: each change is a layout and paint of the page, and at
 * the driver's pace (20 a second, with a width transition) they took a core from the import.
 */
const PROGRESS_MS = 250;

function listeners(progress: Coalesced<IngestProgress>): IngestListeners {
  const { setIngest } = useApp.getState();
  return {
    onProgress: (p: IngestProgress) => progress.push(p),
    onFile: (report: FileReport) => setIngest({ reports: [...useApp.getState().ingest.reports, report] }),
  };
}

export async function refreshLibrary(): Promise<void> {
  useApp.getState().setDatasets(await datasets.listDatasets(db));
}

/** How often the picture of an import under way is redrawn from the lanes that arrived. */
const PICTURE_MS = 300;

/**
 * Runs one import to the end: parse, store (atomically), open. While it runs, the lanes read
 * so far are on screen (the user may zoom and scrub); nothing is in the library until it is
 * done, and a cancelled or failed import leaves the library, and the screen, as they were.
 */
async function runImport(
  label: string,
  fp: string | null,
  start: (l: IngestListeners) => IngestHandle,
): Promise<void> {
  const app = useApp.getState();
  if (running) running.cancel();
  if (fp) {
    const existing = await datasets.findByFingerprint(db, fp);
    if (existing) {
      app.setIngest({
        status: "done",
        label,
        progress: null,
        reports: existing.files,
        message: `Already in the library as “${existing.name}”: opened it instead of importing again.`,
      });
      await openDataset(existing.id);
      return;
    }
  }
  app.setIngest({ status: "running", label, progress: null, reports: [], message: null });
  const id = crypto.randomUUID();
  const before = app.current?.id ?? null;
  const seen = new Map<string, { lane: LaneData; lod: LaneLod | undefined }>();
  let shown = false;
  const progress = coalesce(PROGRESS_MS, (p: IngestProgress) => useApp.getState().setIngest({ progress: p }));
  // The first picture at once, then one per PICTURE_MS of all that arrived meanwhile.
  const picture = coalesce(
    PICTURE_MS,
    () => {
      if (running !== handle) return;
      shown = true;
      const all = [...seen.values()];
      showProvisional({
        id,
        name: label,
        lanes: all.map((x) => x.lane),
        lods: all.map((x) => x.lod),
        files: useApp.getState().ingest.reports,
        notes: [],
      });
    },
    0,
  );
  const handle = start({
    ...listeners(progress),
    onPicture(lanes, lods) {
      lanes.forEach((lane, i) => seen.set(lane.info.id, { lane, lod: lods[i] ?? undefined }));
      picture.push(null);
    },
  });
  running = handle;
  const releaseUnload = holdUnload();
  try {
    const outcome = await handle.result;
    if (running !== handle) return;
    performance.mark("rankscope:import-read");
    picture.cancel();
    // Every lane is read: show them all in full detail now, and save meanwhile. The save
    // (a second or more for a big run) changes nothing the user sees.
    showProvisional({
      id,
      name: label,
      lanes: outcome.lanes,
      lods: outcome.lods,
      files: outcome.files,
      notes: outcome.notes,
    });
    shown = true;
    markFullyLoaded();
    useApp.getState().setIngest({ status: "saving" });
    const saved = await datasets.saveDataset(db, outcome, label, fp ?? `demo-${Date.now()}`, id);
    performance.mark("rankscope:import-saved");
    // Let go of the raw lanes: of a big lane only what `saved` kept stays in memory.
    seen.clear();
    outcome.lanes = [];
    outcome.lods = undefined;
    await refreshLibrary();
    // The lanes are in memory already: show them without reading them back, in the view the
    // user may have chosen while they arrived.
    setCurrentLanes(saved.lanes, saved.lods, saved.row.originSec, {
      datasetId: saved.row.id,
      index: saved.paged,
    });
    if (useApp.getState().current?.id === id) rescope(saved.row);
    else showDataset(saved.row);
    await loadAnnotations(saved.row.id);
    const telemetry = outcome.files.filter((f) => f.format !== "unknown").length;
    useApp.getState().setIngest({
      status: "done",
      reports: outcome.files,
      message: telemetry
        ? null
        : "No telemetry was found in what you dropped: see the list of files for why each one was skipped.",
    });
  } catch (e) {
    picture.cancel();
    if (shown && useApp.getState().current?.id === id) await restore(before);
    if (e instanceof CancelledError) {
      useApp.getState().setIngest({ status: "cancelled", message: "Import cancelled: nothing was saved." });
    } else {
      useApp.getState().setIngest({ status: "error", message: (e as Error).message });
    }
  } finally {
    picture.cancel();
    progress.cancel();
    releaseUnload();
    if (running === handle) running = null;
  }
}

/** Back to what was open before an import that did not finish (or to nothing). */
async function restore(previous: string | null): Promise<void> {
  if (previous) return openDataset(previous);
  setCurrentLanes([]);
  useApp.getState().setCurrent(null);
}

function nameFor(files: PickedFile[]): string {
  const tops = [...new Set(files.map((f) => f.path.split("/")[0]))];
  if (tops.length === 1) return tops[0];
  return `${tops.slice(0, 2).join(", ")}${tops.length > 2 ? ` +${tops.length - 2}` : ""}`;
}

/** Nothing readable was found: say so, with a report for each thing that was not read. */
function nothingToImport(notRead: readonly NotRead[], message: string): void {
  useApp
    .getState()
    .setIngest({ status: "error", progress: null, reports: notRead.map(notReadReport), message });
}

export function importFiles(files: PickedFile[], notRead: readonly NotRead[] = []): Promise<void> {
  if (!files.length) {
    nothingToImport(notRead, "Nothing to import: the drop held no files Rankscope could read.");
    return Promise.resolve();
  }
  const fp = datasets.fingerprint(
    files.map((f) => ({ path: f.path, size: f.file.size, lastModified: f.file.lastModified })),
  );
  return runImport(nameFor(files), fp, (l) => withNotRead(notRead, l, (w) => host.ingestFiles(files, w)));
}

export function importPaths(paths: string[]): Promise<void> {
  if (!host.ingestPaths) return Promise.resolve();
  const name = paths.map((p) => p.split(/[\\/]/).filter(Boolean).pop() ?? p).join(", ");
  return runImport(name, null, (l) => host.ingestPaths!(paths, l));
}

/** Files the web-mode launcher was started with (`rankscope <path>`), if any. */
export async function importServedFiles(): Promise<boolean> {
  if (!host.servedFiles || !host.ingestRemote) return false;
  let served: Awaited<ReturnType<NonNullable<typeof host.servedFiles>>>;
  try {
    served = await host.servedFiles();
  } catch {
    return false;
  }
  const { files, notRead } = served;
  if (!files.length) {
    if (!notRead.length) return false;
    nothingToImport(
      notRead,
      "Nothing to import: Rankscope could read none of the files it was started with.",
    );
    return true;
  }
  const tops = [...new Set(files.map((f) => f.path.split("/")[0]))];
  await runImport(tops.join(", "), datasets.fingerprint(files), (l) =>
    withNotRead(notRead, l, (w) => host.ingestRemote!(files, w)),
  );
  return true;
}

export function importDemo(): Promise<void> {
  return runImport("Demo: skulk-hang", "demo:skulk-hang:v1", (l) => host.ingestDemo(l));
}

export function cancelImport(): void {
  running?.cancel();
}

/**
 * Opens a stored dataset: first the lanes' previews (coarse levels, read in one small
 * query) so the whole run is on screen at once, then every block for full detail.
 */
export async function openDataset(id: string): Promise<void> {
  performance.mark("rankscope:open");
  const head = await datasets.loadDatasetHead(db, id);
  if (!head) return;
  const app = useApp.getState();
  const switching = app.current?.id !== id;
  if (head.lanes.every((l) => l.preview)) {
    const axisOriginSec = head.row.originSec;
    const views = head.lanes.map((l) =>
      previewView(l.info, l.preview!, {
        originSec: l.originSec ?? axisOriginSec,
        end: l.end ?? 0,
        axisOriginSec,
      }),
    );
    setCurrentViews(views, Math.max(0, ...views.map(previewMemMax)));
    if (switching) showDataset(head.row);
    else rescope(head.row);
    performance.mark("rankscope:preview");
  }
  const loaded = await datasets.loadDataset(db, id);
  if (!loaded) return;
  performance.mark("rankscope:loaded");
  setCurrentLanes(loaded.lanes, loaded.lods, loaded.row.originSec, {
    datasetId: loaded.row.id,
    index: loaded.paged,
  });
  if (switching && !head.lanes.every((l) => l.preview)) showDataset(loaded.row);
  else rescope(loaded.row);
  markFullyLoaded();
  await loadAnnotations(loaded.row.id);
}

/** A dataset shown before it is in the library: an import under way, or a live session. */
export interface Provisional {
  id: string;
  name: string;
  lanes: LaneData[];
  lods?: (LaneLod | undefined)[];
  files: FileReport[];
  notes: DatasetNote[];
}

/**
 * Shows lanes that are not stored yet, and shows them again as they grow: the first call
 * fits the view, later ones keep the user's scope and view (they may zoom and scrub while
 * the data arrives). Nothing is written to the library here.
 */
export function showProvisional(p: Provisional): void {
  const model = finalizeModel({ lanes: p.lanes, files: p.files, notes: p.notes });
  const lodOf = new Map(p.lanes.map((l, i) => [l, p.lods?.[i]]));
  const row: DatasetRow = {
    id: p.id,
    name: p.name,
    createdAt: Date.now(),
    fingerprint: "",
    originSec: model.originSec,
    ...runsExtent(model.runs, model.originSec),
    runs: model.runs,
    files: model.files,
    notes: model.notes,
    laneCount: model.lanes.length,
    spanCount: 0,
    markerCount: 0,
    sampleCount: 0,
  };
  setCurrentLanes(
    model.lanes,
    model.lanes.map((l) => lodOf.get(l)),
    row.originSec,
  );
  if (useApp.getState().current?.id === p.id) rescope(row);
  else showDataset(row);
}

/** Opens a dataset on all its runs, fitted. */
function showDataset(row: DatasetRow): void {
  const app = useApp.getState();
  app.setCurrent(row);
  app.selectLane(null);
  app.setCursor(null);
  const scope = defaultScope(row.runs ?? [], row.originSec, allLanes());
  const { bounds } = scopeCurrent(row.runs ?? [], row.originSec, scope);
  app.setScopeState(scope, bounds);
  app.setView(fitView(bounds));
  if (scope.kind === "run") app.setSidebar("runs");
}

/**
 * The same dataset with new lane data (previews, then full detail; an import's pictures as
 * they grow): same scope, and the same view if the user moved it. A view still fitted to what
 * was shown fits what is shown now, so an import does not end on the stretch its first
 * seconds had read.
 */
export function rescope(row: DatasetRow): void {
  const app = useApp.getState();
  const fitted = sameView(app.view, fitView(app.bounds));
  app.setCurrent(row);
  const { bounds } = scopeCurrent(row.runs ?? [], row.originSec, app.scope);
  app.setScopeState(app.scope, bounds);
  if (fitted) app.setView(fitView(bounds));
}

function sameView(a: View, b: View): boolean {
  const tolerance = (b.end - b.start) * 1e-9;
  return Math.abs(a.start - b.start) <= tolerance && Math.abs(a.end - b.end) <= tolerance;
}

/**
 * Shows every run, one run (fitted to it), or two runs compared on a time-since-start axis.
 * Findings, Clocks and the readout follow what is shown.
 */
export function showScope(scope: RunScope): void {
  const app = useApp.getState();
  const row = app.current;
  if (!row) return;
  const { bounds } = scopeCurrent(row.runs ?? [], row.originSec, scope);
  app.setScopeState(scope, bounds);
  app.setView(fitView(bounds));
  app.pin(null);
  app.select(null);
  if (scope.kind === "compare") app.setInspector("compare");
}

export async function deleteDataset(id: string): Promise<void> {
  await datasets.deleteDataset(db, id);
  if (useApp.getState().current?.id === id) {
    setCurrentLanes([]);
    useApp.getState().setCurrent(null);
    useApp.getState().setAnnotations([]);
  }
  await refreshLibrary();
}

export async function renameDataset(id: string, name: string): Promise<void> {
  await datasets.renameDataset(db, id, name);
  const cur = useApp.getState().current;
  if (cur?.id === id) useApp.getState().setCurrent({ ...cur, name });
  await refreshLibrary();
}
