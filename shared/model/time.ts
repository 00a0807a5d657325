/**
 * Exact time handling.
 *
 * Absolute instants are nanoseconds since the Unix epoch as BigInt. Bulk data holds float64
 * nanosecond offsets from an origin that is a whole second, so every offset of a
 * microsecond-or-coarser source (and every nanosecond offset within ~104 days) is an exact
 * integer in a double.
 */

const NS_PER_SEC = 1_000_000_000n;
/** The two decimal digits at `i` as a number, or a negative one when they are not digits. */
function digits2(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1000;
}

/** 10^0 … 10^9, to scale a fraction of fewer than nine digits to nanoseconds. */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

// Python isoformat(): "2026-04-24T22:03:51.508000+00:00"; the fraction is absent when the
// microseconds are 0. Also accepts "Z", a space separator, and up to nanosecond fractions.
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

interface IsoParts {
  epochSec: number;
  fracNs: number;
}

function isoParts(text: string): IsoParts | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let epochMs = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (Number.isNaN(epochMs)) return null;
  if (tz && tz !== "Z" && tz !== "z") {
    const sign = tz[0] === "-" ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
    epochMs -= sign * offMin * 60_000;
  }
  const fracNs = frac ? Number(frac.padEnd(9, "0")) : 0;
  return { epochSec: epochMs / 1000, fracNs };
}

/** Parses an ISO-8601 timestamp to exact nanoseconds since the epoch; naive times are UTC. */
export function parseIsoNs(text: string): bigint | null {
  const p = isoParts(text);
  if (!p) return null;
  return BigInt(p.epochSec) * NS_PER_SEC + BigInt(p.fracNs);
}

/** Formats exact epoch nanoseconds as ISO-8601 UTC with nanosecond precision. */
export function formatNs(ns: bigint): string {
  let sec = ns / NS_PER_SEC;
  let frac = ns % NS_PER_SEC;
  if (frac < 0n) {
    frac += NS_PER_SEC;
    sec -= 1n;
  }
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  return `${base}.${frac.toString().padStart(9, "0")}Z`;
}

/**
 * Maps absolute instants to float64 nanosecond offsets from a whole-second origin. The
 * origin is fixed by the first instant seen, so a streaming parser never needs a second pass.
 */
export class TimeBase {
  private originSecValue: number | null;

  constructor(originSec: number | null = null) {
    this.originSecValue = originSec;
  }

  get hasOrigin(): boolean {
    return this.originSecValue !== null;
  }

  get originSec(): number {
    return this.originSecValue ?? 0;
  }

  get originNs(): bigint {
    return BigInt(this.originSec) * NS_PER_SEC;
  }

  private origin(epochSec: number): number {
    if (this.originSecValue === null) this.originSecValue = Math.floor(epochSec);
    return this.originSecValue;
  }

  fromNs(ns: bigint): number {
    const origin = this.origin(Number(ns / NS_PER_SEC));
    return Number(ns - BigInt(origin) * NS_PER_SEC);
  }

  /** The date of the last timestamp read (yyyymmdd), and its midnight in epoch seconds. */
  private lastDay = -1;
  private lastDaySec = 0;

  /**
   * The epoch second `YYYY-MM-DDTHH:MM:SS` at the start of `text` names, read digit by digit
   * (as isoParts would: Date.UTC, and the same ranges); null when it is not one. Records share
   * their date, so Date.UTC runs once a day of them.
   */
  private utcSecond(text: string): number | null {
    const cc = digits2(text, 0);
    const yy = digits2(text, 2);
    if (cc < 0 || yy < 0) return null;
    const y = cc * 100 + yy;
    const mo = digits2(text, 5);
    const d = digits2(text, 8);
    const h = digits2(text, 11);
    const mi = digits2(text, 14);
    const s = digits2(text, 17);
    if (mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return null;
    const c = (i: number) => text.charCodeAt(i);
    if (c(4) !== 45 || c(7) !== 45 || c(13) !== 58 || c(16) !== 58) return null;
    if (h > 23 || mi > 59 || s > 60) return null;
    const day = y * 10000 + mo * 100 + d;
    if (day !== this.lastDay) {
      if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
      const ms = Date.UTC(y, mo - 1, d);
      if (Number.isNaN(ms)) return null;
      this.lastDay = day;
      this.lastDaySec = ms / 1000;
    }
    return this.lastDaySec + h * 3600 + mi * 60 + s;
  }

  /** ISO timestamp to offset; null when the text is not a timestamp. */
  fromIso(text: string): number | null {
    // Fast path for the common UTC form: records of one second share the date-time prefix,
    // so only the fraction is parsed per record (the regex below costs ~10x more).
    if (
      text.length >= 20 &&
      text.charCodeAt(10) === 84 /* T */ &&
      (text.endsWith("+00:00") || text.endsWith("Z"))
    ) {
      const tail = text.length - (text.endsWith("Z") ? 1 : 6);
      let fracNs = 0;
      let ok = tail === 19;
      if (text.charCodeAt(19) === 46 /* . */ && tail > 20 && tail <= 29) {
        ok = true;
        let digits = 0;
        for (let i = 20; i < tail; i++) {
          const d = text.charCodeAt(i) - 48;
          if (d < 0 || d > 9) {
            ok = false;
            break;
          }
          fracNs = fracNs * 10 + d;
          digits++;
        }
        fracNs *= POW10[9 - digits];
      }
      if (ok) {
        const sec = this.utcSecond(text);
        if (sec === null) return null;
        const origin = this.origin(sec);
        return (sec - origin) * 1e9 + fracNs;
      }
    }
    const p = isoParts(text);
    if (!p) return null;
    const origin = this.origin(p.epochSec);
    return (p.epochSec - origin) * 1e9 + p.fracNs;
  }

  /** Epoch seconds (float, e.g. Python time.time()) to offset. */
  fromSec(sec: number): number {
    const origin = this.origin(sec);
    const whole = Math.floor(sec);
    return (whole - origin) * 1e9 + Math.round((sec - whole) * 1e9);
  }

  /** Epoch milliseconds (float) to offset. */
  fromMs(ms: number): number {
    const wholeSec = Math.floor(ms / 1000);
    const origin = this.origin(wholeSec);
    return (wholeSec - origin) * 1e9 + Math.round((ms - wholeSec * 1000) * 1e6);
  }

  /** Epoch microseconds (float) to offset. */
  fromUs(us: number): number {
    const wholeSec = Math.floor(us / 1e6);
    const origin = this.origin(wholeSec);
    return (wholeSec - origin) * 1e9 + Math.round((us - wholeSec * 1e6) * 1e3);
  }

  /** Offset back to exact epoch nanoseconds. */
  toNs(offset: number): bigint {
    return this.originNs + BigInt(Math.round(offset));
  }
}

/** Shift that re-expresses offsets of `from` against the origin of `to` (exact: whole seconds). */
export function rebaseShift(fromOriginSec: number, toOriginSec: number): number {
  return (fromOriginSec - toOriginSec) * 1e9;
}

/** Human duration from nanoseconds: "812 µs", "3.2 s", "4 min 12 s". */
export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  const sign = ns < 0 ? "-" : "";
  if (abs < 1e3) return `${sign}${Math.round(abs)} ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)} µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)} ms`;
  if (abs < 60e9) return `${sign}${trim(abs / 1e9)} s`;
  if (abs < 3600e9) {
    const min = Math.floor(abs / 60e9);
    return `${sign}${min} min ${Math.round((abs - min * 60e9) / 1e9)} s`;
  }
  const h = Math.floor(abs / 3600e9);
  return `${sign}${h} h ${Math.round((abs - h * 3600e9) / 60e9)} min`;
}

function trim(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
