/*
 * The preload: the only bridge between the page and main. It runs sandboxed in an isolated
 * world and is bundled (esbuild, CJS) because a sandboxed preload cannot require local files.
 * The page gets named functions only, never ipcRenderer itself, so it can reach exactly the
 * channels of the contract.
 */
import { contextBridge, ipcRenderer, webUtils } from "electron";
import {
  EVENT_CHANNELS,
  INVOKE_FUNCTIONS,
  type EventChannel,
  type EventMap,
  type InvokeMap,
  type RankscopeApi,
} from "../shared/ipc/contract";
import { INTERNAL } from "./internal";

type Fns = typeof INVOKE_FUNCTIONS;
type Invokers = {
  [F in keyof Fns]: (...args: InvokeMap[Fns[F]]["args"]) => Promise<InvokeMap[Fns[F]]["result"]>;
};

function invokers(): Invokers {
  const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, channel] of Object.entries(INVOKE_FUNCTIONS)) {
    out[name] = (...args) => ipcRenderer.invoke(channel, ...args);
  }
  return out as Invokers;
}

type FileLike = Parameters<typeof webUtils.getPathForFile>[0];

/** The DOM as far as the preload uses it (this file is type-checked without DOM types). */
interface PageEvent {
  isTrusted: boolean;
  target: unknown;
  dataTransfer?: { files?: ArrayLike<FileLike> } | null;
}
interface Page {
  addEventListener(type: string, fn: (e: PageEvent) => void, capture: boolean): void;
}

/**
 * Tells main the paths of files the user dropped or picked, so it may read them. Only
 * trusted events count: page script can dispatch a fake drop but not a trusted one. The
 * capture-phase listener on window runs before any page handler of the same drop, so the
 * grant reaches main before the page's ingest:start does. See electron/paths.ts.
 */
function reportUserFiles(files: ArrayLike<FileLike> | null | undefined): void {
  const paths: string[] = [];
  for (const file of Array.from(files ?? [])) {
    const p = webUtils.getPathForFile(file);
    if (p) paths.push(p);
  }
  if (paths.length) ipcRenderer.send(INTERNAL.registerDropped, paths);
}

export function watchUserFiles(page: Page): void {
  page.addEventListener("drop", (e) => e.isTrusted && reportUserFiles(e.dataTransfer?.files), true);
  page.addEventListener(
    "change",
    (e) => {
      const input = e.target as { type?: unknown; files?: ArrayLike<FileLike> | null } | null;
      if (e.isTrusted && input?.type === "file") reportUserFiles(input.files);
    },
    true,
  );
}

export const api = {
  ...invokers(),
  on<E extends EventChannel>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    if (!EVENT_CHANNELS.includes(event)) throw new Error(`rankscope.on: unknown event ${String(event)}`);
    // The page gets the payload only: the IPC event object would hand it ipcRenderer.
    const forward = (_e: unknown, payload: EventMap[E]) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => void ipcRenderer.removeListener(event, forward);
  },
  pathForFile: (file: FileLike) => webUtils.getPathForFile(file),
  platform: process.platform,
} satisfies RankscopeApi;

contextBridge.exposeInMainWorld("rankscope", api);
watchUserFiles(globalThis as unknown as Page);
