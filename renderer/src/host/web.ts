import type { LiveLaunch } from "../../../shared/ipc/contract";
import { KEY_HEADER, KEY_PARAM, type LaunchList } from "../../../shared/ipc/webLaunch";
import { parseAttachUrl } from "../../../shared/live/target";
import type { PickedFile } from "../ingest/dropWalk";
import type { FromWorker, RemoteFile, ToWorker } from "../ingest/protocol";
import { CancelledError, type Host, type IngestHandle, type IngestListeners, type LiveHost } from "./host";

const ingestWorker = () =>
  new Worker(new URL("../ingest/ingest.worker.ts", import.meta.url), { type: "module" });

/**
 * The next import's worker, started ahead: loading its script took 100-200 ms of the time
 * to the first picture. Made as the app starts (servedFiles) and after each import ends.
 */
let spare: Worker | null = null;

function takeWorker(): Worker {
  const w = spare ?? ingestWorker();
  spare = null;
  return w;
}

/** Loads the spare where there are workers (not under Node, as in the unit tests). */
function loadSpare(): void {
  if (typeof Worker !== "undefined") spare ??= ingestWorker();
}

/** The next import's worker, once this one ended: loaded during it, it took from its cores. */
function spareLater(): void {
  setTimeout(loadSpare, 0);
}

function runWorker(msg: ToWorker, listeners: IngestListeners): IngestHandle {
  const worker = takeWorker();
  let reject: (e: Error) => void = () => {};
  const settled = new Promise<import("../ingest/protocol").IngestOutcome>((resolve, rej) => {
    reject = rej;
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      if (m.type === "progress") listeners.onProgress(m.progress);
      else if (m.type === "file") listeners.onFile(m.report);
      else if (m.type === "picture") listeners.onPicture?.(m.lanes, m.lods);
      else if (m.type === "done") {
        worker.terminate();
        resolve(m.outcome);
      } else {
        worker.terminate();
        rej(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      rej(new Error(e.message || "the import worker failed"));
    };
  });
  const result = settled.finally(spareLater);
  worker.postMessage(msg);
  return {
    result,
    cancel() {
      worker.terminate();
      reject(new CancelledError());
    },
  };
}

function download(data: BlobPart, type: string, name: string): string {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

const KEY_STORE = "rankscope:launch-key";

/**
 * The secret web mode's server printed in the page's URL (`/?k=…`), wanted on its /api.
 * It is taken out of the address bar at once (history, screenshots, a shared link) and
 * kept in sessionStorage, so a reload of this tab still has it and no other tab or site does.
 */
function launchKey(): string | null {
  if (typeof location === "undefined") return null;
  const params = new URLSearchParams(location.search);
  const given = params.get(KEY_PARAM);
  let stored: string | null = given;
  try {
    if (given) sessionStorage.setItem(KEY_STORE, given);
    else stored = sessionStorage.getItem(KEY_STORE);
  } catch {
    // Storage refused (a locked-down profile): the key still works for this page.
  }
  if (given) {
    params.delete(KEY_PARAM);
    const query = params.toString().replace(/=(?=&|$)/g, "");
    history.replaceState(
      history.state,
      "",
      `${location.pathname}${query ? `?${query}` : ""}${location.hash}`,
    );
  }
  return stored;
}

// Read when the app loads, before anything else looks at the URL.
const key = launchKey();

async function servedFiles(): Promise<{ files: RemoteFile[]; notRead: LaunchList["notRead"] }> {
  // Asked as the app starts: the import that may follow (of these, or of a drop) finds its
  // worker loaded.
  loadSpare();
  if (!key) return { files: [], notRead: [] };
  const headers = { [KEY_HEADER]: key };
  const res = await fetch("./api/launch", { headers, cache: "no-store" });
  if (!res.ok || !(res.headers.get("content-type") ?? "").includes("json")) return { files: [], notRead: [] };
  const list = (await res.json()) as LaunchList;
  return {
    // Absolute: the worker resolves relative URLs against its own script, not the page.
    files: list.files.map((f, i) => ({ ...f, url: new URL(`api/file/${i}`, location.href).href, headers })),
    notRead: list.notRead ?? [],
  };
}

/** The cluster `rankscope --web --attach URL` proxies at ./api/live, or null. */
async function liveLaunchTarget(): Promise<LiveLaunch | null> {
  if (!key) return null;
  const res = await fetch("./api/live/target", { headers: { [KEY_HEADER]: key }, cache: "no-store" });
  if (!res.ok || !(res.headers.get("content-type") ?? "").includes("json")) return null;
  const { label } = (await res.json()) as { label: string };
  const sec = Number(new URLSearchParams(location.search).get("interval"));
  return { label, intervalSec: sec >= 0.25 && sec <= 3600 ? sec : null };
}

/**
 * A page can reach only its own launcher, and the launcher only the cluster it was started
 * with: web mode attaches to that one URL, and says so for any other.
 */
const webLive: LiveHost = {
  anyUrl: false,
  launchTarget: liveLaunchTarget,
  async setTarget(url) {
    const launched = await liveLaunchTarget().catch(() => null);
    if (!launched)
      return {
        ok: false,
        error:
          "web mode attaches only to the cluster its launcher was started with: run rankscope --web --attach URL",
      };
    const wanted = parseAttachUrl(url);
    if (!wanted.ok) return wanted;
    if (wanted.target.label !== launched.label)
      return {
        ok: false,
        error: `web mode can only attach to ${launched.label}, the URL its launcher was started with; run rankscope --web --attach ${wanted.target.label} for this one`,
      };
    return { ok: true, label: launched.label };
  },
  // Absolute: the worker resolves relative URLs against its own script, not the page.
  transport: () => ({ kind: "proxy", base: new URL("api/live/", location.href).href, key }),
};

export const webHost: Host = {
  kind: "web",
  ingestFiles: (files: PickedFile[], listeners) => runWorker({ type: "files", files }, listeners),
  ingestDemo: (listeners) => runWorker({ type: "demo" }, listeners),
  servedFiles,
  ingestRemote: (files, listeners) => runWorker({ type: "remote", files }, listeners),
  launchPaths: async () => [],
  savePng: async (data, name) => download(data as Uint8Array<ArrayBuffer>, "image/png", name),
  saveJson: async (text, name) => download(text, "application/json", name),
  async copyPng(data) {
    await navigator.clipboard.write([
      new ClipboardItem({ "image/png": new Blob([data as Uint8Array<ArrayBuffer>], { type: "image/png" }) }),
    ]);
  },
  onMenu: () => () => {},
  live: webLive,
};
