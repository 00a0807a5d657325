import { describe, expect, it } from "vitest";
import { quoteLongTimes } from "../../../shared/formats/chrome/clock";
import { countNewlines } from "../../../shared/ingest/text";

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

describe("countNewlines", () => {
  it("counts every \\n byte at any offset and length, as a byte-by-byte count does", () => {
    const rand = rng(7);
    const buf = new Uint8Array(4096);
    for (let i = 0; i < buf.length; i++) {
      const r = rand();
      // Newlines, their neighbours in value, high bytes and runs of plain text.
      buf[i] = r < 0.1 ? 10 : r < 0.15 ? 11 : r < 0.2 ? 9 : r < 0.25 ? 0x8a : r < 0.3 ? 0 : 97;
    }
    for (let trial = 0; trial < 500; trial++) {
      const start = Math.floor(rand() * 64);
      const end = start + Math.floor(rand() * (trial < 50 ? 9 : 4000));
      const part = buf.subarray(start, Math.min(end, buf.length));
      let expected = 0;
      for (const b of part) if (b === 10) expected++;
      expect(countNewlines(part)).toBe(expected);
    }
    expect(countNewlines(new Uint8Array(0))).toBe(0);
    expect(countNewlines(new Uint8Array(64).fill(10))).toBe(64);
  });
});

describe("quoteLongTimes", () => {
  // The rule itself, applied to every text: the quick test in front of it must never skip one.
  const rule = /("(?:ts|dur|tdur)"\s*:\s*)(-?\d{14,}\.\d+)(?=\s*[,}\]])/g;

  it("quotes ts, dur and tdur values of 14+ integer digits with a fraction, and nothing else", () => {
    expect(quoteLongTimes('{"ts":1777064400008676.125,"dur":5}')).toBe(
      '{"ts":"1777064400008676.125","dur":5}',
    );
    expect(quoteLongTimes('{"ts" : -17770644000086.5}')).toBe('{"ts" : "-17770644000086.5"}');
    expect(quoteLongTimes('{"tdur":\n12345678901234.25}')).toBe('{"tdur":\n"12345678901234.25"}');
    for (const same of [
      '{"name":"Llama-3.3-70B","ts":1777064400008676,"dur":2115}',
      '{"args":{"v":"17770644000086.5"},"ts":1}',
      '{"xts":12345678901234.5}',
      '{"ts":1234567890123.5}',
    ])
      expect(quoteLongTimes(same)).toBe(same);
  });

  it("agrees with the rule on random events", () => {
    const rand = rng(11);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join("");
    const value = () =>
      pick([
        () => digits(1 + Math.floor(rand() * 18)),
        () =>
          `${pick(["", "-"])}${digits(12 + Math.floor(rand() * 6))}.${digits(1 + Math.floor(rand() * 4))}`,
        () => `"${digits(15)}.${digits(2)}"`,
        () => `"mlx-community/Llama-3.3-70B"`,
      ])();
    let quoted = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const keys = Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
        pick(['"ts"', '"dur"', '"tdur"', '"xts"', '"name"', '"v"']),
      );
      const text = `{${keys.map((k) => `${k}${pick(["", " "])}:${pick(["", " ", "\n"])}${value()}`).join(",")}}`;
      const expected = text.replace(rule, '$1"$2"');
      if (expected !== text) quoted++;
      expect(quoteLongTimes(text), text).toBe(expected);
    }
    // Both kinds were tried: texts the rule quotes, and texts it leaves.
    expect(quoted).toBeGreaterThan(200);
    expect(quoted).toBeLessThan(1800);
  });
});
