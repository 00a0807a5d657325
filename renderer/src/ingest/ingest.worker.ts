/// <reference lib="webworker" />
import initSqlJs from "sql.js";
import wasmUrl from "sql.js/dist/sql-wasm.wasm?url";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { setSqlJsLoader } from "../../../shared/formats/rune/sqlite";
import { ingest } from "../../../shared/ingest/pipeline";
import { buildLaneLod } from "../../../shared/model/lod";
import { memorySource } from "../../../shared/ingest/source";
import { browserFileSource, remoteFileSource } from "./fileSource";
import { transferables, type FromWorker, type ToWorker } from "./protocol";

// RUNE's SQLite store: sql.js's wasm is a bundled asset here, not a file beside the script.
setSqlJsLoader(() => initSqlJs({ locateFile: () => wasmUrl }));

// Parsing runs here, off the UI thread; the page cancels by terminating the worker.
const post = (msg: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(msg, transfer);

self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  try {
    const sources =
      msg.type === "demo"
        ? generateSkulkDemo().map((f) =>
            memorySource(`skulk-hang/${f.path}`, f.content, Date.UTC(2026, 3, 24, 22, 1)),
          )
        : msg.type === "remote"
          ? msg.files.map((f) => remoteFileSource(f))
          : msg.files.map((f) => browserFileSource(f.file, f.path));
    const result = await ingest(sources, {
      onProgress: (progress) => post({ type: "progress", progress }),
      onFile: (report) => post({ type: "file", report }),
    });
    // Summaries are built here, off the UI thread, and stored with the lanes.
    const lods = result.lanes.map(buildLaneLod);
    post({ type: "done", outcome: { ...result, lods } }, transferables(result.lanes, lods));
  } catch (e) {
    post({ type: "error", message: (e as Error)?.message ?? String(e) });
  }
};
