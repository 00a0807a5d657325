import { MAX_RECORD_CHARS } from "./limits";

/**
 * Streams the elements of a JSON document's record array without building one string of
 * the whole document (V8 caps strings near 512 MB). The root may be an array of records,
 * or an object whose records sit under one of `keys` (`{"traceEvents": [...]}`); the
 * object's other small fields come back as the envelope. Each element's text is handed to
 * `onElement` with the line it starts on, to be parsed by the caller.
 */

export interface JsonStreamOptions {
  /** Keys of an object root whose array value holds the records. */
  keys: readonly string[];
  /** Envelope values longer than this are skipped (default 4 MiB); `droppedKeys` names them. */
  maxEnvelopeChars?: number;
  /**
   * Envelope keys whose value is kept as its JSON text, unparsed: an integer beyond 2^53
   * (Kineto's `baseTimeNanoseconds`) would lose digits in JSON.parse.
   */
  rawEnvelopeKeys?: readonly string[];
  /** Elements longer than this are skipped unassembled (default MAX_RECORD_CHARS). */
  maxElementChars?: number;
  /** Called for each element over the limit, with its first line and length. */
  onTooLarge?: (line: number, chars: number) => void;
  /**
   * Offered an element that looks like it fills its line (`{…},` as profilers write one event
   * per line), before scanning it character by character: true when the callee parsed it
   * whole, so the scan skips it. False (it did not parse) and the element is scanned as usual.
   */
  onLine?: (text: string, line: number) => boolean;
}

export interface JsonStreamResult {
  root: "array" | "object" | "scalar" | "empty";
  envelope: Record<string, unknown>;
  /** The key whose array was streamed, for an object root. */
  streamedKey: string | null;
  /** The document ended before it closed (a torn file). */
  truncated: boolean;
  /** Line of an element that was cut off by the end of the file. */
  tornElementLine: number | null;
  /** Envelope fields left out for their size, with their length. */
  droppedKeys: { key: string; chars: number }[];
  /** Characters of the root object's fields outside the streamed array (a single record's size). */
  envelopeChars: number;
  /**
   * Line where a second top-level value starts: the text is a sequence of values (JSON
   * Lines whose first record was longer than the head), not one document. Scanning stops there.
   */
  secondValueLine: number | null;
}

interface Capture {
  kind: "element" | "envelope";
  key: string;
  start: number;
  parts: string[];
  chars: number;
  depth: number;
  scalar: boolean;
  line: number;
  dropped: boolean;
}

const Q = 34; // "
const LBRACE = 123;
const RBRACE = 125;
const LBRACK = 91;
const RBRACK = 93;
const COMMA = 44;
const COLON = 58;
const NL = 10;

function isSpace(c: number): boolean {
  return c === 32 || c === NL || c === 13 || c === 9;
}

export class JsonElementScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private root: JsonStreamResult["root"] = "empty";
  private expectKey = false;
  private keyStart = -1;
  private keyParts: string[] = [];
  private lastKey = "";
  private streamDepth = -1;
  private streamedKey: string | null = null;
  private cap: Capture | null = null;
  private line = 1;
  private readonly envelope: Record<string, unknown> = {};
  private readonly maxEnvelope: number;
  private readonly maxElement: number;
  private readonly droppedKeys: JsonStreamResult["droppedKeys"] = [];
  private envelopeChars = 0;
  private secondValueLine: number | null = null;
  /** Offers of whole lines that did not parse: after a few the layout is not one per line. */
  private lineMisses = 0;

  constructor(
    private readonly opts: JsonStreamOptions,
    private readonly onElement: (text: string, line: number) => void,
  ) {
    this.maxEnvelope = opts.maxEnvelopeChars ?? 4 << 20;
    this.maxElement = opts.maxElementChars ?? MAX_RECORD_CHARS;
  }

  feed(s: string): void {
    if (this.secondValueLine !== null) return;
    const n = s.length;
    if (this.cap) this.cap.start = 0;
    if (this.keyStart >= 0) this.keyStart = 0;
    let bsPos = -2;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
          i++;
          continue;
        }
        const q = s.indexOf('"', i);
        if (bsPos !== -1 && bsPos < i) bsPos = s.indexOf("\\", i);
        if (bsPos >= 0 && (q < 0 || bsPos < q)) {
          if (bsPos + 1 < n) {
            i = bsPos + 2;
          } else {
            this.escape = true;
            i = n;
          }
          continue;
        }
        if (q < 0) {
          i = n;
          break;
        }
        this.inString = false;
        i = q + 1;
        this.stringEnded(s, q);
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === NL) {
        this.line++;
        this.endScalar(s, i);
      } else if (isSpace(c)) {
        this.endScalar(s, i);
      } else if (c === Q) {
        this.valueStarts(i, true);
        this.inString = true;
        if (this.depth === 1 && this.root === "object" && this.expectKey) {
          this.keyStart = i + 1;
          this.keyParts = [];
        }
      } else if (c === LBRACE && this.depth === this.streamDepth && !this.cap && this.lineMisses < 8) {
        const end = this.wholeLine(s, i);
        if (end > 0) {
          i = end;
          continue;
        }
        this.valueStarts(i, false);
        this.depth++;
      } else if (c === LBRACE || c === LBRACK) {
        if (this.depth === 0 && this.rootClosed()) {
          // A second value after the root closed: a sequence of values, not one document.
          this.secondValueLine = this.line;
          return;
        }
        if (this.depth === 0) {
          this.root = c === LBRACK ? "array" : "object";
          if (c === LBRACK) this.streamDepth = 1;
          else this.expectKey = true;
        } else if (
          this.depth === 1 &&
          this.root === "object" &&
          !this.cap &&
          c === LBRACK &&
          this.isStreamKey()
        ) {
          this.streamDepth = 2;
          this.streamedKey = this.lastKey;
        } else {
          this.valueStarts(i, false);
        }
        this.depth++;
      } else if (c === RBRACE || c === RBRACK) {
        this.endScalar(s, i);
        this.depth--;
        if (this.cap && this.depth === this.cap.depth) this.finishCapture(s, i + 1);
        if (c === RBRACK && this.depth === this.streamDepth - 1) this.streamDepth = -1;
      } else if (c === COLON) {
        if (this.depth === 1 && this.root === "object") this.expectKey = false;
      } else if (c === COMMA) {
        this.endScalar(s, i);
        if (this.depth === 1 && this.root === "object") this.expectKey = true;
      } else {
        if (this.depth === 0 && this.root === "empty") this.root = "scalar";
        this.valueStarts(i, true);
      }
      i++;
    }
    if (this.cap) this.appendCapture(s, this.cap.start);
    if (this.inString && this.keyStart >= 0) this.keyParts.push(s.slice(this.keyStart));
  }

  end(): JsonStreamResult {
    let tornElementLine: number | null = null;
    if (this.cap && this.cap.scalar && this.depth === this.cap.depth && !this.inString) {
      this.finishCapture("", 0);
    }
    if (this.cap && this.cap.kind === "element") tornElementLine = this.cap.line;
    return {
      root: this.root,
      envelope: this.envelope,
      streamedKey: this.streamedKey,
      truncated: this.depth > 0 || this.inString,
      tornElementLine,
      droppedKeys: this.droppedKeys,
      envelopeChars: this.envelopeChars,
      secondValueLine: this.secondValueLine,
    };
  }

  /**
   * An element from `i` to the end of its line, when the callee takes it whole: the offset
   * just past it (its trailing comma and newline are scanned as usual), else 0.
   */
  private wholeLine(s: string, i: number): number {
    const take = this.opts.onLine;
    if (!take) return 0;
    const nl = s.indexOf("\n", i);
    if (nl < 0) return 0;
    let e = nl;
    while (e > i && isSpace(s.charCodeAt(e - 1))) e--;
    if (s.charCodeAt(e - 1) === COMMA) e--;
    while (e > i && isSpace(s.charCodeAt(e - 1))) e--;
    if (s.charCodeAt(e - 1) !== RBRACE || e - i > this.maxElement) return 0;
    if (take(s.slice(i, e), this.line)) return e;
    this.lineMisses++;
    return 0;
  }

  private rootClosed(): boolean {
    return this.root === "object" || this.root === "array";
  }

  private isStreamKey(): boolean {
    return this.opts.keys.includes(this.lastKey) && this.streamedKey === null;
  }

  private stringEnded(s: string, q: number): void {
    if (this.keyStart >= 0) {
      const raw = this.keyParts.join("") + s.slice(this.keyStart, q);
      this.lastKey = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
      this.keyStart = -1;
      return;
    }
    if (this.cap && this.cap.scalar && this.depth === this.cap.depth) this.finishCapture(s, q + 1);
  }

  private valueStarts(i: number, scalar: boolean): void {
    if (this.cap) return;
    if (this.depth === this.streamDepth) {
      this.cap = this.capture("element", "", i, scalar);
    } else if (this.depth === 1 && this.root === "object" && !this.expectKey) {
      this.cap = this.capture("envelope", this.lastKey, i, scalar);
    } else if (this.depth === 0 && this.root === "scalar") {
      this.cap = this.capture("envelope", "", i, scalar);
    }
  }

  private capture(kind: Capture["kind"], key: string, start: number, scalar: boolean): Capture {
    return {
      kind,
      key,
      start,
      parts: [],
      chars: 0,
      depth: this.depth,
      scalar,
      line: this.line,
      dropped: false,
    };
  }

  private endScalar(s: string, i: number): void {
    if (this.cap && this.cap.scalar && this.depth === this.cap.depth && !this.inString)
      this.finishCapture(s, i);
  }

  private limitOf(cap: Capture): number {
    if (cap.kind === "element") return this.maxElement;
    // Once the fields beside the records pass a record's size, none more are kept.
    return this.envelopeChars > this.maxElement ? 0 : this.maxEnvelope;
  }

  /** Keeps a capture's text up to its limit; past it only the length is counted. */
  private appendCapture(s: string, from: number): void {
    const cap = this.cap!;
    cap.chars += s.length - from;
    if (cap.dropped) return;
    if (cap.chars > this.limitOf(cap)) {
      cap.dropped = true;
      cap.parts = [];
      return;
    }
    cap.parts.push(from ? s.slice(from) : s);
  }

  private finishCapture(s: string, endExclusive: number): void {
    const cap = this.cap!;
    this.cap = null;
    const chars = cap.chars + endExclusive - cap.start;
    const limit = this.limitOf(cap);
    if (cap.kind === "envelope") this.envelopeChars += chars;
    if (cap.dropped || chars > limit) {
      if (cap.kind === "element") this.opts.onTooLarge?.(cap.line, chars);
      else this.droppedKeys.push({ key: cap.key, chars });
      return;
    }
    const text = cap.parts.length
      ? cap.parts.join("") + s.slice(cap.start, endExclusive)
      : s.slice(cap.start, endExclusive);
    if (cap.kind === "element") {
      this.onElement(text, cap.line);
    } else if (this.opts.rawEnvelopeKeys?.includes(cap.key)) {
      this.envelope[cap.key] = text;
    } else {
      try {
        this.envelope[cap.key] = JSON.parse(text);
      } catch {
        // A malformed envelope field is reported by the caller if it needs it.
      }
    }
  }
}

export async function streamJsonElements(
  chunks: AsyncIterable<string>,
  opts: JsonStreamOptions,
  onElement: (text: string, line: number) => void,
): Promise<JsonStreamResult> {
  const scanner = new JsonElementScanner(opts, onElement);
  for await (const chunk of chunks) scanner.feed(chunk);
  return scanner.end();
}
