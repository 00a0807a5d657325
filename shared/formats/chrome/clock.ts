/**
 * Trace Event Format times, exact to the nanosecond.
 *
 * `ts` and `dur` are microseconds, often with three decimals (Kineto writes `{µs}.{ns:03}`;
 * catapult's nanoseconds.json). A double holds about 16 significant digits, so an epoch
 * microsecond with its nanoseconds (19 digits) cannot survive JSON.parse: such values are
 * quoted before parsing (`quoteLongTimes`) and read here from their text. Everything else is
 * split into whole microseconds and the nanoseconds beyond, so no arithmetic rounds away a
 * nanosecond. Times are kept as nanoseconds from a whole second of the file's own (the
 * anchor); the file's absolute start (`baseTimeNanoseconds`, which may come after the events)
 * is applied once the whole file is read.
 */

const US_PER_SEC = 1_000_000;
const DECIMAL_RE = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/;

/** Whole microseconds and the nanoseconds beyond them (0..999), or null when not a time. */
export function splitUs(v: unknown): [us: number, ns: number] | null {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    const us = Math.floor(v);
    const ns = Math.round((v - us) * 1000);
    return ns === 1000 ? [us + 1, 0] : [us, ns];
  }
  if (typeof v !== "string") return null;
  const m = DECIMAL_RE.exec(v);
  if (!m) {
    // "1.5e3" and the like: rare, and short enough for a double.
    const n = v.trim() ? Number(v) : NaN;
    return Number.isFinite(n) ? splitUs(n) : null;
  }
  const [, sign, whole, frac = ""] = m;
  let us = Number(whole);
  let ns = Number((frac + "000").slice(0, 3));
  if (frac.length > 3 && frac.charCodeAt(3) >= 53 /* '5' */) ns++;
  if (ns === 1000) {
    us++;
    ns = 0;
  }
  if (sign && (us || ns)) return ns ? [-us - 1, 1000 - ns] : [-us, 0];
  return [us, ns];
}

/** A duration in µs as exact nanoseconds (durations are short: no anchor needed). */
export function durationNs(v: unknown): number | null {
  const p = splitUs(v);
  return p ? p[0] * 1000 + p[1] : null;
}

/**
 * Quotes `ts`/`dur` numbers too long for a double (14+ integer digits with a fraction), so
 * JSON.parse hands them over as text. The cheap test keeps the common case free.
 */
export function quoteLongTimes(text: string): string {
  if (!hasLongFractionalTime(text)) return text;
  return text.replace(LONG_TIME_RE, '$1"$2"');
}
const LONG_TIME_RE = /("(?:ts|dur|tdur)"\s*:\s*)(-?\d{14,}\.\d+)(?=\s*[,}\]])/g;
const TIME_KEYS = ['"ts"', '"dur"', '"tdur"'];

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Whether a `ts`/`dur`/`tdur` value has 14+ integer digits and a fraction. Looks back from
 * each "." (an event has few, in names and values): a regular expression over every event's
 * whole text cost a seventh of a big trace's read, and looking for each key a twelfth.
 */
function hasLongFractionalTime(text: string): boolean {
  for (let dot = text.indexOf("."); dot >= 0; dot = text.indexOf(".", dot + 1)) {
    let i = dot - 1;
    while (i >= 0 && isDigit(text.charCodeAt(i))) i--;
    if (dot - 1 - i < 14) continue;
    if (text.charCodeAt(i) === 45 /* - */) i--;
    while (isSpace(text.charCodeAt(i))) i--;
    if (text.charCodeAt(i) !== 58 /* : */) continue;
    i--;
    while (isSpace(text.charCodeAt(i))) i--;
    for (const key of TIME_KEYS) if (text.startsWith(key, i - key.length + 1)) return true;
  }
  return false;
}

/** Converts a file's `ts` values to nanoseconds from the anchor, a whole second near its data. */
export class TraceClock {
  /** Whole microseconds of the anchor (a multiple of 1e6); null until the first time. */
  private anchorUs: number | null = null;

  /** `ts` as ns from the anchor; null when it is not a time. */
  local(v: unknown): number | null {
    const p = splitUs(v);
    if (!p) return null;
    if (this.anchorUs === null) this.anchorUs = Math.floor(p[0] / US_PER_SEC) * US_PER_SEC;
    return (p[0] - this.anchorUs) * 1000 + p[1];
  }

  /**
   * The anchor as absolute epoch ns. With a base (Kineto's `baseTimeNanoseconds`) `ts` counts
   * from it; without one, `ts` is taken as epoch µs.
   */
  anchorNs(baseNs: bigint | null): bigint {
    return (baseNs ?? 0n) + BigInt(this.anchorUs ?? 0) * 1000n;
  }
}

/** An exact integer of ns from a number or its text (envelope values are kept as text). */
export function exactNs(v: unknown): bigint | null {
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v !== "string") return null;
  const t = v.trim().replace(/^"(.*)"$/, "$1");
  return /^-?\d+$/.test(t) ? BigInt(t) : null;
}
