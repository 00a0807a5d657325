import { ModelBuilder } from "../model/builder";
import type { DatasetNote, FileReport, LaneData } from "../model/types";
import { DIRECTORY_FORMATS, detectFormat, FORMATS } from "../formats";
import type { DirectoryFormat, Format, Head, ParseContext } from "../formats/types";
import { gzipAware, isGzip } from "./gzip";
import { FileReportBuilder } from "./report";
import { baseName, countingSource, dirName, type FileSource } from "./source";
import { binaryReason, decodeHead, jsonErrorLine } from "./text";

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
}

export interface IngestResult {
  /** The earliest lane origin (each lane has its own; see LaneData.originSec). */
  originSec: number;
  lanes: LaneData[];
  files: FileReport[];
  notes: DatasetNote[];
}

const HEAD_BYTES = 64 * 1024;

export function earliestOrigin(lanes: LaneData[]): number {
  return lanes.length ? Math.min(...lanes.map((l) => l.originSec)) : 0;
}

export async function readHead(source: FileSource): Promise<Head> {
  const bytes = await source.head(HEAD_BYTES);
  return {
    path: source.path,
    name: baseName(source.path).toLowerCase(),
    size: source.size,
    bytes,
    text: decodeHead(bytes),
  };
}

/** Why a file is not telemetry: a warning, or an error with its line when the JSON is broken. */
function explainUnknown(head: Head, report: FileReportBuilder, compressed: boolean): void {
  if (head.size === 0) return report.warn("empty file");
  const binary = binaryReason(head.bytes);
  if (binary) return report.warn(binary);
  const text = head.text.trimStart();
  if (!text) return report.warn("only whitespace");
  if (text[0] !== "{" && text[0] !== "[") return report.warn("not a telemetry format Rankscope knows");
  // A gzip file's head is decompressed: it is whole only when it came up short.
  if (head.bytes.length < HEAD_BYTES || (!compressed && head.bytes.length >= head.size)) {
    try {
      JSON.parse(head.text);
    } catch (e) {
      return report.error(
        jsonErrorLine(head.text, e as Error),
        `malformed JSON, and not recognisable as telemetry: ${(e as Error).message}`,
      );
    }
  }
  const keys = [
    ...new Set([...head.text.slice(0, 4096).matchAll(/"([A-Za-z_][\w.-]{0,40})"\s*:/g)].map((m) => m[1])),
  ].slice(0, 6);
  report.warn(
    `JSON, but not a telemetry shape Rankscope knows${keys.length ? ` (keys: ${keys.join(", ")})` : ""}`,
  );
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
  const progress: IngestProgress = {
    filesDone: 0,
    filesTotal: sources.length,
    bytesDone: 0,
    bytesTotal: sources.reduce((n, s) => n + s.size, 0),
    records: 0,
    currentPath: null,
  };
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
  // Counted before decompression: progress is in bytes on disk, as bytesTotal is.
  const counted = (s: FileSource) =>
    gzipAware(
      countingSource(s, (n) => {
        progress.bytesDone += n;
        emit();
      }),
    );

  const sharedState = new Map<string, { finish(): void }>();
  const run = async (
    path: string,
    bytes: number,
    format: Format | DirectoryFormat,
    parse: (ctx: ParseContext) => Promise<void>,
  ) => {
    const report = new FileReportBuilder(path, format.id, bytes);
    builder.setFile(files.length);
    progress.currentPath = path;
    emit(true);
    const ctx: ParseContext = {
      builder,
      report,
      note: (n) => notes.push(n),
      sibling: (name) => byName.get(dirName(path) ? `${dirName(path)}/${name}` : name),
      signal: opts.signal,
      fileIndex: files.length,
      shared: <T extends { finish(): void }>(key: string, create: () => T): T => {
        let state = sharedState.get(key);
        if (!state) sharedState.set(key, (state = create()));
        return state as T;
      },
    };
    try {
      await parse(ctx);
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      report.error(undefined, `could not be read: ${(e as Error).message ?? String(e)}`);
    }
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
      const taken = await df.claim(
        dir,
        dirFiles.filter((f) => !claimed.has(f)),
        headOf,
      );
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
    const head = await headOf(source);
    const detection = detectFormat(head, formats);
    if (!detection.format) {
      const report = new FileReportBuilder(source.path, "unknown", source.size);
      const companion = /^(.*)-(wal|shm|journal)$/.exec(source.path);
      if (companion && byName.has(companion[1]))
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
  builder.setFile(-1);
  for (const state of sharedState.values()) state.finish();
  progress.currentPath = null;
  emit(true);
  const lanes = builder.build();
  return { originSec: earliestOrigin(lanes), lanes, files, notes };
}
