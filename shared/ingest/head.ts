import type { Head } from "../formats/types";
import type { FileReportBuilder } from "./report";
import { baseName, type FileSource } from "./source";
import { binaryReason, decodeHead, jsonErrorLine } from "./text";

/** What detection reads of every file: enough for a document's first keys or a text format's first lines. */
export const HEAD_BYTES = 64 * 1024;

/**
 * How far detection reads on when that is not enough: JSON Lines whose first records are
 * longer than the head, or a file that starts with blank lines. A one-line JSON document
 * is read this far too (it cannot be told from a long first record before the line ends).
 */
export const MAX_HEAD_BYTES = 16 * 1024 * 1024;

/**
 * The first bytes of a file, as detection and the record readers see them: at least
 * HEAD_BYTES, and for JSON-looking text, on until its first two non-empty lines are whole
 * (or the file or MAX_HEAD_BYTES ends), so a format is never judged by half a record.
 */
export async function readHead(source: FileSource): Promise<Head> {
  let n = HEAD_BYTES;
  for (;;) {
    const bytes = await source.head(n);
    const text = decodeHead(bytes);
    if (bytes.length >= source.size || bytes.length < n || n >= MAX_HEAD_BYTES || headIsEnough(text)) {
      return { path: source.path, name: baseName(source.path).toLowerCase(), size: source.size, bytes, text };
    }
    n = Math.min(n * 4, MAX_HEAD_BYTES);
  }
}

const SPACE = /\S/g;

function nextContent(text: string, from: number): number {
  SPACE.lastIndex = from;
  const m = SPACE.exec(text);
  return m ? m.index : -1;
}

/** True when the text holds what detection needs: content, and for JSON two whole lines. */
export function headIsEnough(text: string): boolean {
  const start = nextContent(text, 0);
  if (start < 0) return false;
  if (text[start] !== "{" && text[start] !== "[") return true;
  const first = text.indexOf("\n", start);
  if (first < 0) return false;
  const second = nextContent(text, first + 1);
  return second >= 0 && text.indexOf("\n", second) >= 0;
}

/** Why a file is not telemetry: a warning, or an error with its line when the JSON is broken. */
export function explainUnknown(head: Head, report: FileReportBuilder): void {
  if (head.size === 0) return report.warn("empty file");
  const binary = binaryReason(head.bytes);
  if (binary) return report.warn(binary);
  const text = head.text.trimStart();
  if (!text) return report.warn("only whitespace");
  if (text[0] !== "{" && text[0] !== "[") return report.warn("not a telemetry format Rankscope knows");
  if (head.bytes.length >= head.size) {
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
    ...new Set([...text.slice(0, 4096).matchAll(/"([A-Za-z_][\w.-]{0,40})"\s*:/g)].map((m) => m[1])),
  ].slice(0, 6);
  report.warn(
    `JSON, but not a telemetry shape Rankscope knows${keys.length ? ` (keys: ${keys.join(", ")})` : ""}`,
  );
}
