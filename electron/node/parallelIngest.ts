import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { mergeResults, partition } from "../../shared/ingest/merge";
import { ingest, type IngestResult } from "../../shared/ingest/pipeline";
import type { NotRead } from "../../shared/ingest/report";
import { walkPaths, type NodeFileSource } from "./fsSource";

interface Job {
  rankscopeIngest: true;
  /** absolutePath arrives as a plain Uint8Array: structured clone does not keep Buffers. */
  files: { absolutePath: Uint8Array; path: string; size: number; lastModified: number }[];
}

function transferList(r: IngestResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const l of r.lanes) {
    for (const c of Object.values(l.spans)) out.add(c.buffer as ArrayBuffer);
    for (const c of Object.values(l.markers)) out.add(c.buffer as ArrayBuffer);
    for (const c of l.counters) out.add(c.t.buffer as ArrayBuffer).add(c.v.buffer as ArrayBuffer);
  }
  return [...out];
}

// Any bundle that contains this module can be a worker: it runs the job it was given.
if (!isMainThread && (workerData as Job | undefined)?.rankscopeIngest) {
  const job = workerData as Job;
  const { nodeFileSource } = await import("./fsSource");
  const sources = job.files.map((f) => nodeFileSource(f.absolutePath, f.path, f.size, f.lastModified));
  const result = await ingest(sources);
  parentPort!.postMessage(result, transferList(result));
}

/**
 * Ingest using every core: files are split by directory into balanced groups, each read by
 * a worker thread running the same shared ingest, and the results merged. Small inputs
 * (under 64 MB) run in this thread, exactly as before.
 */
export async function ingestPaths(
  paths: string[],
  workerUrl: URL,
  threads = availableParallelism(),
): Promise<IngestResult & { problems: NotRead[] }> {
  const { sources, problems } = await walkPaths(paths);
  const groups = partition(sources, threads);
  if (groups.length <= 1) return { ...(await ingest(sources)), problems };
  const results = await Promise.all(groups.map((g) => runWorker(workerUrl, g)));
  return { ...mergeResults(results, sources), problems };
}

function runWorker(url: URL, files: NodeFileSource[]): Promise<IngestResult> {
  const job: Job = {
    rankscopeIngest: true,
    files: files.map((f) => ({
      absolutePath: f.absolutePath,
      path: f.path,
      size: f.size,
      lastModified: f.lastModified,
    })),
  };
  // A worker that dies (out of memory, say) costs its own files, reported, not the run.
  const failed = (why: string): IngestResult => ({
    originSec: 0,
    lanes: [],
    notes: [],
    files: files.map((f) => ({
      path: f.path,
      format: "unknown",
      bytes: f.size,
      records: 0,
      errors: [{ message: `could not be read: the ingest worker reading it failed (${why})` }],
      warnings: [],
    })),
  });
  return new Promise((resolve) => {
    const w = new Worker(url, { workerData: job });
    w.once("message", (r: IngestResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once("error", (e) => resolve(failed(e.message)));
    w.once("exit", (code) => code !== 0 && resolve(failed(`exit code ${code}`)));
  });
}
