/**
 * One line of a Prometheus text exposition (0.0.4) or an OpenMetrics 1.0 exposition, scanned
 * by hand rather than by regex: a quoted label value may hold `}`, `#` or spaces, and an
 * exemplar (`… 22 # {trace_id="x"} 1.0 1520879607.789`) follows the value on the same line.
 */

export type Labels = [string, string][];

export interface Exemplar {
  labels: Labels;
  value: number;
  ts: string | null;
}

export type ExpositionLine =
  | {
      kind: "sample";
      name: string;
      labels: Labels;
      value: number;
      ts: string | null;
      exemplar: Exemplar | null;
    }
  | { kind: "type"; name: string; type: string }
  | { kind: "help" | "unit"; name: string }
  | { kind: "eof" }
  | { kind: "comment" }
  | { kind: "blank" };

/** Prometheus text's types and OpenMetrics' (`untyped` is the former's `unknown`). */
export const METRIC_TYPES = new Set([
  "counter",
  "gauge",
  "histogram",
  "summary",
  "untyped",
  "unknown",
  "gaugehistogram",
  "stateset",
  "info",
]);

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A value as Go's ParseFloat reads exposition values: decimals, exponents, NaN, ±Inf. */
export function parseValue(text: string): number | null {
  if (FLOAT.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === "nan") return NaN;
  if (lower === "+inf" || lower === "inf" || lower === "+infinity" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  return null;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? "";
  }
  /** Skips blanks and tabs; returns how many. */
  blanks(): number {
    const from = this.pos;
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
    return this.pos - from;
  }
  fail(message: string): never {
    throw new Error(`${message} at column ${this.pos + 1}`);
  }
  expect(c: string, what: string): void {
    if (this.peek() !== c) this.fail(`expected ${what}`);
    this.pos++;
  }
  ident(start: RegExp, rest: RegExp): string {
    const from = this.pos;
    if (!start.test(this.peek())) return "";
    this.pos++;
    while (!this.done && rest.test(this.peek())) this.pos++;
    return this.text.slice(from, this.pos);
  }
  /** A `"…"` string with the exposition escapes (\\, \", \n) undone; others kept as written. */
  quoted(): string {
    this.expect('"', "a quote");
    let out = "";
    for (;;) {
      if (this.done) this.fail("unterminated quoted string");
      const c = this.text[this.pos++];
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.text[this.pos++] ?? "";
      out += e === "n" ? "\n" : e === "\\" || e === '"' ? e : `\\${e}`;
    }
  }
  token(): string {
    const from = this.pos;
    while (!this.done && this.peek() !== " " && this.peek() !== "\t") this.pos++;
    return this.text.slice(from, this.pos);
  }
}

/**
 * `{a="x",b="y"}`. Prometheus 3 also allows quoted (UTF-8) label names and a quoted metric
 * name as the first element (`{"my.metric",a="x"}`): that name is returned.
 */
function labelSet(s: Scanner, labels: Labels): string | null {
  s.expect("{", "{");
  let quotedName: string | null = null;
  const names = new Set<string>();
  for (;;) {
    s.blanks();
    if (s.peek() === "}") break;
    const wasQuoted = s.peek() === '"';
    const name = wasQuoted ? s.quoted() : s.ident(LABEL_START, LABEL_CHAR);
    if (!name) s.fail("expected a label name");
    s.blanks();
    if (wasQuoted && s.peek() !== "=" && !labels.length && quotedName === null) {
      quotedName = name;
    } else {
      s.expect("=", `"=" after label ${name}`);
      s.blanks();
      if (s.peek() !== '"') s.fail(`expected a quoted value for label ${name}`);
      const value = s.quoted();
      if (names.has(name)) s.fail(`duplicate label ${name}`);
      names.add(name);
      labels.push([name, value]);
    }
    s.blanks();
    if (s.peek() === ",") s.pos++;
    else if (s.peek() !== "}") s.fail('expected "," or "}"');
  }
  s.pos++;
  return quotedName;
}

function valueOf(s: Scanner, what: string): number {
  const text = s.token();
  if (!text) s.fail(`expected a ${what}`);
  const v = parseValue(text);
  if (v === null) throw new Error(`bad ${what} "${text.slice(0, 40)}"`);
  return v;
}

function exemplar(s: Scanner): Exemplar {
  s.pos++; // "#"
  if (!s.blanks()) s.fail('expected a blank after "#"');
  const labels: Labels = [];
  if (s.peek() !== "{") s.fail("expected the exemplar's labels");
  labelSet(s, labels);
  if (!s.blanks()) s.fail("expected the exemplar's value");
  const value = valueOf(s, "exemplar value");
  s.blanks();
  const ts = s.done ? null : s.token();
  s.blanks();
  if (!s.done) s.fail("unexpected text after the exemplar");
  return { labels, value, ts };
}

function sample(text: string): ExpositionLine {
  const s = new Scanner(text);
  const labels: Labels = [];
  let name = s.ident(NAME_START, NAME_CHAR);
  if (s.peek() === "{") {
    const quoted = labelSet(s, labels);
    if (quoted !== null) {
      if (name) s.fail("a metric name both before and inside the braces");
      name = quoted;
    }
  }
  if (!name) s.fail("expected a metric name");
  if (!s.blanks()) s.fail("expected a blank before the value");
  const value = valueOf(s, "value");
  s.blanks();
  let ts: string | null = null;
  if (!s.done && s.peek() !== "#") {
    ts = s.token();
    s.blanks();
  }
  const ex = !s.done && s.peek() === "#" ? exemplar(s) : null;
  if (!s.done) s.fail("unexpected text after the sample");
  return { kind: "sample", name, labels, value, ts, exemplar: ex };
}

const DIRECTIVE = /^#\s+(TYPE|HELP|UNIT)\s+(\S+)(?:\s+(.*))?$/;

/** Parses one line; throws an Error whose message says what is wrong and where. */
export function parseExpositionLine(raw: string): ExpositionLine {
  const text = raw.trim();
  if (!text) return { kind: "blank" };
  if (text[0] !== "#") return sample(text);
  if (/^#\s*EOF$/.test(text)) return { kind: "eof" };
  const m = DIRECTIVE.exec(text);
  if (!m) return { kind: "comment" };
  const [, directive, name, rest = ""] = m;
  if (directive === "TYPE") {
    const type = rest.trim();
    if (!METRIC_TYPES.has(type)) throw new Error(`unknown metric type "${type.slice(0, 40)}" for ${name}`);
    return { kind: "type", name, type };
  }
  return { kind: directive === "HELP" ? "help" : "unit", name };
}

/**
 * Exact epoch nanoseconds of a timestamp: OpenMetrics writes float seconds
 * (`1520879607.789`, `1.7268398142239082e+09`), Prometheus text integer milliseconds. Read
 * from the digits, not through a double, so a fraction keeps every digit it has (to the ns).
 */
export function timestampNs(text: string, seconds: boolean): bigint | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (!m[2] && !m[3])) return null;
  const [, sign, whole, frac = "", exp = "0"] = m;
  // A whole integer of ms (Prometheus text) unless the text has a fraction or an exponent.
  const unitDigits = seconds || frac || m[4] !== undefined ? 9 : 6;
  const shift = unitDigits + Number(exp);
  const digits = (whole || "0") + frac;
  const point = (whole || "0").length + shift;
  if (point > 40) return null;
  let int: string;
  if (point <= 0) int = "0";
  else int = digits.length >= point ? digits.slice(0, point) : digits.padEnd(point, "0");
  const ns = BigInt(int);
  return sign === "-" ? -ns : ns;
}
