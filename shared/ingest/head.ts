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
 * HEAD_BYTES, and on until its first record is whole (see headIsEnough; at most
 * MAX_HEAD_BYTES), so a format is never judged by half a record or by blank lines.
 * `text` starts at the first line that is not blank (formats look at "the first line");
 * `bytes` are the file's own first bytes (magic numbers, binary checks).
 */
export async function readHead(source: FileSource): Promise<Head> {
  let n = HEAD_BYTES;
  for (;;) {
    const bytes = await source.head(n);
    const text = withoutBlankLines(decodeHead(bytes));
    if (bytes.length >= source.size || bytes.length < n || n >= MAX_HEAD_BYTES || headIsEnough(text, bytes)) {
      return { path: source.path, name: baseName(source.path).toLowerCase(), size: source.size, bytes, text };
    }
    n = Math.min(n * 4, MAX_HEAD_BYTES);
  }
}

/** The text from its first line that holds anything but spaces and tabs. */
export function withoutBlankLines(text: string): string {
  const start = nextContent(text, 0);
  if (start <= 0) return start < 0 ? "" : text;
  const nl = text.lastIndexOf("\n", start);
  return nl < 0 ? text : text.slice(nl + 1);
}

const SPACE = /\S/g;

function nextContent(text: string, from: number): number {
  SPACE.lastIndex = from;
  const m = SPACE.exec(text);
  return m ? m.index : -1;
}

/**
 * True when the text holds what detection needs: content, and its first two non-empty
 * lines whole (an SSE event's data line, a JSON Lines record and the line after it), or for
 * a JSON document its first record whole (the first element of the root array, or of the
 * root object's record array). Binary content is judged by its first bytes alone.
 */
export function headIsEnough(text: string, bytes: Uint8Array = new Uint8Array(0)): boolean {
  const start = nextContent(text, 0);
  if (start < 0) return false;
  if (bytes.subarray(0, 8192).includes(0)) return true;
  if (text[start] !== "{" && text[start] !== "[") return twoWholeLines(text, start);
  const first = firstRecord(text, start);
  if (first === null) return false;
  return first === "root still open" || twoWholeLines(text, start);
}

function twoWholeLines(text: string, start: number): boolean {
  const first = text.indexOf("\n", start);
  if (first < 0) return false;
  const second = nextContent(text, first + 1);
  return second >= 0 && text.indexOf("\n", second) >= 0;
}

const QUOTE = 34;
const BACKSLASH = 92;

/** Where the first record of the JSON at `start` ends: inside the root, with the root, or not yet. */
function firstRecord(text: string, start: number): "root still open" | "root closed" | null {
  const array = text.charCodeAt(start) === 91;
  const recordDepth = array ? 1 : 2;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return null;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return "root closed";
      if (depth === recordDepth) return "root still open";
    } else if (c === 44 && array && depth === 1) return "root still open";
  }
  return null;
}

/** Index of the quote that closes the string opening at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let from = open + 1; ;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q;
    from = q + 1;
  }
}

/**
 * Whether the text is JSON Lines: its first line is a whole JSON value with more content
 * after it (or, when the first line is broken, the second line is one). A one-line JSON
 * document has nothing after its line; a pretty-printed one has no whole first line.
 * Judged on the head (readHead), so detection and the record readers agree.
 */
export function looksLikeJsonl(headText: string): boolean {
  const lines: string[] = [];
  let from = 0;
  while (lines.length < 2) {
    const nl = headText.indexOf("\n", from);
    if (nl < 0) break;
    const line = headText.slice(from, nl).trim();
    from = nl + 1;
    if (line) lines.push(line);
  }
  if (!lines.length) return false;
  const rest = lines.length > 1 || headText.slice(from).trim().length > 0;
  if (!rest) return false;
  const parses = (l: string) => {
    if (l[0] !== "{" && l[0] !== "[") return false;
    try {
      JSON.parse(l);
      return true;
    } catch {
      return false;
    }
  };
  return parses(lines[0]) || (lines[0][0] === "{" && lines.length > 1 && parses(lines[1]));
}

/** Why a file is not telemetry: a warning, or an error with its line when the JSON is broken. */
export function explainUnknown(head: Head, report: FileReportBuilder, compressed = false): void {
  if (head.size === 0) return report.warn("empty file");
  const binary = binaryReason(head.bytes);
  if (binary) return report.warn(binary);
  const text = head.text.trimStart();
  if (!text) return report.warn("only whitespace");
  if (text[0] !== "{" && text[0] !== "[") return report.warn("not a telemetry format Rankscope knows");
  // A gzip file's head is decompressed: it is whole only when it came up short.
  const whole = compressed ? head.bytes.length < HEAD_BYTES : head.bytes.length >= head.size;
  if (whole && !looksLikeJsonl(head.text)) {
    // The file's own text, blank lines and all, so the error's line is the file's line.
    const whole = decodeHead(head.bytes);
    try {
      JSON.parse(whole);
    } catch (e) {
      return report.error(
        jsonErrorLine(whole, e as Error),
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
