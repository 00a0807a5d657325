/**
 * The driver's threads under Node (the CLI, the benchmark, Electron's main process): worker
 * threads running the same bundle, each serving units (shared/ingest/task.ts). Hosts supply
 * threads and transport only; the ingest itself is shared/ingest/driver.ts.
 */
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  driveIngest,
  type DriverHost,
  type DriverOptions,
  type DriverResult,
  type UnitWorker,
} from "../../shared/ingest/driver";
import type { NotRead } from "../../shared/ingest/report";
import { serveUnits, type ToUnitWorker, type UnitEvent } from "../../shared/ingest/task";
import { joinBuffers } from "../../shared/ingest/transfer";
import type { SourceRef } from "../../shared/ingest/units";
import { nodeFileSource, walkPaths } from "./fsSource";

const MARK = "rankscopeUnits";

/** A file of the import, found again from its ref: the ref's handle is its path as bytes. */
export function openNodeRef(ref: SourceRef) {
  return nodeFileSource(ref.handle as Uint8Array, ref.path, ref.size, ref.lastModified);
}

// Any bundle that contains this module can be a worker: it serves the units it is sent.
if (!isMainThread && (workerData as Record<string, unknown> | undefined)?.[MARK]) {
  const port = parentPort!;
  serveUnits(
    (fn) => port.on("message", (m: ToUnitWorker) => fn(m)),
    (e, transfer) => port.postMessage(e, transfer ?? []),
    openNodeRef,
  );
}

/** Worker threads of `script` (a bundle holding this module), or units in this thread when `threads` is 1. */
export function nodeDriverHost(
  script: URL | string,
  threads = availableParallelism(),
  inlineSingle = true,
): DriverHost {
  return {
    threads,
    open: openNodeRef,
    inlineSingle,
    spawn:
      threads > 1
        ? (): UnitWorker => {
            const w = new Worker(script, { workerData: { [MARK]: true } });
            let fail: (m: string) => void = () => {};
            let ended = false;
            w.on("error", (e) => !ended && fail(`an ingest worker failed: ${e.message}`));
            w.on(
              "exit",
              (code) => !ended && code !== 0 && fail(`an ingest worker stopped (exit code ${code})`),
            );
            return {
              run: (task) => w.postMessage({ type: "run", task } satisfies ToUnitWorker),
              join: (task) => w.postMessage({ type: "join", task } satisfies ToUnitWorker, joinBuffers(task)),
              onEvent: (fn) => w.on("message", (e: UnitEvent) => fn(e)),
              onFail: (fn) => (fail = fn),
              terminate: () => {
                ended = true;
                void w.terminate();
              },
            };
          }
        : undefined,
  };
}

/** Walks the paths the user gave and ingests what they hold with the shared driver. */
export async function ingestPaths(
  paths: string[],
  script: URL | string,
  opts: DriverOptions & { threads?: number; onNotRead?(problems: NotRead[]): void } = {},
): Promise<DriverResult & { problems: NotRead[] }> {
  const { sources, problems } = await walkPaths(paths);
  if (problems.length) opts.onNotRead?.(problems);
  const refs: SourceRef[] = sources.map((s, index) => ({
    index,
    path: s.path,
    size: s.size,
    lastModified: s.lastModified,
    handle: s.absolutePath,
  }));
  const result = await driveIngest(refs, nodeDriverHost(script, opts.threads), opts);
  return { ...result, problems };
}
