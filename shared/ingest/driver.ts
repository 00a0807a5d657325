/**
 * The one ingest driver, for every host: plan units (units.ts), run them on the host's
 * workers (task.ts), report progress and files as they happen, hand over lanes as they
 * arrive (a first picture from the files' heads, then each unit's lanes), and merge it all
 * into one result. Hosts supply threads and transport only (`DriverHost`). Cancel (the
 * signal) stops every worker; nothing is returned then.
 */
import { buildLaneLod, type LaneLod } from "../model/lod";
import type { DatasetNote, FileReport, LaneData } from "../model/types";
import { gzipAware } from "./gzip";
import { readHead } from "./head";
import { remapFiles } from "./merge";
import { earliestOrigin, ingest, startProgress, type IngestProgress } from "./pipeline";
import { memorySource, type FileSource } from "./source";
import { laneItems } from "./transfer";
import {
  joinGroup,
  runUnit,
  type Emit,
  type JoinTask,
  type UnitEvent,
  type UnitResult,
  type UnitTask,
} from "./task";
import { planUnits, type SourceRef, type Unit, type UnitLimits } from "./units";

/** A worker as the driver uses it; the host makes it from a Web Worker or a worker thread. */
export interface UnitWorker {
  run(task: UnitTask): void;
  /** The final merge's share of this worker: its lanes' buffers are handed over, not copied. */
  join(task: JoinTask): void;
  onEvent(fn: (event: UnitEvent) => void): void;
  /** The worker died (an uncaught error, out of memory): its unit failed. */
  onFail(fn: (message: string) => void): void;
  terminate(): void;
}

export interface DriverHost {
  /** How many workers to run at once (cores). */
  threads: number;
  /** A fresh worker; absent, units run in this thread, one after another. */
  spawn?(): UnitWorker;
  /** Run an import that is one unit in this thread rather than start a worker for it. */
  inlineSingle?: boolean;
  /** A file of the import by its ref, in this thread (planning, first picture, in-thread units). */
  open(ref: SourceRef): FileSource;
}

export interface DriverOptions {
  signal?: AbortSignal;
  /** How the import is cut into units (tests cut small inputs as big ones would be). */
  limits?: UnitLimits;
  onProgress?(p: IngestProgress): void;
  onFile?(report: FileReport): void;
  /**
   * Lanes so far, to show while the import runs: every lane read yet (a lane several units
   * share, merged), replacing what an earlier call gave. Not called for an import that is
   * one unit (it is done as soon as it would be).
   */
  onLanes?(lanes: LaneData[], lods: (LaneLod | undefined)[], changed: ReadonlySet<string>): void;
}

export interface DriverResult {
  originSec: number;
  lanes: LaneData[];
  lods: LaneLod[];
  files: FileReport[];
  notes: DatasetNote[];
}

const PROGRESS_MS = 50;
/** How long the workers wait for the first picture's heads (64 of them took ~450 ms in web mode). */
const HEADS_FIRST_MS = 600;
const PICTURE_MS = 1000;
/**
 * Pictures grow apart as the import goes on: each redraws (merges, copies, draws) all that is
 * read so far, so at a fixed pace a big import would spend more time drawing itself than
 * reading. A gap of a quarter of the time elapsed keeps their total a bounded share of it.
 */
const PICTURE_GROWTH = 0.25;

export class CancelledError extends Error {
  constructor() {
    super("import cancelled");
    this.name = "AbortError";
  }
}

interface Done {
  unit: Unit;
  result: UnitResult;
}

export async function driveIngest(
  refs: SourceRef[],
  host: DriverHost,
  opts: DriverOptions = {},
): Promise<DriverResult> {
  const signal = opts.signal;
  const sources = refs.map((r) => host.open(r));
  const headOf = (s: FileSource) => readHead(gzipAware(s));
  const units = await planUnits(sources, host.threads, headOf, opts.limits);
  signal?.throwIfAborted();

  const progress = startProgress(refs);
  let lastProgress = 0;
  const emitProgress = (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_MS) return;
    lastProgress = now;
    opts.onProgress?.({ ...progress });
  };

  const done: Done[] = [];
  // The first picture: every file's head, read here (a few MB). Its lanes stay on screen
  // until the unit that reads the whole of them is done.
  let preview: { lanes: LaneData[] } = { lanes: [] };
  let lastPicture = 0;
  const started = Date.now();
  let pictureDue = false;
  // Lanes new or grown since the last picture: hosts that copy lanes across send only these.
  let changed = new Set<string>();
  const picture = (force = false) => {
    if (!opts.onLanes || units.length < 2) return;
    const now = Date.now();
    if (!force && now - lastPicture < Math.max(PICTURE_MS, (now - started) * PICTURE_GROWTH)) {
      pictureDue = true;
      return;
    }
    lastPicture = now;
    pictureDue = false;
    const shown = mergeDone(done, refs, false);
    const have = new Set(shown.lanes.map((l) => l.info.id));
    const waiting = preview.lanes.filter((l) => !have.has(l.info.id));
    if (!shown.lanes.length && !waiting.length) return;
    opts.onLanes([...shown.lanes, ...waiting], [...shown.lods, ...waiting.map(() => undefined)], changed);
    changed = new Set();
  };
  // The heads are fetched before the workers start, or for HEADS_FIRST_MS if they take
  // longer (many files): fetched beside the workers, they waited behind the whole files'
  // reads. Read beside the workers; shown unless a unit finished first.
  const fetching =
    opts.onLanes && units.length > 1 && host.spawn
      ? Promise.all(sources.map((s) => headSource(s))).catch(() => null)
      : null;
  if (fetching) await Promise.race([fetching, new Promise((ok) => setTimeout(ok, HEADS_FIRST_MS))]);
  signal?.throwIfAborted();
  // Ended with the import: a head still on its way (a stalled server) must not hold it up.
  const previewEnd = new AbortController();
  const previewSignal = signal ? AbortSignal.any([signal, previewEnd.signal]) : previewEnd.signal;
  if (fetching)
    void (async () => {
      const heads = await fetching;
      if (!heads || previewSignal.aborted) return;
      preview = await ingest(heads, { signal: previewSignal });
      if (!done.length && !previewSignal.aborted)
        opts.onLanes!(preview.lanes, [], new Set(preview.lanes.map((l) => l.info.id)));
    })().catch(() => {
      // A first picture that failed is only a picture: the import goes on without it.
    });

  const onEvent = (unit: Unit, e: UnitEvent): boolean => {
    if (e.type === "progress") {
      progress.bytesDone += e.bytes;
      progress.records += e.records;
      progress.currentPath = e.path;
      emitProgress();
    } else if (e.type === "file") {
      progress.filesDone++;
      opts.onFile?.(e.report);
    } else if (e.type === "result") {
      done.push({ unit, result: e.result });
      for (const l of e.result.lanes) changed.add(l.info.id);
      if (unit.kind === "part" && unit.part === unit.parts - 1) progress.filesDone++;
      picture();
      return true;
    } else if (e.type === "error") throw new Error(e.message);
    return false;
  };

  let pool: UnitWorker[] = [];
  try {
    pool = await runUnits(units, refs, host, signal, onEvent, () => pictureDue && picture(true));
    previewEnd.abort();
    progress.currentPath = null;
    emitProgress(true);
    const { groups, ...merged } = mergeDone(done, refs, true);
    // The lanes several units read are made one on the workers, which are idle now (their
    // pieces are handed over: nothing else may hold them).
    const joined = await joinOn(pool, groups, signal);
    groups.forEach((g, i) => {
      merged.lanes[g.slot] = joined[i].lane;
      merged.lods[g.slot] = joined[i].lod;
    });
    return { ...merged, originSec: earliestOrigin(merged.lanes) };
  } finally {
    previewEnd.abort();
    for (const w of pool) w.terminate();
  }
}

/** Every unit, on the host's workers or (without them, or for one unit) in this thread. */
async function runUnits(
  units: Unit[],
  refs: SourceRef[],
  host: DriverHost,
  signal: AbortSignal | undefined,
  onEvent: (unit: Unit, e: UnitEvent) => boolean,
  onIdle: () => void,
): Promise<UnitWorker[]> {
  if (!host.spawn || (host.inlineSingle && units.length === 1)) {
    for (const unit of units) {
      signal?.throwIfAborted();
      let failure: Error | null = null;
      const emit: Emit = (e) => {
        try {
          onEvent(unit, e);
        } catch (err) {
          failure = err as Error;
        }
      };
      await runUnit(taskOf(unit, refs), (r) => host.open(r), emit, signal);
      if (failure) throw failure;
    }
    return [];
  }
  return runPool(units, refs, host, signal, onEvent, onIdle);
}

type Group = JoinTask["groups"][number] & { slot: number };

/**
 * Makes each group one lane with its levels, spread over the workers by size (in this thread
 * without them). A worker that fails fails the import.
 */
async function joinOn(
  workers: UnitWorker[],
  groups: Group[],
  signal: AbortSignal | undefined,
): Promise<{ lane: LaneData; lod: LaneLod }[]> {
  if (!groups.length) return [];
  if (workers.length < 2 || groups.length < 2)
    // The final merge let go of these pieces (mergeDone): nothing else holds them.
    return groups.map((g) => {
      signal?.throwIfAborted();
      return joinGroup(g, true);
    });
  const shares: { load: number; at: number[] }[] = workers.map(() => ({ load: 0, at: [] }));
  const size = (g: Group) => g.pieces.reduce((n, l) => n + laneItems(l), 0);
  const order = groups.map((g, i) => ({ i, n: size(g) })).sort((a, b) => b.n - a.n);
  for (const { i, n } of order) {
    const least = shares.reduce((a, b) => (b.load < a.load ? b : a));
    least.load += n;
    least.at.push(i);
  }
  const out: { lane: LaneData; lod: LaneLod }[] = new Array(groups.length);
  await Promise.all(
    shares.map(
      (share, w) =>
        new Promise<void>((resolve, reject) => {
          if (!share.at.length) return resolve();
          const onAbort = () => reject(new CancelledError());
          signal?.addEventListener("abort", onAbort, { once: true });
          const worker = workers[w];
          worker.onFail((message) => reject(new Error(message)));
          worker.onEvent((e) => {
            if (e.type === "error") return reject(new Error(e.message));
            if (e.type !== "joined") return;
            signal?.removeEventListener("abort", onAbort);
            e.lanes.forEach((lane, k) => (out[share.at[k]] = { lane, lod: e.lods[k] }));
            resolve();
          });
          worker.join({
            groups: share.at.map((i) => ({ pieces: groups[i].pieces, split: groups[i].split })),
          });
        }),
    ),
  );
  return out;
}

function taskOf(unit: Unit, refs: SourceRef[]): UnitTask {
  const wanted = unit.kind === "part" ? [unit.file] : unit.files;
  return { unit, refs: wanted.map((i) => refs[i]) };
}

/**
 * The first bytes of a file, in memory, for the first picture: enough for its first records
 * (a lane appears at once and fills in as its unit is read); 64 KiB heads of 64 files took
 * ~300 ms to read beside the workers, 16 KiB ones ~150 ms.
 */
async function headSource(s: FileSource, bytes = 16 * 1024): Promise<FileSource> {
  return memorySource(s.path, await s.head(Math.min(bytes, s.size)), s.lastModified);
}

/**
 * Runs the units on up to `host.threads` workers, each taking the next unit when free; the
 * workers are handed back, alive, for the final merge (the caller ends them).
 */
function runPool(
  units: Unit[],
  refs: SourceRef[],
  host: DriverHost,
  signal: AbortSignal | undefined,
  onEvent: (unit: Unit, e: UnitEvent) => boolean,
  onIdle: () => void,
): Promise<UnitWorker[]> {
  return new Promise((resolve, reject) => {
    const queue = [...units];
    const workers: UnitWorker[] = [];
    let running = 0;
    let over = false;
    const stop = (e?: unknown) => {
      if (over) return;
      over = true;
      signal?.removeEventListener("abort", onAbort);
      if (e) {
        for (const w of workers) w.terminate();
        reject(e);
      } else resolve(workers);
    };
    const onAbort = () => stop(new CancelledError());
    signal?.addEventListener("abort", onAbort, { once: true });
    const next = (w: UnitWorker, state: { unit: Unit | null }) => {
      const unit = queue.shift();
      state.unit = unit ?? null;
      if (!unit) {
        running--;
        // The last worker done: the whole result follows, so no picture of it (joining a
        // split file's parts for one cost as much as the final join).
        if (running === 0) stop();
        else onIdle();
        return;
      }
      w.run(taskOf(unit, refs));
    };
    const n = Math.max(1, Math.min(host.threads, units.length));
    for (let i = 0; i < n; i++) {
      const w = host.spawn!();
      const state: { unit: Unit | null } = { unit: null };
      workers.push(w);
      running++;
      w.onEvent((e) => {
        if (over || !state.unit) return;
        try {
          if (onEvent(state.unit, e)) next(w, state);
        } catch (err) {
          stop(err);
        }
      });
      w.onFail((message) => stop(new Error(message)));
      next(w, state);
    }
    if (signal?.aborted) onAbort();
  });
}

/**
 * Everything done so far as one set of lanes and reports: file indexes re-pointed at the
 * import's list, a big file's parts joined (their line numbers following on), lanes several
 * units produced merged. `final`: also levels of detail for lanes that were merged.
 */
function mergeDone(
  done: Done[],
  refs: SourceRef[],
  final: boolean,
): { lanes: LaneData[]; lods: LaneLod[]; files: FileReport[]; notes: DatasetNote[]; groups: Group[] } {
  // Reports: one per file (a split file's parts add up), in the import's order.
  const reports: { key: number; report: FileReport }[] = [];
  const byPath = new Map<string, number>(refs.map((r) => [r.path, r.index]));
  const partReports = new Map<number, FileReport[]>();
  const lineOffset = new Map<Done, number>();
  const keyOf = (path: string) => byPath.get(path) ?? minIndexUnder(path, refs);
  // A picture shows a split file only once all its parts are in: joining its parts again at
  // each picture would cost more than reading them (its head's preview stands in meanwhile).
  const partsDone = new Map<number, number>();
  for (const d of done)
    if (d.unit.kind === "part") partsDone.set(d.unit.file, (partsDone.get(d.unit.file) ?? 0) + 1);
  const whole = (u: Unit) => u.kind !== "part" || partsDone.get(u.file) === u.parts;
  const sorted = done
    .filter((d) => final || whole(d.unit))
    .sort((a, b) => unitOrder(a.unit) - unitOrder(b.unit));
  const offsets = new Map<number, number>();
  for (const d of sorted) {
    if (d.unit.kind === "part") {
      const at = offsets.get(d.unit.file) ?? 0;
      lineOffset.set(d, at);
      offsets.set(d.unit.file, at + d.result.lines);
      const list = partReports.get(d.unit.file) ?? [];
      list.push(shiftLines(d.result.files[0], at));
      partReports.set(d.unit.file, list);
    } else for (const r of d.result.files) reports.push({ key: keyOf(r.path), report: r });
  }
  for (const [file, list] of partReports)
    reports.push({ key: file, report: joinReports(list, refs[file].size) });
  reports.sort((a, b) => a.key - b.key);
  const files = reports.map((r) => r.report);
  const position = new Map(files.map((f, i) => [f.path, i]));

  const pieces = new Map<string, { lanes: LaneData[]; lods: (LaneLod | undefined)[]; split: boolean }>();
  for (const d of sorted) {
    const map = d.result.files.map((f) => position.get(f.path) ?? 0);
    const offset = lineOffset.get(d) ?? 0;
    d.result.lanes.forEach((lane, i) => {
      const copy = final ? lane : cloneIndexes(lane);
      remapFiles(copy, map);
      if (offset) shiftLaneLines(copy, offset);
      const entry = pieces.get(lane.info.id) ?? { lanes: [], lods: [], split: false };
      entry.lanes.push(copy);
      entry.lods.push(d.result.lods[i]);
      entry.split ||= d.unit.kind === "part";
      pieces.set(lane.info.id, entry);
    });
  }
  const notes = sorted.flatMap((d) => d.result.notes);
  // The last merge lets go of the units' results as it goes: each lane's pieces can be
  // collected once it is merged, so the whole import is not held twice at its peak.
  if (final) for (const d of done) d.result = { ...d.result, lanes: [], lods: [] };
  const lanes: LaneData[] = [];
  const lods: LaneLod[] = [];
  // The final merge leaves lanes of several pieces to the caller (joinOn), placeholders here.
  const groups: Group[] = [];
  for (const [id, { lanes: parts, lods: partLods, split }] of pieces) {
    if (final) pieces.delete(id);
    if (parts.length === 1) {
      lanes.push(parts[0]);
      lods.push(partLods[0] ?? buildLaneLod(parts[0]));
    } else if (final) {
      groups.push({ pieces: parts, split, slot: lanes.length });
      lanes.push(parts[0]);
      lods.push(undefined as unknown as LaneLod);
    } else {
      const { lane, lod } = joinGroup({ pieces: parts, split });
      lanes.push(lane);
      lods.push(lod);
    }
  }
  return { lanes, lods, files, notes, groups };
}

function unitOrder(u: Unit): number {
  return u.kind === "part" ? u.file + u.part / (u.parts + 1) : Math.min(...u.files);
}

/** A directory's report (a stormlog sink) sits where the first of its files would. */
function minIndexUnder(path: string, refs: SourceRef[]): number {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  let best = Number.MAX_SAFE_INTEGER;
  for (const r of refs) if (r.path.startsWith(prefix) || path === ".") best = Math.min(best, r.index);
  return best;
}

function shiftLines(report: FileReport, by: number): FileReport {
  if (!by) return report;
  return {
    ...report,
    errors: report.errors.map((e) => (e.line ? { ...e, line: e.line + by } : e)),
    warnings: report.warnings.map((w) => w.replace(/^line (\d+)/, (_, n) => `line ${Number(n) + by}`)),
  };
}

/** One file's report from its parts' reports (in order). */
function joinReports(parts: FileReport[], bytes: number): FileReport {
  const warnings: string[] = [];
  for (const p of parts) for (const w of p.warnings) if (!warnings.includes(w)) warnings.push(w);
  return {
    path: parts[0].path,
    format: parts[0].format,
    bytes,
    records: parts.reduce((n, p) => n + p.records, 0),
    errors: parts.flatMap((p) => p.errors),
    warnings,
  };
}

function shiftLaneLines(lane: LaneData, by: number): void {
  for (const col of [lane.spans.line, lane.markers.line])
    for (let i = 0; i < col.length; i++) if (col[i]) col[i] += by;
}

/** A lane whose file and line columns may be rewritten without touching the original. */
function cloneIndexes(lane: LaneData): LaneData {
  return {
    ...lane,
    spans: { ...lane.spans, file: lane.spans.file.slice(), line: lane.spans.line.slice() },
    markers: { ...lane.markers, file: lane.markers.file.slice(), line: lane.markers.line.slice() },
  };
}
