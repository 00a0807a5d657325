import type { FileReportBuilder } from "./report";
import type { FileSource } from "./source";
import { streamJsonElements } from "./jsonStream";
import { decodeHead, forEachLine, jsonErrorLine, readText, textChunks } from "./text";

export type RecordShape = "jsonl" | "array" | "object-array" | "single" | "empty";

export interface RecordReadOptions {
  /** Keys of an object root whose array holds the records ("entries", "events", "traceEvents"). */
  keys: readonly string[];
  /** Rewrites a record's text before JSON.parse (e.g. quoting integers beyond 2^53). */
  prepare?: (text: string) => string;
  /** Envelope keys kept as their JSON text (see JsonStreamOptions.rawEnvelopeKeys). */
  rawEnvelopeKeys?: readonly string[];
  signal?: AbortSignal;
}

export interface RecordReadResult {
  shape: RecordShape;
  /** Small top-level fields of an object root (for "single" the whole record). */
  envelope: Record<string, unknown>;
  streamedKey: string | null;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Whether the text is JSON Lines: its first line is a whole JSON value with more content
 * after it (or, when the first line is broken, the second line is one). A one-line JSON
 * document has nothing after its line; a pretty-printed one has no whole first line.
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

/**
 * Reads every record of a JSON or JSONL source, streaming: JSONL line by line, a JSON
 * array element by element, an object's record array (under `keys`) element by element.
 * Malformed records are errors with their line; a torn last line is a warning; the rest
 * still loads.
 */
export async function readJsonRecords(
  source: FileSource,
  report: FileReportBuilder,
  opts: RecordReadOptions,
  onRecord: (value: unknown, line: number) => void,
): Promise<RecordReadResult> {
  const headText = decodeHead(await source.head(HEAD_BYTES));
  const prepare = opts.prepare ?? ((t: string) => t);
  if (looksLikeJsonl(headText)) {
    await forEachLine(
      source,
      (line) => {
        const text = line.text.trim();
        if (!text) return;
        let value: unknown;
        try {
          value = JSON.parse(prepare(text));
        } catch (e) {
          if (!line.terminated) {
            report.warn(`line ${line.number}: torn last line dropped (the file was still being written)`);
          } else {
            report.error(line.number, `malformed JSON: ${(e as Error).message}`);
          }
          return;
        }
        onRecord(value, line.number);
      },
      opts.signal,
    );
    return { shape: "jsonl", envelope: {}, streamedKey: null };
  }

  const onElement = (text: string, line: number) => {
    let value: unknown;
    try {
      value = JSON.parse(prepare(text));
    } catch (e) {
      report.error(line, `malformed JSON: ${(e as Error).message}`);
      return;
    }
    onRecord(value, line);
  };
  const result = await streamJsonElements(
    textChunks(source, opts.signal),
    { keys: opts.keys, rawEnvelopeKeys: opts.rawEnvelopeKeys },
    onElement,
  );
  if (result.tornElementLine !== null) {
    report.warn(`line ${result.tornElementLine}: torn last record dropped (the file ends inside it)`);
  } else if (result.truncated) {
    report.warn("the document ends before it closes (torn file); every complete record was read");
  }
  if (result.root === "array") return { shape: "array", envelope: {}, streamedKey: null };
  if (result.root === "object") {
    if (result.streamedKey !== null)
      return { shape: "object-array", envelope: result.envelope, streamedKey: result.streamedKey };
    // A torn single object is not a record: only its first fields survived.
    if (result.truncated) return { shape: "empty", envelope: {}, streamedKey: null };
    return { shape: "single", envelope: result.envelope, streamedKey: null };
  }
  return { shape: "empty", envelope: result.envelope, streamedKey: null };
}

/**
 * Quotes integer values of the named keys when they have 16 or more digits, so JSON.parse
 * keeps them exact as strings (nanosecond timestamps exceed 2^53).
 */
export function quoteBigIntegers(keyPattern: string): (text: string) => string {
  const re = new RegExp(`("(?:${keyPattern})"\\s*:\\s*)(-?\\d{16,})(?=\\s*[,}\\]])`, "g");
  return (text) => (text.length > 0 && hasLongDigitRun(text) ? text.replace(re, '$1"$2"') : text);
}

function hasLongDigitRun(text: string): boolean {
  return /\d{16}/.test(text);
}

/** Documents (not record streams) are parsed whole; above this they are refused with a reason. */
const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/**
 * A whole JSON document that must be an object (a saved API response, a report): read,
 * parsed, and on failure an error in the file's report, with the line where JSON.parse
 * stopped. Returns null when there is nothing to use.
 */
export async function readJsonDocument(
  source: FileSource,
  report: FileReportBuilder,
  opts: { prepare?: (text: string) => string; signal?: AbortSignal } = {},
): Promise<Record<string, unknown> | null> {
  if (source.size > MAX_DOCUMENT_BYTES) {
    report.error(undefined, `document of ${source.size} bytes is too large for this shape (limit 256 MiB)`);
    return null;
  }
  const text = await readText(source, opts.signal);
  let doc: unknown;
  try {
    doc = JSON.parse(opts.prepare ? opts.prepare(text) : text);
  } catch (e) {
    report.error(jsonErrorLine(text, e as Error), `malformed JSON: ${(e as Error).message}`);
    return null;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    report.error(undefined, "expected a JSON object");
    return null;
  }
  return doc as Record<string, unknown>;
}
