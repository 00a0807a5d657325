/// <reference lib="webworker" />
// A parse worker of web mode: it reads the units the import's driver sends it
// (shared/ingest/task.ts), with the same code as Node's worker threads.
import { serveUnits, type ToUnitWorker } from "../../../shared/ingest/task";
import { loadBundledSqlJs } from "./sqlite";
import { openWebRef } from "./webRefs";

loadBundledSqlJs();
const scope = self as unknown as DedicatedWorkerGlobalScope;
serveUnits(
  (fn) => (scope.onmessage = (ev: MessageEvent<ToUnitWorker>) => fn(ev.data)),
  (event, transfer) => scope.postMessage(event, transfer ?? []),
  openWebRef,
);
