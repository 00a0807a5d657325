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
  /** Bytes [start, end) of one file, read as `format`: part `part` of `parts`. */
  | {
      kind: "part";
      file: number;
      start: number;
      end: number;
      part: number;
      parts: number;
      format: FormatId;
      bytes: number;
    };

export interface UnitLimits {
  /** Below this total, one worker reads everything. */
  parallelMinBytes: number;
  /** A single file this big is split into parts (if its format reads one record per line). */
  splitMinBytes: number;
  /** About how big a part is: small enough to balance two to eight workers, big enough to amortise. */
  partBytes: number;
}

export const UNIT_LIMITS: UnitLimits = {
  parallelMinBytes: 64 * 1024 * 1024,
  splitMinBytes: 64 * 1024 * 1024,
  partBytes: 24 * 1024 * 1024,
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

/** Parts of a big line-per-record file, or null when it cannot (or need not) be split. */
async function splitFile(
  source: FileSource,
  file: number,
  head: Head,
  workers: number,
  limits: UnitLimits,
): Promise<Unit[] | null> {
  if (!source.slice || source.size < limits.splitMinBytes || !looksLikeJsonl(head.text)) return null;
  const format = detectFormat(head).format;
  if (!format || !LINE_FORMATS.has(format.id)) return null;
  const parts = Math.max(workers, Math.ceil(source.size / limits.partBytes));
  const cuts = [0];
  for (let k = 1; k < parts; k++) {
    const at = await lineStartAfter(source, Math.floor((source.size * k) / parts));
    if (at === null) break;
    if (at > cuts[cuts.length - 1] && at < source.size) cuts.push(at);
  }
  cuts.push(source.size);
  if (cuts.length < 3) return null;
  return cuts.slice(0, -1).map((start, part) => ({
    kind: "part" as const,
    file,
    start,
    end: cuts[part + 1],
    part,
    parts: cuts.length - 1,
    format: format.id,
    bytes: cuts[part + 1] - start,
  }));
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
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i];
    const parts =
      s.size >= limits.splitMinBytes ? await splitFile(s, i, await headOf(s), workers, limits) : null;
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
