/**
 * Python literals as `str()`/`repr()` writes them, read without eval: what pandas `to_csv`
 * puts in an object cell (`{'backend': 'cuda', 'telemetry_partial': False, 'err': None}`).
 *
 * dicts become objects (keys as strings), lists, tuples and sets become arrays, `True`/
 * `False`/`None` become booleans and null, `inf`/`nan` numbers, and integers beyond 2^53
 * NUL-marked strings as `BIG_INT_PREPARE` marks them, so they stay exact, and NumPy scalars
 * (`np.float64(1.5)`) their value. Anything else (a `datetime.datetime(…)`, an
 * `<object at 0x…>`) is not a literal: an error says where.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  r: "\r",
  t: "\t",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\n": "",
};

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new Error(`${what} at character ${this.pos + 1}`);
  }
  space(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }
  peek(): string {
    return this.text[this.pos] ?? "";
  }

  value(): unknown {
    this.space();
    const c = this.peek();
    if (c === "{") return this.braces();
    if (c === "[") return this.sequence("]");
    if (c === "(") return this.sequence(")");
    if (c === "'" || c === '"') return this.string();
    if (/[bBuU]/.test(c) && /['"]/.test(this.text[this.pos + 1] ?? "")) {
      this.pos++;
      return this.string();
    }
    // NumPy 2 writes its scalars as calls: `np.float64(1.5)`, `np.int64(3)`.
    const numpy = /^(?:np|numpy)\.[A-Za-z_]\w*\(/.exec(this.text.slice(this.pos, this.pos + 40));
    if (numpy) {
      this.pos += numpy[0].length;
      const v = this.value();
      this.space();
      if (this.peek() !== ")") this.fail('expected ")"');
      this.pos++;
      return v;
    }
    const word = /^(?:True|False|None|set\(\)|-?inf|nan)\b/.exec(this.text.slice(this.pos, this.pos + 8));
    if (word) {
      this.pos += word[0].length;
      const w = word[0];
      return w === "True"
        ? true
        : w === "False"
          ? false
          : w === "None"
            ? null
            : w === "set()"
              ? []
              : w === "nan"
                ? NaN
                : w === "inf"
                  ? Infinity
                  : -Infinity;
    }
    return this.number();
  }

  private number(): number | string {
    const m = /^[+-]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    const text = m?.[0] ?? "";
    if (!/\d/.test(text))
      this.fail(this.peek() ? `unexpected ${JSON.stringify(this.peek())}` : "unexpected end");
    this.pos += text.length;
    const clean = text.replace(/_/g, "");
    if (/^[+-]?\d+$/.test(clean)) {
      const n = Number(clean);
      return Number.isSafeInteger(n) ? n : `\u0000${BigInt(clean).toString()}`;
    }
    return Number(clean);
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = "";
    for (;;) {
      if (this.pos >= this.text.length) this.fail("unterminated string");
      const c = this.text[this.pos++];
      if (c === quote) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.text[this.pos++] ?? "";
      if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
      else if (e === "x" || e === "u" || e === "U") {
        const len = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail(`bad \\${e} escape`);
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += len;
      } else if (/[0-7]/.test(e)) {
        const oct = /^[0-7]{1,3}/.exec(this.text.slice(this.pos - 1))![0];
        out += String.fromCharCode(parseInt(oct, 8));
        this.pos += oct.length - 1;
      } else out += `\\${e}`;
    }
  }

  private sequence(close: string): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.peek() === close) break;
      out.push(this.value());
      this.space();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== close) this.fail(`expected "," or "${close}"`);
    }
    this.pos++;
    return out;
  }

  /** A dict, or a set (`{1, 2}`): told apart by the ":" after the first item. */
  private braces(): Record<string, unknown> | unknown[] {
    this.pos++;
    const dict: Record<string, unknown> = {};
    const set: unknown[] = [];
    let isSet: boolean | null = null;
    for (;;) {
      this.space();
      if (this.peek() === "}") break;
      const key = this.value();
      this.space();
      if (isSet === null) isSet = this.peek() !== ":";
      if (isSet) set.push(key);
      else {
        if (this.peek() !== ":") this.fail('expected ":"');
        this.pos++;
        dict[keyText(key)] = this.value();
      }
      this.space();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== "}") this.fail('expected "," or "}"');
    }
    this.pos++;
    return isSet ? set : dict;
  }
}

/** A dict key as a JSON key: what `json.dumps` would write for it. */
function keyText(key: unknown): string {
  if (typeof key === "string") return key.charCodeAt(0) === 0 ? key.slice(1) : key;
  if (key === true) return "true";
  if (key === false) return "false";
  if (key === null) return "null";
  return String(key);
}

/** Parses one Python literal; throws with the character where it stops being one. */
export function parsePythonLiteral(text: string): unknown {
  const r = new Reader(text);
  const v = r.value();
  r.space();
  if (r.pos < text.length) r.fail("unexpected text after the value");
  return v;
}
