import type { PickedFile } from "../ingest/dropWalk";
import type { FromWorker, ToWorker } from "../ingest/protocol";
import { CancelledError, type Host, type IngestHandle, type IngestListeners } from "./host";

function runWorker(msg: ToWorker, listeners: IngestListeners): IngestHandle {
  const worker = new Worker(new URL("../ingest/ingest.worker.ts", import.meta.url), { type: "module" });
  let reject: (e: Error) => void = () => {};
  const result = new Promise<import("../ingest/protocol").IngestOutcome>((resolve, rej) => {
    reject = rej;
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      if (m.type === "progress") listeners.onProgress(m.progress);
      else if (m.type === "file") listeners.onFile(m.report);
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

export const webHost: Host = {
  kind: "web",
  ingestFiles: (files: PickedFile[], listeners) => runWorker({ type: "files", files }, listeners),
  ingestDemo: (listeners) => runWorker({ type: "demo" }, listeners),
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
};
