import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import {
  BrowserWindow,
  clipboard,
  ClipboardItem,
  dialog,
  nativeImage,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from "electron";
import { INVOKE_FUNCTIONS } from "../shared/ipc/contract";
import type { IngestJobs } from "./ingestJobs";
import { INTERNAL } from "./internal";
import { handle, onInternal } from "./ipc";
import { LiveTargets, registerLiveHandlers, type LiveDeps } from "./live";
import type { PathAllowlist } from "./paths";
import type { RecentStore } from "./recent";

export interface HandlerDeps {
  allowlist: PathAllowlist;
  /** Absolute paths from the command line. */
  launchPaths: readonly string[];
  jobs: IngestJobs;
  /** The live attach's one cluster (command line or dialog); none yet when absent. */
  live?: LiveDeps;
  /** File → Open Recent, which learns of every import here. */
  recent?: Pick<RecentStore, "add">;
}

/** A file name a Save dialog can suggest: no folders, no characters file systems refuse. */
export function safeFileName(name: unknown, ext: string): string {
  const base = path.basename(String(name ?? "").replace(/\\/g, "/"));
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, "_")
    .replace(/^\.+/, "")
    .slice(0, 180);
  const stem = clean || "rankscope";
  return stem.toLowerCase().endsWith(`.${ext}`) ? stem : `${stem}.${ext}`;
}

async function saveAs(
  event: IpcMainInvokeEvent,
  data: Uint8Array | string,
  name: string,
  ext: string,
  label: string,
) {
  const options: SaveDialogOptions = {
    defaultPath: safeFileName(name, ext),
    filters: [{ name: label, extensions: [ext] }],
  };
  const win = BrowserWindow.fromWebContents(event.sender);
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return null;
  await writeFile(r.filePath, data);
  return r.filePath;
}

function bytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || !value.length) throw new Error(`${what}: expected PNG bytes`);
  return value;
}

/** Registers every invoke handler of the contract, plus the preload's drop channel. */
export function registerHandlers(deps: HandlerDeps): void {
  const { allowlist, jobs } = deps;

  handle("app:launch-paths", () => [...deps.launchPaths]);
  handle("app:wants-demo", () => deps.launchPaths.length === 0 && !deps.live?.targets.launch);
  registerLiveHandlers(deps.live ?? { targets: new LiveTargets() });

  handle("dialog:open-folder", async (event) => {
    // Windows and Linux cannot pick files and folders in one dialog; they show a folder picker.
    const options: OpenDialogOptions = {
      title: "Open logs",
      properties: ["openDirectory", "openFile", "multiSelections"],
    };
    const win = BrowserWindow.fromWebContents(event.sender);
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    if (r.canceled || !r.filePaths.length) return null;
    return allowlist.grant(r.filePaths, "dialog");
  });

  handle("ingest:start", (event, paths) => {
    if (!Array.isArray(paths) || !paths.length) throw new Error("ingest:start: no paths given");
    const refused = allowlist.refusedOnDisk(paths);
    if (refused.length) {
      throw new Error(
        `ingest:start: not opened by the user (drop, Open Folder or command line): ${refused.join(", ")}`,
      );
    }
    // Every import of paths passes here, whether they came from the dialog, a drop, the
    // command line or Open Recent itself, so this one place keeps the list.
    const jobId = jobs.start([...paths], event.sender);
    deps.recent?.add(paths);
    return { jobId };
  });

  handle("ingest:cancel", (_event, jobId) => {
    jobs.cancel(String(jobId));
  });

  handle("file:save-png", (event, data, name) =>
    saveAs(event, bytes(data, "file:save-png"), name, "png", "PNG image"),
  );

  handle("file:save-json", (event, text, name) => {
    if (typeof text !== "string") throw new Error("file:save-json: expected text");
    return saveAs(event, text, name, "json", "JSON");
  });

  handle("clipboard:write-png", async (_event, data) => {
    const png = bytes(data, "clipboard:write-png");
    if (nativeImage.createFromBuffer(Buffer.from(png)).isEmpty())
      throw new Error("clipboard:write-png: not a PNG image");
    // Electron 45's clipboard is the W3C one: items of MIME-typed blobs.
    await clipboard.write([new ClipboardItem({ "image/png": new Blob([png], { type: "image/png" }) })]);
  });

  // Grants arrive synchronously so they are in place before the ingest:start that follows
  // the drop; see PathAllowlist for why this channel is trusted.
  onInternal(INTERNAL.registerDropped, (_event, paths) => {
    if (!Array.isArray(paths)) return;
    const real = paths.filter(
      (p): p is string => typeof p === "string" && path.isAbsolute(p) && existsSync(p),
    );
    allowlist.grant(real, "drop");
  });
}

/** Every channel registerHandlers installs, for removeHandlers. */
export const HANDLED_CHANNELS: readonly string[] = [
  ...Object.values(INVOKE_FUNCTIONS),
  INTERNAL.registerDropped,
];
