import { ModelBuilder } from "../model/builder";
import { MAX_VALUE_DEPTH } from "../model/depth";
import type { DatasetNote, FileReport, LaneData } from "../model/types";
import { DIRECTORY_FORMATS, detectFormat, FORMATS } from "../formats";
import type { DirectoryFormat, Format, Head, ParseContext } from "../formats/types";
import { gzipAware, isGzip } from "./gzip";
import { explainUnknown, readHead } from "./head";
import { errorText, FileReportBuilder } from "./report";
import { baseName, countingSource, dirName, type FileSource } from "./source";

export { readHead } from "./head";

/** Progress at the start of reading these inputs. */
export function startProgress(inputs: readonly { size: number }[]): IngestProgress {
  return {
    filesDone: 0,
    filesTotal: inputs.length,
    bytesDone: 0,
    bytesTotal: inputs.reduce((n, s) => n + s.size, 0),
    records: 0,
    currentPath: null,
  };
}

export function earliestOrigin(lanes: LaneData[]): number {
  return lanes.length ? Math.min(...lanes.map((l) => l.originSec)) : 0;
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  records: number;
  currentPath: string | null;
}

export interface IngestOptions {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** Called as each input finishes, with its report (streaming UIs show it at once). */
  onFile?: (report: FileReport) => void;
  formats?: Format[];
  directoryFormats?: DirectoryFormat[];
  /** Read every input as this format, without detection (a part of a file already detected). */
  forceFormat?: Format;
}

export interface IngestResult {
  /** The earliest lane origin (each lane has its own; see LaneData.originSec). */
  originSec: number;
  lanes: LaneData[];
  files: FileReport[];
  notes: DatasetNote[];
}

/**
 * Reads every input into one model. A file that fails never stops the others: its error
 * goes into its report. Cancellation (signal) stops between records and throws AbortError.
 */
export async function ingest(sources: FileSource[], opts: IngestOptions = {}): Promise<IngestResult> {
  const formats = opts.formats ?? FORMATS;
  const directoryFormats = opts.directoryFormats ?? DIRECTORY_FORMATS;
  const builder = new ModelBuilder();
  const files: FileReport[] = [];
  const notes: DatasetNote[] = [];
  const progress = startProgress(sources);
  const byName = new Map(sources.map((s) => [s.path, s]));
  const heads = new Map<FileSource, Promise<Head>>();
  const headOf = (s: FileSource) => {
    let h = heads.get(s);
    if (!h) heads.set(s, (h = readHead(gzipAware(s))));
    return h;
  };
  let lastEmit = 0;
  const emit = (force = false) => {
    const now = Date.now();
    if (!force && now - lastEmit < 50) return;
    lastEmit = now;
    opts.onProgress?.({ ...progress });
  };
  const counted = (s: FileSource) =>
    // Counted before decompression: progress is in bytes on disk, as bytesTotal is.
    gzipAware(
      countingSource(s, (n) => {
        progress.bytesDone += n;
        emit();
      }),
    );

  const sharedState = new Map<string, { finish(): void }>();
  /** Which inputs (by index) each shared state holds records of: they share its fate in finish(). */
  const sharedBy = new Map<string, Set<number>>();
  const reports: FileReportBuilder[] = [];
  const warnCuts = (index: number) => {
    const cuts = builder.argsCuts.get(index);
    if (!cuts) return;
    builder.argsCuts.delete(index);
    const where = cuts.line ? `line ${cuts.line}: ` : "";
    const more = cuts.count > 1 ? ` (${cuts.count} spans or markers in all)` : "";
    reports[index].warn(
      `${where}values nested deeper than ${MAX_VALUE_DEPTH} levels were cut, shown as a marker${more}`,
    );
  };
  const run = async (
    path: string,
    bytes: number,
    format: Format | DirectoryFormat,
    parse: (ctx: ParseContext) => Promise<void>,
  ) => {
    const report = new FileReportBuilder(path, format.id, bytes);
    const index = files.length;
    reports[index] = report;
    builder.setFile(index);
    progress.currentPath = path;
    emit(true);
    const ctx: ParseContext = {
      builder,
      report,
      note: (n) => notes.push(n),
      sibling: (name) => byName.get(dirName(path) ? `${dirName(path)}/${name}` : name),
      signal: opts.signal,
      fileIndex: index,
      shared: <T extends { finish(): void }>(key: string, create: () => T): T => {
        let state = sharedState.get(key);
        if (!state) sharedState.set(key, (state = create()));
        if (!sharedBy.has(key)) sharedBy.set(key, new Set());
        sharedBy.get(key)!.add(index);
        return state as T;
      },
    };
    try {
      await parse(ctx);
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      report.error(undefined, `could not be read: ${errorText(e)}`);
    }
    warnCuts(index);
    const built = report.build();
    files.push(built);
    progress.records += built.records;
    opts.onFile?.(built);
  };

  // Directory formats first: a stormlog sink is one input, not many files.
  const claimed = new Set<FileSource>();
  const byDir = new Map<string, FileSource[]>();
  for (const s of sources) {
    const d = dirName(s.path);
    if (!byDir.has(d)) byDir.set(d, []);
    byDir.get(d)!.push(s);
  }
  for (const [dir, dirFiles] of byDir) {
    for (const df of directoryFormats) {
      let taken: FileSource[] | null = null;
      try {
        taken = await df.claim(
          dir,
          dirFiles.filter((f) => !claimed.has(f)),
          headOf,
        );
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        // A claim that fails takes nothing: the files are still read one by one below.
      }
      if (!taken || !taken.length) continue;
      for (const f of taken) claimed.add(f);
      const bytes = taken.reduce((n, f) => n + f.size, 0);
      await run(dir || ".", bytes, df, (ctx) => df.parse(dir, taken.map(counted), ctx));
      progress.filesDone += taken.length;
    }
  }

  for (const source of sources) {
    if (claimed.has(source)) continue;
    opts.signal?.throwIfAborted();
    let head: Head | null = null;
    let headError: unknown = null;
    try {
      head = await headOf(source);
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      headError = e;
    }
    // Detection is done with the head: a big one (up to 16 MiB) is not kept to the end.
    heads.delete(source);
    const detection = opts.forceFormat
      ? { format: opts.forceFormat }
      : head
        ? detectFormat(head, formats)
        : { format: null };
    if (!detection.format) {
      const report = new FileReportBuilder(source.path, "unknown", source.size);
      reports[files.length] = report;
      const companion = /^(.*)-(wal|shm|journal)$/.exec(source.path);
      if (!head) report.error(undefined, `could not be read: ${errorText(headError)}`);
      else if (companion && byName.has(companion[1]))
        report.warn(`SQLite ${companion[2]} file of ${baseName(companion[1])}: read together with it`);
      else explainUnknown(head, report, isGzip(await source.head(2)));
      const built = report.build();
      files.push(built);
      opts.onFile?.(built);
      progress.bytesDone += source.size;
    } else {
      const format = detection.format;
      await run(source.path, source.size, format, (ctx) => format.parse(counted(source), ctx));
    }
    progress.filesDone++;
    emit();
  }
  // Records merged across inputs are built here; a failure costs the inputs that fed that
  // state, which get the error in their reports, and never the rest of the run.
  builder.setFile(-1);
  const touched = new Set<number>();
  for (const [key, state] of sharedState) {
    const inputs = sharedBy.get(key) ?? new Set<number>();
    try {
      state.finish();
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      for (const i of inputs) reports[i].error(undefined, `could not be finished: ${errorText(e)}`);
    }
    for (const i of inputs) touched.add(i);
  }
  for (const i of builder.argsCuts.keys()) if (reports[i]) touched.add(i);
  for (const i of touched) {
    warnCuts(i);
    files[i] = reports[i].build();
  }
  progress.currentPath = null;
  emit(true);
  const lanes = builder.build();
  return { originSec: earliestOrigin(lanes), lanes, files, notes };
}
