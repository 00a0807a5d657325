import type { IngestProgress } from "../../../shared/ingest/pipeline";
import { notReadReport, type NotRead } from "../../../shared/ingest/report";
import type { LaneLod } from "../../../shared/model/lod";
import type { FileReport, LaneData } from "../../../shared/model/types";
import type { PickedFile } from "../ingest/dropWalk";
import type { IngestOutcome, RemoteFile } from "../ingest/protocol";
import type {
  EventChannel,
  EventMap,
  LiveEndpoint,
  LiveFetchResult,
  LiveLaunch,
  LiveTargetResult,
} from "../../../shared/ipc/contract";
import type { TransportSpec } from "../live/protocol";

export interface IngestListeners {
  onProgress(p: IngestProgress): void;
  onFile(report: FileReport): void;
  /** While the import runs: lanes read so far that are new or changed (by lane id). */
  onPicture?(lanes: LaneData[], lods: (LaneLod | null)[]): void;
}

export interface IngestHandle {
  result: Promise<IngestOutcome>;
  cancel(): void;
}

export class CancelledError extends Error {
  constructor() {
    super("import cancelled");
  }
}

/**
 * What the app needs from where it runs. Web mode: a Web Worker parses dropped Files and
 * pictures download. Electron: main walks the paths the user gave and parses in worker
 * threads; pictures go through the native Save dialog.
 */
export interface Host {
  kind: "web" | "electron";
  ingestFiles(files: PickedFile[], listeners: IngestListeners): IngestHandle;
  ingestDemo(listeners: IngestListeners): IngestHandle;
  /** Web mode: what the launcher serves (`rankscope <path>` without Electron), if anything. */
  servedFiles?(): Promise<{ files: RemoteFile[]; notRead: NotRead[] }>;
  ingestRemote?(files: RemoteFile[], listeners: IngestListeners): IngestHandle;
  /** Paths from the command line (Electron) or none. */
  launchPaths(): Promise<string[]>;
  ingestPaths?(paths: string[], listeners: IngestListeners): IngestHandle;
  openFolderDialog?(): Promise<string[] | null>;
  savePng(data: Uint8Array, name: string): Promise<string | null>;
  saveJson(text: string, name: string): Promise<string | null>;
  copyPng(data: Uint8Array): Promise<void>;
  /** A desktop menu command; web mode has no menu, so nothing ever arrives there. */
  onMenu<E extends MenuEvent>(event: E, run: (payload: EventMap[`menu:${E}`]) => void): () => void;
  live: LiveHost;
}

/** The menu commands of the contract, without their "menu:" prefix ("open-folder", "find", …). */
export type MenuEvent = EventChannel extends infer C ? (C extends `menu:${infer N}` ? N : never) : never;

/** Live attach (renderer/src/live): which cluster, and how the live worker reaches it. */
export interface LiveHost {
  /** Electron: any URL the user types. Web mode: only the one the launcher was started with. */
  anyUrl: boolean;
  /** The cluster this launch was started with (`--attach URL`), or null. */
  launchTarget(): Promise<LiveLaunch | null>;
  /** Makes `url` the cluster to poll, or says why it cannot be. */
  setTarget(url: string): Promise<LiveTargetResult>;
  transport(): TransportSpec;
  /** Electron: one GET of the target, done by main (TransportSpec "relay"). */
  relay?(endpoint: LiveEndpoint): Promise<LiveFetchResult>;
}

/**
 * Starts an ingest whose walk left some things unread (a dropped folder that could not be
 * listed, files the web-mode server skipped): they become file reports, shown at once and
 * kept with the dataset like every other file's, as the CLI and Electron report them.
 */
export function withNotRead(
  notRead: readonly NotRead[],
  listeners: IngestListeners,
  start: (listeners: IngestListeners) => IngestHandle,
): IngestHandle {
  const reports = notRead.map(notReadReport);
  reports.forEach((r) => listeners.onFile(r));
  const handle = start(listeners);
  if (!reports.length) return handle;
  return {
    result: handle.result.then((o) => ({ ...o, files: [...reports, ...o.files] })),
    cancel: () => handle.cancel(),
  };
}
