/**
 * The page's side of a live attach: starts the worker with the host's transport, relays
 * Electron's GETs to main, shows each poll's lanes (showProvisional) while the view follows
 * the live edge, and saves: the stitched history as a file (Save snapshot) or the lanes in
 * the library (Save to library, and Stop).
 */
import { earliestOrigin } from "../../../shared/ingest/pipeline";
import type { LaneLod } from "../../../shared/model/lod";
import type { DatasetNote, FileReport, LaneData } from "../../../shared/model/types";
import { refreshLibrary, rescope, showProvisional } from "../app/actions";
import { loadAnnotations } from "../app/annotations";
import { setCurrentLanes } from "../app/current";
import { db } from "../app/database";
import { useApp } from "../app/store";
import * as datasets from "../db/datasets";
import { host } from "../host";
import { liveEdgeView, stillFollowing } from "../view/liveEdge";
import type { View } from "../view/timeScale";
import type { FromLiveWorker, ToLiveWorker } from "./protocol";
import { LIVE_DEFAULTS, useLive } from "./store";

interface Latest {
  lanes: LaneData[];
  lods: LaneLod[];
  files: FileReport[];
  notes: DatasetNote[];
}

let worker: Worker | null = null;
let latest: Latest | null = null;
/** The view this module last set: any other one means the user moved it. */
let lastSet: View | null = null;
let applying = false;
let onStopped: (() => void) | null = null;
let onSnapshot: ((text: string) => void) | null = null;
const MAX_LINES = 500;

const send = (msg: ToLiveWorker) => worker?.postMessage(msg);

// A pan, a zoom or a jump the session did not make stops the view following the live edge.
useApp.subscribe((s, prev) => {
  if (applying || s.view === prev.view) return;
  const live = useLive.getState();
  if (
    live.following &&
    live.datasetId &&
    s.current?.id === live.datasetId &&
    !stillFollowing(s.view, lastSet)
  )
    useLive.getState().set({ following: false });
});

function follow(prevBounds: View | null): void {
  const s = useApp.getState();
  lastSet = liveEdgeView(s.view, s.bounds, prevBounds);
  s.setView(lastSet);
}

/** Shows the latest lanes when the live dataset is what the user looks at (or nothing is). */
function show(force = false): void {
  const live = useLive.getState();
  if (!latest || !live.datasetId) return;
  const current = useApp.getState().current;
  if (!force && current && current.id !== live.datasetId) return;
  applying = true;
  try {
    const shown = current?.id === live.datasetId;
    const prevBounds = shown ? useApp.getState().bounds : null;
    showProvisional({ id: live.datasetId, name: `Live: ${live.label}`, ...latest });
    // A first showing is fitted: following starts from there.
    if (live.following) follow(shown ? prevBounds : useApp.getState().bounds);
  } finally {
    applying = false;
  }
}

function onMessage(msg: FromLiveWorker): void {
  const live = useLive.getState();
  if (msg.type === "state") live.set({ state: msg.state });
  else if (msg.type === "event")
    live.set({
      events: [
        ...live.events.slice(-(MAX_LINES - 1)),
        { at: msg.event.at, kind: msg.event.kind, line: msg.line },
      ],
    });
  else if (msg.type === "fetch") {
    const relay = host.live.relay;
    (relay
      ? relay(msg.endpoint)
      : Promise.resolve({ ok: false as const, error: "this host cannot relay" })
    ).then(
      (result) => send({ type: "fetched", id: msg.id, result }),
      (e: Error) => send({ type: "fetched", id: msg.id, result: { ok: false, error: e.message } }),
    );
  } else if (msg.type === "lanes") {
    latest = { lanes: msg.lanes, lods: msg.lods, files: msg.files, notes: msg.notes };
    live.set({ stats: msg.stats });
    show();
    const done = onStopped;
    onStopped = null;
    done?.();
  } else if (msg.type === "snapshot") {
    const done = onSnapshot;
    onSnapshot = null;
    done?.(msg.text);
  } else live.set({ message: msg.message });
}

export interface AttachOptions {
  intervalMs?: number;
  hangThresholdMs?: number;
}

/** Attaches to `url`; resolves with why not, or null once polling has started. */
export async function attachLive(url: string, opts: AttachOptions = {}): Promise<string | null> {
  const target = await host.live.setTarget(url);
  if (!target.ok) return target.error;
  if (worker) await stopLive();
  closeLive();
  const intervalMs = opts.intervalMs ?? LIVE_DEFAULTS.intervalMs;
  const startedAt = Date.now();
  useLive.getState().set({
    active: true,
    label: target.label,
    datasetId: `live:${target.label}:${startedAt}`,
    startedAt,
    intervalMs,
    hangThresholdMs: opts.hangThresholdMs ?? LIVE_DEFAULTS.hangThresholdMs,
    following: true,
    dialogOpen: false,
  });
  worker = new Worker(new URL("./live.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (ev: MessageEvent<FromLiveWorker>) => onMessage(ev.data);
  worker.onerror = (e) => useLive.getState().set({ message: e.message || "the live worker failed" });
  send({
    type: "start",
    transport: host.live.transport(),
    options: { label: target.label, intervalMs },
  });
  return null;
}

export const pauseLive = () => send({ type: "pause" });
export const resumeLive = () => send({ type: "resume" });

/** Back to the newest data: shows the live dataset again if another was opened, and follows. */
export function backToLive(): void {
  useLive.getState().set({ following: true });
  const current = useApp.getState().current;
  if (current?.id !== useLive.getState().datasetId) return show(true);
  applying = true;
  try {
    follow(null);
  } finally {
    applying = false;
  }
}

/** The stitched history as Skulk's cluster timeline, through the host's Save (a download in web mode). */
export async function saveSnapshot(): Promise<string | null> {
  if (!worker) return null;
  const text = await new Promise<string>((resolve) => {
    onSnapshot = resolve;
    send({ type: "snapshot" });
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return host.saveJson(text, `skulk-cluster-timeline-${stamp}.json`);
}

/** Stores what is shown now as a dataset of the library; keeps polling. */
export async function saveToLibrary(): Promise<datasets.LoadedDataset | null> {
  const live = useLive.getState();
  if (!latest || !latest.lanes.length) {
    live.set({ message: "Nothing to save yet: no poll has brought any entries." });
    return null;
  }
  const entries = live.stats?.entries ?? 0;
  const when = new Date(live.startedAt ?? Date.now()).toISOString().slice(0, 16).replace("T", " ");
  const name = `Live ${live.label} · ${when} UTC`;
  try {
    const saved = await datasets.saveDataset(
      db,
      { originSec: earliestOrigin(latest.lanes), ...latest },
      name,
      `live:${live.label}:${live.startedAt}:${entries}`,
    );
    await refreshLibrary();
    useLive.getState().set({ saved: { id: saved.row.id, name, entries }, message: null });
    return saved;
  } catch (e) {
    useLive.getState().set({ message: `Not saved: ${(e as Error).message}` });
    return null;
  }
}

/**
 * Stop: polling ends for good and the history goes into the library, which then is what
 * the window shows (same view), to annotate, export and reopen like any import.
 */
export async function stopLive(): Promise<void> {
  if (!worker || useLive.getState().ended) return;
  const final = new Promise<void>((resolve) => (onStopped = resolve));
  send({ type: "stop" });
  await final;
  useLive.getState().set({ ended: true, following: false });
  const wasShown = useApp.getState().current?.id === useLive.getState().datasetId;
  const saved = await saveToLibrary();
  if (!saved || !wasShown) return;
  setCurrentLanes(saved.lanes, saved.lods, saved.row.originSec, {
    datasetId: saved.row.id,
    index: saved.paged,
  });
  rescope(saved.row);
  await loadAnnotations(saved.row.id);
}

/** Ends the session's UI (after Stop, or to attach elsewhere); the data stays where it was saved. */
export function closeLive(): void {
  worker?.terminate();
  worker = null;
  latest = null;
  lastSet = null;
  onStopped = onSnapshot = null;
  useLive.getState().reset();
}

/** `?live` in the page's URL: attach to the launcher's cluster at once (`rankscope --attach URL`). */
export async function attachFromLaunch(): Promise<boolean> {
  const launch = await host.live.launchTarget().catch(() => null);
  if (!launch) {
    useLive.getState().set({ dialogOpen: true });
    return false;
  }
  const error = await attachLive(launch.label, {
    intervalMs: launch.intervalSec ? launch.intervalSec * 1000 : undefined,
  });
  if (error) useLive.getState().set({ dialogOpen: true, message: error });
  return !error;
}
