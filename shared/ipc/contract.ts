/**
 * The one IPC contract between Electron's main process and the renderer. Main registers a
 * handler per invoke channel, the preload exposes one named function per channel, and the
 * renderer's `window.rankscope` type is derived here: nothing else names a channel.
 */
import type { IngestProgress } from "../ingest/pipeline";
import type { LaneLod } from "../model/lod";
import type { DatasetNote, FileReport, LaneData } from "../model/types";

export interface InvokeMap {
  /** Paths given on the command line (`rankscope <path>`), once, at start. */
  "app:launch-paths": { args: []; result: string[] };
  /** Whether main should open the demo dataset (no paths were given). */
  "app:wants-demo": { args: []; result: boolean };
  /** File → Open Folder; the chosen paths become allowed for ingest. */
  "dialog:open-folder": { args: []; result: string[] | null };
  /** Starts ingesting paths the user gave (drop, dialog, command line); events follow. */
  "ingest:start": { args: [paths: string[]]; result: { jobId: string } };
  "ingest:cancel": { args: [jobId: string]; result: void };
  /** Save As for an exported picture; returns the path written, or null when cancelled. */
  "file:save-png": { args: [data: Uint8Array, suggestedName: string]; result: string | null };
  /** Save As for a JSON sidecar (annotations); returns the path, or null. */
  "file:save-json": { args: [text: string, suggestedName: string]; result: string | null };
  /** Puts a PNG on the system clipboard. */
  "clipboard:write-png": { args: [data: Uint8Array]; result: void };
  /** The cluster given on the command line (`rankscope --attach URL`), or null. */
  "live:launch-target": { args: []; result: LiveLaunch | null };
  /** File → Attach to cluster: the URL typed in the dialog becomes main's one live target. */
  "live:set-target": { args: [url: string]; result: LiveTargetResult };
  /** One GET of the live target's timeline or diagnostics bundle, by main (the page's CSP is 'self'). */
  "live:fetch": { args: [endpoint: LiveEndpoint]; result: LiveFetchResult };
}

export type LiveEndpoint = "timeline" | "cluster";

export interface LiveLaunch {
  label: string;
  /** `--interval S`, or null for the default. */
  intervalSec: number | null;
}

export type LiveTargetResult = { ok: true; label: string } | { ok: false; error: string };

/** The body as received, or why there is none ("timed out after 8 s", "HTTP 503 …"). */
export type LiveFetchResult = { ok: true; text: string } | { ok: false; error: string };

export interface IngestStarted {
  jobId: string;
}

export interface EventMap {
  "ingest:progress": IngestProgress & { jobId: string };
  "ingest:file": { jobId: string; report: FileReport };
  /** While an import runs: the lanes read so far that changed since the last picture. */
  "ingest:picture": { jobId: string; lanes: LaneData[]; lods: (LaneLod | null)[] };
  /** Every lane at the end, in batches, with its levels of detail; typed arrays travel as structured clones. */
  "ingest:lanes": { jobId: string; originSec: number; lanes: LaneData[]; lods: (LaneLod | null)[] };
  "ingest:done": { jobId: string; originSec: number; files: FileReport[]; notes: DatasetNote[] };
  "ingest:error": { jobId: string; message: string; cancelled: boolean };
  /** Menu commands the renderer carries out. */
  "menu:open-folder": Record<string, never>;
  "menu:export-png": Record<string, never>;
  "menu:attach": Record<string, never>;
  /** Edit → Find Lane (Ctrl/Cmd+F): focus the lane filter. */
  "menu:find": Record<string, never>;
  /** Help → Keyboard Shortcuts: show the shortcuts overlay. */
  "menu:shortcuts": Record<string, never>;
  /** File → Open Recent: import these paths (main has allowed them already). */
  "menu:open-paths": { paths: string[] };
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;

/** Every invoke channel with the name of the preload function that calls it. */
export const INVOKE_FUNCTIONS = {
  launchPaths: "app:launch-paths",
  wantsDemo: "app:wants-demo",
  openFolderDialog: "dialog:open-folder",
  startIngest: "ingest:start",
  cancelIngest: "ingest:cancel",
  savePng: "file:save-png",
  saveJson: "file:save-json",
  copyPng: "clipboard:write-png",
  liveLaunchTarget: "live:launch-target",
  setLiveTarget: "live:set-target",
  liveFetch: "live:fetch",
} as const satisfies Record<string, InvokeChannel>;

export const EVENT_CHANNELS: EventChannel[] = [
  "ingest:progress",
  "ingest:file",
  "ingest:picture",
  "ingest:lanes",
  "ingest:done",
  "ingest:error",
  "menu:open-folder",
  "menu:export-png",
  "menu:attach",
  "menu:find",
  "menu:shortcuts",
  "menu:open-paths",
];

type Fns = typeof INVOKE_FUNCTIONS;

/** What the preload exposes as `window.rankscope`. */
export type RankscopeApi = {
  [F in keyof Fns]: (...args: InvokeMap[Fns[F]]["args"]) => Promise<InvokeMap[Fns[F]]["result"]>;
} & {
  /** Subscribes to a main→renderer event; returns the unsubscribe function. */
  on<E extends EventChannel>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** The filesystem path of a dropped File (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
  readonly platform: string;
};
