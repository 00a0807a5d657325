import { cutDeepValues, MAX_VALUE_DEPTH } from "../model/depth";
import { looksLikeJsonl, readHead } from "./head";

export { looksLikeJsonl } from "./head";
import { MAX_RECORD_CHARS, recordTooLarge, sizeText } from "./limits";
import { errorText, type FileReportBuilder } from "./report";
import type { FileSource } from "./source";
import { streamJsonElements } from "./jsonStream";
import { forEachLine, jsonErrorLine, readText, textChunks } from "./text";

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

/**
 * Reads every record of a JSON or JSONL source, streaming: JSONL line by line, a JSON
 * array element by element, an object's record array (under `keys`) element by element.
 * Malformed records are errors with their line; a torn last line is a warning; a record
 * over MAX_RECORD_CHARS is refused unread, and one that `onRecord` fails on (a value nested
 * too deep for a format's helper) is that record's error: the rest still loads.
 */
export async function readJsonRecords(
  source: FileSource,
  report: FileReportBuilder,
  opts: RecordReadOptions,
  onRecord: (value: unknown, line: number) => void,
): Promise<RecordReadResult> {
  const headText = (await readHead(source)).text;
  const prepare = opts.prepare ?? ((t: string) => t);
  const deliver = (value: unknown, line: number) => {
    try {
      onRecord(value, line);
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      report.error(line, `record could not be read: ${errorText(e)}`);
    }
  };
  const take = (text: string, line: number, torn = false) => {
    let value: unknown;
    try {
      value = JSON.parse(prepare(text));
    } catch (e) {
      if (torn) report.warn(`line ${line}: torn last line dropped (the file was still being written)`);
      else report.error(line, `malformed JSON: ${(e as Error).message}`);
      return;
    }
    deliver(value, line);
  };
  const tooLarge = (line: number, chars: number) => report.error(line, recordTooLarge(chars, line));
  const invalid = invalidCounter();
  const lines = async (from = 1) => {
    await forEachLine(
      source,
      (line) => {
        const text = line.text.trim();
        if (text && line.number >= from) take(text, line.number, !line.terminated);
      },
      opts.signal,
      { onTooLong: (line, chars) => line >= from && tooLarge(line, chars), onInvalid: invalid.add },
    );
    invalid.warn(report);
    return { shape: "jsonl" as const, envelope: {}, streamedKey: null };
  };
  if (looksLikeJsonl(headText)) return lines();

  const result = await streamJsonElements(
    textChunks(source, opts.signal, invalid.add),
    {
      keys: opts.keys,
      rawEnvelopeKeys: opts.rawEnvelopeKeys,
      onTooLarge: tooLarge,
      // One record per line (what profilers write): parsed at once, without a scan of it.
      onLine: (text, line) => {
        let value: unknown;
        try {
          value = JSON.parse(prepare(text));
        } catch {
          return false;
        }
        deliver(value, line);
        return true;
      },
    },
    (text, line) => take(text, line),
  );
  // The first record was longer than the head: it is JSON Lines after all. Records the
  // first line streamed (an OTLP batch under "resourceSpans") are not read twice.
  if (result.secondValueLine !== null && result.root === "object") {
    invalid.reset();
    return lines(result.streamedKey === null ? 1 : result.secondValueLine);
  }
  invalid.warn(report);
  if (result.secondValueLine !== null)
    report.warn(`line ${result.secondValueLine}: content after the end of the JSON array was not read`);
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
    if (result.envelopeChars > MAX_RECORD_CHARS) {
      tooLarge(1, result.envelopeChars);
      return { shape: "empty", envelope: {}, streamedKey: null };
    }
    for (const { key, chars } of result.droppedKeys)
      report.warn(
        `field "${key}" (${sizeText(chars)}) left out: a field of a single record is kept up to 4 MiB`,
      );
    warnCuts(report, cutDeepValues(result.envelope));
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
  const invalid = invalidCounter();
  const text = await readText(source, opts.signal, invalid.add);
  invalid.warn(report);
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
  // A document is walked by its format's own code: nothing in it may be deep enough to overflow.
  warnCuts(report, cutDeepValues(doc));
  return doc as Record<string, unknown>;
}

function warnCuts(report: FileReportBuilder, cuts: number): void {
  if (cuts)
    report.warn(`${cuts} value(s) nested deeper than ${MAX_VALUE_DEPTH} levels were cut (shown as a marker)`);
}

/** Counts invalid UTF-8 sequences as they are decoded; warns once, after the read. */
function invalidCounter() {
  let n = 0;
  return {
    add: (k: number) => void (n += k),
    reset: () => void (n = 0),
    warn(report: FileReportBuilder) {
      if (n)
        report.warn(`${n} invalid UTF-8 sequence(s) read as U+FFFD (the text around them may be garbled)`);
    },
  };
}
