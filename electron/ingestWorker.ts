// The ingest worker thread: parsing runs here so main keeps answering the window.
import { parentPort, workerData } from "node:worker_threads";
import { errorMessage, runIngestJob, type FromWorker, type WorkerInput } from "./ingestJob";

const port = parentPort;
if (!port) throw new Error("ingestWorker runs only as a worker thread");
const post = (msg: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer);

runIngestJob(workerData as WorkerInput, post).catch((e: unknown) =>
  post({ type: "error", message: errorMessage(e) }),
);
