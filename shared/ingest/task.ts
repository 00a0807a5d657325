/**
 * What one ingest worker does with a unit (units.ts): read it with the one pipeline, build
 * the levels of detail, and hand back lanes and reports. The same code runs in Web Workers,
 * in worker threads, and in-process; hosts supply only `open` (a file by its ref) and the
 * message transport.
 */
import { FORMATS } from "../formats";
import { buildLaneLod, type LaneLod } from "../model/lod";
import type { DatasetNote, FileReport, LaneData } from "../model/types";
import { joinParts, mergeLanes } from "./merge";
import { ingest, type IngestProgress } from "./pipeline";
import { wrappedSource, type FileSource } from "./source";
import { countNewlines } from "./text";
import { laneBuffers } from "./transfer";
import type { SourceRef, Unit } from "./units";

export interface UnitTask {
  unit: Unit;
  /** The files the unit names, by their index in the import. */
  refs: SourceRef[];
}

/**
 * Lanes to make one each, with their levels of detail: the final merge of an import, spread
 * over its workers. `split`: the parts of one file, in order (joinParts); else pieces several
 * units read (mergeLanes).
 */
export interface JoinTask {
  groups: { pieces: LaneData[]; split: boolean }[];
}

export type UnitEvent =
  /** The lanes of a JoinTask, in its order. */
  | { type: "joined"; lanes: LaneData[]; lods: LaneLod[] }
  /** Bytes and records read since the last progress event of this unit. */
  | { type: "progress"; bytes: number; records: number; path: string | null }
  | { type: "file"; report: FileReport }
  | { type: "result"; result: UnitResult }
  | { type: "error"; message: string };

export interface UnitResult {
  lanes: LaneData[];
  lods: LaneLod[];
  /** Reports in the unit's own order; lanes' file indexes point into this list. */
  files: FileReport[];
  notes: DatasetNote[];
  /** Lines the unit's bytes hold (a part's line numbers start after the earlier parts'). */
  lines: number;
}

export type Emit = (event: UnitEvent, transfer?: ArrayBuffer[]) => void;

/** Counts the newlines of what a source yields (a part's share of the file's lines). */
function lineCounting(source: FileSource, onLines: (n: number) => void): FileSource {
  return {
    ...source,
    async *chunks() {
      for await (const chunk of source.chunks()) {
        onLines(countNewlines(chunk));
        yield chunk;
      }
    },
  };
}

export async function runUnit(
  task: UnitTask,
  open: (ref: SourceRef) => FileSource,
  emit: Emit,
  signal?: AbortSignal,
): Promise<void> {
  const { unit } = task;
  const byIndex = new Map(task.refs.map((r) => [r.index, r]));
  let lines = 0;
  let sources: FileSource[];
  let force = undefined;
  if (unit.kind === "part") {
    const whole = open(byIndex.get(unit.file)!);
    if (!whole.slice) throw new Error(`${whole.path} cannot be read in parts`);
    const part = lineCounting(whole.slice(unit.start, unit.end), (n) => (lines += n));
    const env = unit.envelope;
    sources = [
      env
        ? wrappedSource(
            await whole.slice(0, env.head).bytes(),
            part,
            // Every part but the first starts inside the array: its events follow the envelope's "[".
            await whole.slice(env.tail, whole.size).bytes(),
          )
        : part,
    ];
    force = FORMATS.find((f) => f.id === unit.format);
  } else {
    sources = unit.files.map((i) => open(byIndex.get(i)!));
  }
  let last: IngestProgress = {
    filesDone: 0,
    filesTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    records: 0,
    currentPath: null,
  };
  const result = await ingest(sources, {
    signal,
    ...(force ? { forceFormat: force, directoryFormats: [] } : {}),
    onProgress: (p) => {
      emit({
        type: "progress",
        bytes: p.bytesDone - last.bytesDone,
        records: p.records - last.records,
        path: p.currentPath,
      });
      last = p;
    },
    // A part's report is only a share of its file's: the driver reports the file once.
    onFile: unit.kind === "files" ? (report) => emit({ type: "file", report }) : undefined,
  });
  // A part's lanes are joined with the other parts' first: their levels are built then.
  const lods = unit.kind === "part" ? [] : result.lanes.map(buildLaneLod);
  const out: UnitResult = { lanes: result.lanes, lods, files: result.files, notes: result.notes, lines };
  emit({ type: "result", result: out }, laneBuffers(out.lanes, out.lods));
}

/**
 * One lane from its pieces, with its levels of detail. `owned`: nothing else holds the pieces
 * (a join worker's, or the final merge's), so they may be changed rather than copied.
 */
export function joinGroup(
  group: JoinTask["groups"][number],
  owned = false,
): { lane: LaneData; lod: LaneLod } {
  const lane = group.split ? joinParts(group.pieces, owned) : mergeLanes(group.pieces, owned);
  return { lane, lod: buildLaneLod(lane) };
}

export function runJoin(task: JoinTask, emit: Emit): void {
  const lanes: LaneData[] = [];
  const lods: LaneLod[] = [];
  for (const g of task.groups) {
    const { lane, lod } = joinGroup(g, true);
    g.pieces.length = 0;
    lanes.push(lane);
    lods.push(lod);
  }
  emit({ type: "joined", lanes, lods }, laneBuffers(lanes, lods));
}

/** The messages a driver sends a worker. */
export type ToUnitWorker =
  { type: "run"; task: UnitTask } | { type: "join"; task: JoinTask } | { type: "cancel" };

/**
 * A worker's side of the protocol: runs each task it is sent, one at a time, posting its
 * events; a cancel aborts the task under way (the driver may also just terminate it).
 */
export function serveUnits(
  onMessage: (fn: (msg: ToUnitWorker) => void) => void,
  post: Emit,
  open: (ref: SourceRef) => FileSource,
): void {
  let abort: AbortController | null = null;
  onMessage((msg) => {
    if (msg.type === "cancel") {
      abort?.abort();
      return;
    }
    if (msg.type === "join") {
      try {
        runJoin(msg.task, post);
      } catch (e) {
        post({ type: "error", message: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    abort = new AbortController();
    const signal = abort.signal;
    runUnit(msg.task, open, post, signal).catch((e: unknown) => {
      if (!signal.aborted) post({ type: "error", message: e instanceof Error ? e.message : String(e) });
    });
  });
}
