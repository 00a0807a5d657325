/// <reference lib="webworker" />
// Web mode's import, off the UI thread: this worker runs the shared driver, which hands
// units to parse workers (one per core) and merges what they read. The page cancels by
// terminating this worker, which ends its parse workers with it.
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { driveIngest, type DriverHost, type UnitWorker } from "../../../shared/ingest/driver";
import type { UnitEvent } from "../../../shared/ingest/task";
import { joinBuffers, laneBuffers } from "../../../shared/ingest/transfer";
import type { SourceRef } from "../../../shared/ingest/units";
import type { FromWorker, ToWorker } from "./protocol";
import { loadBundledSqlJs } from "./sqlite";
import { memoryRefs, openWebRef, pickedRefs, remoteRefs } from "./webRefs";

loadBundledSqlJs();
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

function parseWorker(): UnitWorker {
  const w = new Worker(new URL("./parse.worker.ts", import.meta.url), { type: "module" });
  // A worker may fail while it loads, before the driver listens: it hears of it then.
  let failure: string | null = null;
  let fail: (m: string) => void = (m) => (failure = m);
  w.onerror = (e) => fail(`an import worker failed: ${e.message || "it stopped"}`);
  return {
    run: (task) => w.postMessage({ type: "run", task }),
    join: (task) => w.postMessage({ type: "join", task }, joinBuffers(task)),
    onEvent: (fn) => (w.onmessage = (ev: MessageEvent<UnitEvent>) => fn(ev.data)),
    onFail: (fn) => {
      fail = fn;
      if (failure !== null) fn(failure);
    },
    terminate: () => w.terminate(),
  };
}

// Every core but none more: the page itself draws on the UI thread meanwhile.
const threads = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
// Loaded a second after this worker, which the page keeps spare until an import comes: the
// import's parse workers are ready when it starts (each took ~150 ms to load after the drop).
// Not at once: the spare loads as the app starts, and a reopen's first paint wanted the cores.
const loaded: UnitWorker[] = [];
const preload = setTimeout(() => loaded.push(...Array.from({ length: threads }, parseWorker)), 1000);

const host: DriverHost = {
  threads,
  spawn: () => loaded.shift() ?? parseWorker(),
  inlineSingle: true,
  open: openWebRef,
};

scope.onmessage = async (ev: MessageEvent<ToWorker>) => {
  // An import that comes first starts its parse workers itself.
  clearTimeout(preload);
  const msg = ev.data;
  let refs: SourceRef[];
  if (msg.type === "demo")
    refs = memoryRefs(
      generateSkulkDemo().map((f) => ({ path: `skulk-hang/${f.path}`, content: f.content })),
      Date.UTC(2026, 3, 24, 22, 1),
    );
  else refs = msg.type === "remote" ? remoteRefs(msg.files) : pickedRefs(msg.files);
  try {
    const result = await driveIngest(refs, host, {
      onProgress: (progress) => post({ type: "progress", progress }),
      onFile: (report) => post({ type: "file", report }),
      // Copied, not handed over: the driver keeps these lanes to merge at the end.
      onLanes: (lanes, lods, changed) => {
        const pick = lanes.map((l, i) => [l, lods[i]] as const).filter(([l]) => changed.has(l.info.id));
        post({ type: "picture", lanes: pick.map(([l]) => l), lods: pick.map(([, lod]) => lod ?? null) });
      },
    });
    post({ type: "done", outcome: result }, laneBuffers(result.lanes, result.lods));
  } catch (e) {
    post({ type: "error", message: (e as Error)?.message ?? String(e) });
  }
};
