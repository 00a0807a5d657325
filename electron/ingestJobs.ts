import { randomUUID } from "node:crypto";
import type { WebContents } from "electron";
import type { FromWorker, WorkerInput } from "./ingestJob";
import { send } from "./ipc";

/** The part of worker_threads.Worker that jobs use (tests substitute their own). */
export interface WorkerLike {
  on(event: "message", fn: (msg: FromWorker) => void): unknown;
  on(event: "error", fn: (err: Error) => void): unknown;
  on(event: "exit", fn: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

export type WorkerFactory = (input: WorkerInput) => WorkerLike;

interface Job {
  worker: WorkerLike;
  contents: WebContents;
  over: boolean;
}

/**
 * Ingest jobs, one worker thread each. Every event carries its job id so the renderer can
 * drop events of a job it gave up on. Cancelling terminates the thread outright: parsing
 * holds nothing that needs cleaning up, and the renderer's writer discards what it had.
 */
export class IngestJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly createWorker: WorkerFactory) {}

  start(paths: string[], contents: WebContents): string {
    const jobId = randomUUID();
    const job: Job = { worker: this.createWorker({ paths }), contents, over: false };
    this.jobs.set(jobId, job);
    const fail = (message: string, cancelled = false) => {
      if (job.over) return;
      this.finish(jobId);
      send(contents, "ingest:error", { jobId, message, cancelled });
    };
    job.worker.on("message", (m) => {
      if (job.over) return;
      if (m.type === "progress") send(contents, "ingest:progress", { ...m.progress, jobId });
      else if (m.type === "file") send(contents, "ingest:file", { jobId, report: m.report });
      else if (m.type === "lanes")
        send(contents, "ingest:lanes", { jobId, originSec: m.originSec, lanes: m.lanes });
      else if (m.type === "done") {
        this.finish(jobId);
        send(contents, "ingest:done", { jobId, originSec: m.originSec, files: m.files, notes: m.notes });
      } else fail(m.message);
    });
    job.worker.on("error", (e) => fail(`the import failed: ${e.message}`));
    job.worker.on("exit", (code) => fail(`the import stopped unexpectedly (exit code ${code})`));
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
    void job.worker.terminate();
  }
}
