/**
 * How an import is cut into work for several workers. Small imports are one unit (every
 * cross-file join happens in one place, exactly). Big ones are cut by directory (a stormlog
 * sink, a RUNE store with its -wal, one node's files stay together), and a big file of one
 * record per line is cut into parts at line boundaries, read side by side and joined again
 * (merge.ts `joinParts`).
 */
import type { FormatId } from "../model/types";
import { detectFormat } from "../formats";
import type { Head } from "../formats/types";
import { looksLikeJsonl } from "./head";
import { dirName, type FileSource } from "./source";

/** A file of the import as workers name it: its index in the import's list, and what it is. */
export interface SourceRef {
  index: number;
  path: string;
  size: number;
  lastModified: number;
  /**
   * Where the host finds it, whatever it is there: a path as bytes (Node), a File (browser),
   * a URL (web mode's launcher). It crosses to workers as a structured clone.
   */
  handle: unknown;
}

export type Unit =
  /** Files read together by one worker. */
  | { kind: "files"; files: number[]; bytes: number }
  /**
   * Bytes [start, end) of one file, read as `format`: part `part` of `parts`. `envelope`: the
   * file's bytes [0, head) before and [tail, size) after, read around the part (a slice of a
   * JSON document's record array is read as a document with that array).
   */
  | {
      kind: "part";
      file: number;
      start: number;
      end: number;
      part: number;
      parts: number;
      format: FormatId;
      bytes: number;
      envelope?: { head: number; tail: number };
    };

export interface UnitLimits {
  /** Below this total, one worker reads everything. */
  parallelMinBytes: number;
  /** A single file this big is split into parts (if its format reads one record per line). */
  splitMinBytes: number;
  /**
   * About how big a part is (a file has at least one part per worker): each part costs a
   * request, its envelope's reads and a seam to join, and on the 339 MB bench trace 14 parts
   * of 24 MB read 0.4-0.8 s slower than 6 of 64 MB.
   */
  partBytes: number;
}

export const UNIT_LIMITS: UnitLimits = {
  parallelMinBytes: 64 * 1024 * 1024,
  splitMinBytes: 64 * 1024 * 1024,
  partBytes: 64 * 1024 * 1024,
};
/** How far past a cut to look for the end of its line before giving up on splitting. */
const MAX_LINE_SEARCH = 16 * 1024 * 1024;

/** Formats whose records are whole lines that can be read in any order and merged. */
const LINE_FORMATS = new Set<FormatId>([
  "skulk.flight-recorder",
  "stormlog.events",
  "otlp.traces",
  "chrome-trace",
]);

/** The offset just past the first newline at or after `at`, or null when none is near. */
async function lineStartAfter(source: FileSource, at: number): Promise<number | null> {
  let window = 64 * 1024;
  while (window <= MAX_LINE_SEARCH) {
    const end = Math.min(source.size, at + window);
    const bytes = await source.slice!(at, end).bytes();
    const nl = bytes.indexOf(10);
    if (nl >= 0) return at + nl + 1;
    if (end >= source.size) return null;
    window *= 4;
  }
  return null;
}

/**
 * Where to cut the bytes [from, to) into parts (each target is then moved to a record
 * boundary): parts of about `partBytes`, at least one per worker, and the last ones smaller.
 * Workers take the next part when free, so they end apart by up to a part's time: with equal
 * parts one worker waited for the other's last part (a second of the 339 MB bench trace's
 * 9 s). The last `workers` parts' worth is cut in twice as many, half as big.
 */
export function partTargets(from: number, to: number, workers: number, partBytes: number): number[] {
  const w = Math.max(1, workers);
  const size = Math.max(1, Math.min(partBytes, (to - from) / w));
  const targets: number[] = [];
  let at = from;
  while (to - at > w * size) targets.push((at += size));
  const rest = to - at;
  for (let k = 1; k < 2 * w; k++) targets.push(at + (rest * k) / (2 * w));
  return targets.map(Math.floor).filter((t, i, all) => t > from && t < to && (i === 0 || t > all[i - 1]));
}

function partsOf(
  file: number,
  format: FormatId,
  cuts: { start: number; end: number }[],
  envelope?: { head: number; tail: number },
): Unit[] {
  return cuts.map((c, part) => ({
    kind: "part" as const,
    file,
    start: c.start,
    end: c.end,
    part,
    parts: cuts.length,
    format,
    bytes: c.end - c.start,
    ...(envelope ? { envelope } : {}),
  }));
}

const TEXT = new TextDecoder();

/**
 * Where the `traceEvents` array of a big Chrome trace starts and ends, and cuts between its
 * events: after the comma that ends an event, where a line begins with the next one (an event
 * per line, as profilers write them). Only traces on an absolute clock are cut (epoch `ts` or
 * Kineto's `baseTimeNanoseconds`): a trace counting from boot is placed by its earliest event,
 * which only a reader of the whole file knows.
 */
async function splitTraceDocument(
  source: FileSource,
  file: number,
  head: Head,
  workers: number,
  limits: UnitLimits,
): Promise<Unit[] | null> {
  const open = /"traceEvents"\s*:\s*\[/.exec(head.text);
  if (!open || !source.slice) return null;
  // The byte offset of the array's "[" (the head's text may differ from its bytes in length).
  const arrayStart = new TextEncoder().encode(head.text.slice(0, open.index + open[0].length)).length;
  const end = await arrayEnd(source);
  if (end === null || end.at <= arrayStart) return null;
  const absolute =
    /"baseTimeNanoseconds"\s*:/.test(head.text.slice(0, open.index) + end.rest) ||
    /"ts"\s*:\s*"?\d{15,}/.test(head.text.slice(open.index));
  if (!absolute) return null;
  const tail = end.at;
  const cuts: { start: number; end: number }[] = [];
  let start = arrayStart;
  for (const target of partTargets(arrayStart, tail, workers, limits.partBytes)) {
    const cut = await eventBoundary(source, target, tail);
    if (cut === null || cut.comma <= start) continue;
    cuts.push({ start, end: cut.comma });
    start = cut.comma + 1;
  }
  if (!cuts.length) return null;
  cuts.push({ start, end: tail });
  return partsOf(file, "chrome-trace", cuts, { head: arrayStart, tail });
}

/** The offset of the `]` that closes the record array (what follows it must close the document), and that rest. */
async function arrayEnd(source: FileSource): Promise<{ at: number; rest: string } | null> {
  const from = Math.max(0, source.size - 64 * 1024);
  const text = TEXT.decode(await source.slice!(from, source.size).bytes());
  for (let i = text.lastIndexOf("]"); i >= 0; i = text.lastIndexOf("]", i - 1)) {
    const rest = text.slice(i + 1).trim();
    let closes = rest === "" || rest === "}";
    if (!closes && rest.startsWith(",")) {
      try {
        JSON.parse(`{"_":0${rest}`);
        closes = true;
      } catch {
        closes = false;
      }
    }
    if (closes) return { at: from + new TextEncoder().encode(text.slice(0, i)).length, rest };
  }
  return null;
}

/**
 * The first event boundary at or after `at`: the comma ending an event, then a line opening
 * the next. Read in growing windows: most cuts find one in the first few KiB, and reading
 * the whole search range for each cut cost a 339 MB trace 200 MB of reads before it began.
 */
async function eventBoundary(
  source: FileSource,
  at: number,
  limit: number,
): Promise<{ comma: number } | null> {
  for (let window = 64 * 1024; ; window *= 4) {
    const end = Math.min(limit, at + Math.min(window, MAX_LINE_SEARCH));
    const last = end >= limit || window >= MAX_LINE_SEARCH;
    const found = boundaryIn(await source.slice!(at, end).bytes(), last);
    if (found !== undefined) return found === null ? null : { comma: at + found };
  }
}

/** Where in `bytes` an event boundary's comma is; null if none; undefined if more bytes might show one. */
function boundaryIn(bytes: Uint8Array, last: boolean): number | null | undefined {
  for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, nl + 1)) {
    let j = nl + 1;
    while (j < bytes.length && (bytes[j] === 32 || bytes[j] === 9 || bytes[j] === 13)) j++;
    if (j === bytes.length) return last ? null : undefined;
    if (bytes[j] !== 123 /* { */) continue;
    let i = nl - 1;
    while (i >= 0 && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 13)) i--;
    if (bytes[i] !== 44 /* , */) continue;
    // An event begins here only if its line is a whole event (not an object inside one).
    const lineEnd = bytes.indexOf(10, j);
    if (lineEnd < 0 && !last) return undefined;
    const line = TEXT.decode(bytes.subarray(j, lineEnd < 0 ? bytes.length : lineEnd))
      .trim()
      .replace(/,$/, "");
    try {
      const v = JSON.parse(line) as Record<string, unknown>;
      if (v && typeof v === "object" && "ph" in v) return i;
    } catch {
      // not a one-line event: keep looking
    }
  }
  return last ? null : undefined;
}

/** Parts of a big line-per-record file, or null when it cannot (or need not) be split. */
async function splitFile(
  source: FileSource,
  file: number,
  head: Head,
  workers: number,
  limits: UnitLimits,
): Promise<Unit[] | null> {
  if (!source.slice || source.size < limits.splitMinBytes) return null;
  const format = detectFormat(head).format;
  if (!format) return null;
  if (!looksLikeJsonl(head.text))
    return format.id === "chrome-trace" ? splitTraceDocument(source, file, head, workers, limits) : null;
  if (!LINE_FORMATS.has(format.id)) return null;
  // Every cut's line end is looked for at once (over HTTP, one after another cost a round trip each).
  const found = await Promise.all(
    partTargets(0, source.size, workers, limits.partBytes).map((at) => lineStartAfter(source, at)),
  );
  const cuts = [0];
  for (const at of found) {
    if (at === null) break;
    if (at > cuts[cuts.length - 1] && at < source.size) cuts.push(at);
  }
  cuts.push(source.size);
  if (cuts.length < 3) return null;
  return partsOf(
    file,
    format.id,
    cuts.slice(0, -1).map((start, part) => ({ start, end: cuts[part + 1] })),
  );
}

/**
 * The units of an import, biggest first (so the last to finish is a small one). `headOf`
 * gives a file's head as detection sees it.
 */
export async function planUnits(
  sources: readonly FileSource[],
  workers: number,
  headOf: (s: FileSource) => Promise<Head>,
  limits: UnitLimits = UNIT_LIMITS,
): Promise<Unit[]> {
  const total = sources.reduce((n, s) => n + s.size, 0);
  const all = sources.map((_, i) => i);
  if (workers <= 1 || total < limits.parallelMinBytes) return [{ kind: "files", files: all, bytes: total }];
  const units: Unit[] = [];
  const dirs = new Map<string, number[]>();
  // A file is cut only when it is big beside the whole import: many big files keep every
  // worker busy as they are, and cutting each cost reads before any worker began (3.4 s for
  // 64 files of 110 MB over HTTP) and a join of every lane at the end.
  const share = total / (2 * workers);
  const split = await Promise.all(
    sources.map(async (s, i) =>
      s.size >= limits.splitMinBytes && s.size > share
        ? splitFile(s, i, await headOf(s), workers, limits)
        : null,
    ),
  );
  for (let i = 0; i < sources.length; i++) {
    const parts = split[i];
    const s = sources[i];
    if (parts) {
      units.push(...parts);
      continue;
    }
    const d = dirName(s.path);
    if (!dirs.has(d)) dirs.set(d, []);
    dirs.get(d)!.push(i);
  }
  for (const files of dirs.values())
    units.push({ kind: "files", files, bytes: files.reduce((n, i) => n + sources[i].size, 0) });
  return units.sort((a, b) => b.bytes - a.bytes);
}
