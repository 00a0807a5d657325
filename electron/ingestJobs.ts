import { randomUUID } from "node:crypto";
import type { WebContents } from "electron";
import type { DriverOptions, DriverResult } from "../shared/ingest/driver";
import { notReadReport, type NotRead } from "../shared/ingest/report";
import { batchLanes } from "../shared/ingest/transfer";
import { send } from "./ipc";

/** Walks the paths and ingests them with the shared driver (electron/host/ingestThreads.ts). */
export type RunIngest = (
  paths: string[],
  opts: DriverOptions & { onNotRead?(problems: NotRead[]): void },
) => Promise<DriverResult & { problems: NotRead[] }>;

interface Job {
  abort: AbortController;
  contents: WebContents;
  over: boolean;
}

/**
 * Ingest jobs: each is the shared driver run in main over worker threads. Every event
 * carries its job id so the renderer can drop events of a job it gave up on. While a job
 * runs, the lanes read so far go to the window as pictures (only those that changed);
 * at the end, every lane in batches, then done. Cancelling stops the job's workers.
 */
export class IngestJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly run: RunIngest) {}

  start(paths: string[], contents: WebContents): string {
    const jobId = randomUUID();
    const job: Job = { abort: new AbortController(), contents, over: false };
    this.jobs.set(jobId, job);
    const live = () => !job.over;
    this.run(paths, {
      signal: job.abort.signal,
      onNotRead: (problems) => {
        for (const p of problems)
          if (live()) send(contents, "ingest:file", { jobId, report: notReadReport(p) });
      },
      onProgress: (p) => live() && send(contents, "ingest:progress", { ...p, jobId }),
      onFile: (report) => live() && send(contents, "ingest:file", { jobId, report }),
      onLanes: (lanes, lods, changed) => {
        if (!live()) return;
        const pick = lanes.map((l, i) => [l, lods[i]] as const).filter(([l]) => changed.has(l.info.id));
        send(contents, "ingest:picture", {
          jobId,
          lanes: pick.map(([l]) => l),
          lods: pick.map(([, lod]) => lod ?? null),
        });
      },
    }).then(
      (result) => {
        if (!live()) return;
        this.finish(jobId);
        const lodOf = new Map(result.lanes.map((l, i) => [l, result.lods[i]]));
        for (const lanes of batchLanes(result.lanes))
          send(contents, "ingest:lanes", {
            jobId,
            originSec: result.originSec,
            lanes,
            lods: lanes.map((l) => lodOf.get(l) ?? null),
          });
        send(contents, "ingest:done", {
          jobId,
          originSec: result.originSec,
          files: [...result.problems.map(notReadReport), ...result.files],
          notes: result.notes,
        });
      },
      (e: unknown) => {
        if (!live()) return;
        this.finish(jobId);
        send(contents, "ingest:error", {
          jobId,
          message: `the import failed: ${errorMessage(e)}`,
          cancelled: false,
        });
      },
    );
    return jobId;
  }

  /** Stops a job; false when there is no such running job. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.over) return false;
    this.finish(jobId);
    send(job.contents, "ingest:error", { jobId, message: "import cancelled", cancelled: true });
    return true;
  }

  /** Stops every job (the window closed, or the app quits). */
  cancelAll(contents?: WebContents): void {
    for (const [id, job] of this.jobs) if (!contents || job.contents === contents) this.finish(id);
  }

  get running(): number {
    return this.jobs.size;
  }

  private finish(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.over = true;
    this.jobs.delete(jobId);
    job.abort.abort();
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
