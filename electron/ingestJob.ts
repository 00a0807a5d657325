import { ingest, type IngestProgress } from "../shared/ingest/pipeline";
import { notReadReport } from "../shared/ingest/report";
import type { DatasetNote, FileReport, LaneData } from "../shared/model/types";
import { walkPaths } from "./node/fsSource";

/** What the ingest worker posts to main; main adds the job id and forwards it to the window. */
export type FromWorker =
  | { type: "progress"; progress: IngestProgress }
  | { type: "file"; report: FileReport }
  | { type: "lanes"; originSec: number; lanes: LaneData[] }
  | { type: "done"; originSec: number; files: FileReport[]; notes: DatasetNote[] }
  | { type: "error"; message: string };

export interface WorkerInput {
  paths: string[];
}

export type Post = (msg: FromWorker, transfer?: ArrayBuffer[]) => void;

/** Items per lanes message: big enough to amortise IPC, small enough to keep the UI fed. */
const BATCH_ITEMS = 250_000;
const BATCH_LANES = 64;

function laneItems(lane: LaneData): number {
  return lane.spans.start.length + lane.markers.t.length + lane.counters.reduce((n, c) => n + c.t.length, 0);
}

/** Splits lanes into messages of at most BATCH_ITEMS items (a bigger lane goes alone). */
export function batchLanes(lanes: LaneData[], maxItems = BATCH_ITEMS, maxLanes = BATCH_LANES): LaneData[][] {
  const batches: LaneData[][] = [];
  let batch: LaneData[] = [];
  let items = 0;
  for (const lane of lanes) {
    const n = laneItems(lane);
    if (batch.length && (items + n > maxItems || batch.length >= maxLanes)) {
      batches.push(batch);
      batch = [];
      items = 0;
    }
    batch.push(lane);
    items += n;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

function buffersOf(lane: LaneData): ArrayBuffer[] {
  const arrays = [
    ...Object.values(lane.spans),
    ...Object.values(lane.markers),
    ...lane.counters.flatMap((c) => [c.t, c.v]),
  ];
  return arrays
    .map((a: ArrayBufferView) => a.buffer)
    .filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/**
 * The buffers each batch may hand over (transfer, not copy) to main. A buffer that two
 * batches share is copied instead: transferring it with the first would detach it for the
 * second.
 */
export function transferables(batches: LaneData[][]): ArrayBuffer[][] {
  const owners = new Map<ArrayBuffer, Set<number>>();
  batches.forEach((batch, i) => {
    for (const b of batch.flatMap(buffersOf)) {
      if (!owners.has(b)) owners.set(b, new Set());
      owners.get(b)!.add(i);
    }
  });
  return batches.map((_, i) => [...owners].filter(([, s]) => s.size === 1 && s.has(i)).map(([b]) => b));
}

/**
 * Walks and ingests `paths`, posting progress and per-file reports as they happen, then the
 * lanes in batches, then done. What the walk could not or would not read (an unreadable
 * folder, a FIFO, a link leaving the given folders) becomes a file report, as on the
 * command line.
 */
export async function runIngestJob(input: WorkerInput, post: Post, signal?: AbortSignal): Promise<void> {
  const { sources, problems } = await walkPaths(input.paths);
  const unreadable = problems.map(notReadReport);
  for (const report of unreadable) post({ type: "file", report });
  const result = await ingest(sources, {
    signal,
    onProgress: (progress) => post({ type: "progress", progress }),
    onFile: (report) => post({ type: "file", report }),
  });
  const batches = batchLanes(result.lanes);
  const transfer = transferables(batches);
  batches.forEach((lanes, i) => post({ type: "lanes", originSec: result.originSec, lanes }, transfer[i]));
  post({
    type: "done",
    originSec: result.originSec,
    files: [...unreadable, ...result.files],
    notes: result.notes,
  });
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
