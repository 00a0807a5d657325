import type { ModelBuilder } from "../model/builder";
import type { DatasetNote, FormatId, SourceFamily } from "../model/types";
import type { FileReportBuilder } from "../ingest/report";
import type { FileSource } from "../ingest/source";

/** What detection sees of a file: its first bytes, decoded, and its path as a hint. */
export interface Head {
  path: string;
  /** Lower-cased base name, a hint only: detection must work with it hidden. */
  name: string;
  size: number;
  bytes: Uint8Array;
  text: string;
}

export interface ParseContext {
  builder: ModelBuilder;
  report: FileReportBuilder;
  /** Dataset-level findings (e.g. unreachable nodes). */
  note(note: DatasetNote): void;
  /** Another file of the same input beside this one (e.g. "jobs.db-wal"), by base name. */
  sibling(name: string): FileSource | undefined;
  signal?: AbortSignal;
  /** Index of this input in the dataset's file list (spans and markers point at it). */
  fileIndex: number;
  /**
   * State shared by every input of one ingest run, created on first use; `finish` runs once
   * after the last input. Formats that merge records across files (a runner seen in node
   * diagnostics and in the cluster timeline) keep their collector here.
   */
  shared<T extends { finish(): void }>(key: string, create: () => T): T;
}

export interface Format {
  id: FormatId;
  family: SourceFamily;
  /**
   * Confidence that the file is in this format, 0 (no) to 1 (certain), from content first;
   * the name may only break ties. Must be cheap and never throw.
   */
  detect(head: Head): number;
  parse(source: FileSource, ctx: ParseContext): Promise<void>;
}

/**
 * A format whose unit is a directory (a stormlog sink). `claim` looks at a directory's
 * files and returns the ones it takes as one input, or null.
 */
export interface DirectoryFormat {
  id: FormatId;
  family: SourceFamily;
  claim(
    dir: string,
    files: FileSource[],
    heads: (f: FileSource) => Promise<Head>,
  ): Promise<FileSource[] | null>;
  parse(dir: string, files: FileSource[], ctx: ParseContext): Promise<void>;
}

/** True when every key appears in the text as a JSON key. */
export function hasKeys(text: string, ...keys: string[]): boolean {
  return keys.every((k) => text.includes(`"${k}"`));
}

export function firstNonSpace(text: string): string {
  const m = /\S/.exec(text);
  return m ? m[0] : "";
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

export function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function int(v: unknown): number | null {
  return typeof v === "number" && Number.isInteger(v) ? v : null;
}
