import { limitText, MAX_RECORD_CHARS, sizeText } from "./limits";
import type { FileSource } from "./source";

/**
 * Decoded text of a source, chunk by chunk (UTF-8; invalid bytes become U+FFFD, and
 * `onInvalid` hears how many sequences were replaced, so the file can say so).
 */
export async function* textChunks(
  source: FileSource,
  signal?: AbortSignal,
  onInvalid?: (replaced: number) => void,
): AsyncIterable<string> {
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
  for await (const chunk of source.chunks()) {
    signal?.throwIfAborted();
    const text = decoder.decode(chunk, { stream: true });
    if (onInvalid) countReplaced(text, chunk, onInvalid);
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (onInvalid && tail) countReplaced(tail, new Uint8Array(0), onInvalid);
  if (tail) yield tail;
}

/**
 * U+FFFD in the text that the bytes did not spell (EF BF BD). Clean text costs one
 * indexOf; a sequence split across two chunks may be miscounted, which a warning survives.
 */
function countReplaced(text: string, bytes: Uint8Array, onInvalid: (n: number) => void): void {
  let at = text.indexOf("\uFFFD");
  if (at < 0) return;
  let inText = 0;
  for (; at >= 0; at = text.indexOf("\uFFFD", at + 1)) inText++;
  let inBytes = 0;
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1))
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) inBytes++;
  if (inText > inBytes) onInvalid(inText - inBytes);
}

export interface Line {
  text: string;
  /** 1-based. */
  number: number;
  /** False for a last line with no newline after it (possibly torn mid-write). */
  terminated: boolean;
}

export interface LineOptions {
  /** Lines longer than this are never assembled (default MAX_RECORD_CHARS). */
  maxLineChars?: number;
  /**
   * Called for a line over the limit instead of onLine, and reading goes on. Without it
   * the read stops there with an error naming the line (the lines before it are kept).
   */
  onTooLong?: (number: number, chars: number) => void;
  /** Told how many invalid UTF-8 sequences were read as U+FFFD. */
  onInvalid?: (replaced: number) => void;
}

/**
 * Lines of a source without ever holding the whole file; strips "\r". A long line is
 * gathered as parts and joined once (re-scanning a growing carry was quadratic), and a line
 * over the limit is only counted, never built.
 */
export async function forEachLine(
  source: FileSource,
  onLine: (line: Line) => void,
  signal?: AbortSignal,
  opts: LineOptions = {},
): Promise<number> {
  const max = opts.maxLineChars ?? MAX_RECORD_CHARS;
  let parts: string[] = [];
  let pending = 0;
  let tooLong = false;
  let number = 0;
  const emit = (last: string, terminated: boolean) => {
    number++;
    if (tooLong || pending + last.length > max) {
      const chars = pending + last.length;
      parts = [];
      pending = 0;
      tooLong = false;
      if (!opts.onTooLong)
        throw new Error(
          `line ${number} is ${sizeText(chars)} long, over the ${limitText(max)} line limit; the lines after it were not read`,
        );
      opts.onTooLong(number, chars);
      return;
    }
    let text = parts.length ? parts.join("") + last : last;
    parts = [];
    pending = 0;
    if (terminated && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    onLine({ text, number, terminated });
  };
  for await (const text of textChunks(source, signal, opts.onInvalid)) {
    let from = 0;
    for (;;) {
      const nl = text.indexOf("\n", from);
      if (nl < 0) break;
      emit(text.slice(from, nl), true);
      from = nl + 1;
    }
    if (from < text.length) {
      const rest = text.length - from;
      if (!tooLong && pending + rest <= max) parts.push(from ? text.slice(from) : text);
      else {
        tooLong = true;
        parts = [];
      }
      pending += rest;
    }
  }
  if (pending || tooLong) emit("", false);
  return number;
}

/** Whole text of a source (small documents only: the caller checks the size). */
export async function readText(
  source: FileSource,
  signal?: AbortSignal,
  onInvalid?: (replaced: number) => void,
): Promise<string> {
  const parts: string[] = [];
  for await (const t of textChunks(source, signal, onInvalid)) parts.push(t);
  return parts.join("");
}

export function decodeHead(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** Why bytes are not text, or null when they look like text. */
export function binaryReason(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  // What Windows PowerShell's `>` writes: say so rather than "binary".
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return "UTF-16 text: Rankscope reads UTF-8 (save the file as UTF-8, e.g. `Out-File -Encoding utf8`)";
  let nul = 0;
  let control = 0;
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) nul++;
    else if (b < 9 || (b > 13 && b < 32)) control++;
  }
  if (nul > 0) return "binary file (contains NUL bytes)";
  if (control > n / 20) return "binary file (control bytes)";
  const text = decodeHead(bytes.subarray(0, n));
  let bad = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  if (bad > Math.max(3, text.length / 100)) return "not UTF-8 text";
  return null;
}

/** Line of a JSON.parse error from V8's "position N", when it gives one. */
export function jsonErrorLine(text: string, e: Error): number | undefined {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return undefined;
  const pos = Number(m[1]);
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * How many "\n" bytes `bytes` holds, four at a time: a typed array's indexOf costs about
 * 1.5 ns a byte in Chromium, and a big trace's parts are counted in full.
 */
export function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  let i = 0;
  const end = bytes.length;
  for (; i < end && (bytes.byteOffset + i) % 4 !== 0; i++) if (bytes[i] === 10) n++;
  const words = (end - i) >> 2;
  const w = words ? new Uint32Array(bytes.buffer, bytes.byteOffset + i, words) : new Uint32Array(0);
  for (let k = 0; k < words; k++) {
    // A byte of x is zero where the byte was "\n"; t has its high bit set for exactly those.
    const x = w[k] ^ 0x0a0a0a0a;
    const t = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
    if (t !== 0) n += ((t >>> 7) & 1) + ((t >>> 15) & 1) + ((t >>> 23) & 1) + (t >>> 31);
  }
  for (i += words * 4; i < end; i++) if (bytes[i] === 10) n++;
  return n;
}
