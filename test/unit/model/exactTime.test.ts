import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inspectReport } from "../../../shared/model/summary";
import { parseIsoNs, TimeBase } from "../../../shared/model/time";
import { ingestFiles } from "../helpers";

const upstream = (rel: string) => readFileSync(path.join(__dirname, "../../fixtures/upstream", rel));

/** Inputs whose time bases are decades apart, each at its own resolution. */
const SOURCES: Record<string, string | Uint8Array> = {
  // Relative time (no epoch), nanoseconds as fractional microseconds: 0 … 3021 ns.
  "catapult/nanoseconds.json": upstream("catapult/nanoseconds.json"),
  // Epoch nanoseconds of 2025, given as exact strings by a collector's file export.
  "otlp/traces.jsonl": upstream("otlp/otlp2parquet-traces.jsonl"),
  // Epoch nanoseconds of 2018, as JSON integers.
  "otlp/example.json": upstream("otlp/opentelemetry-proto-example-trace.json"),
  // Microseconds of 2026, Python isoformat (one entry with no fraction at all).
  "skulk/flight.jsonl": [
    '{"at":"2026-04-24T22:03:51.000001+00:00","phase":"warmup","event":"enter","context":{"nodeId":"n","runnerId":"r0","rank":0,"worldSize":1,"instanceId":"i","modelId":"m"}}',
    '{"at":"2026-04-24T22:03:52+00:00","phase":"warmup","event":"exit","context":{"nodeId":"n","runnerId":"r0","rank":0,"worldSize":1,"instanceId":"i","modelId":"m"}}',
    "",
  ].join("\n"),
};

async function report(order: string[]) {
  const files: Record<string, string | Uint8Array> = {};
  for (const k of order) files[k] = SOURCES[k];
  return inspectReport(await ingestFiles(files));
}

function lane(r: Awaited<ReturnType<typeof report>>, pred: (l: (typeof r.lanes)[number]) => boolean) {
  const found = r.lanes.find(pred);
  if (!found) throw new Error(`no lane among ${r.lanes.map((l) => l.label).join(", ")}`);
  return found;
}

describe("time stays exact for any mix of files, in any order", () => {
  const orders = [Object.keys(SOURCES), Object.keys(SOURCES).reverse()];
  for (const order of orders) {
    it(`reads ${order[0]} first`, async () => {
      const r = await report(order);
      const catapult = lane(r, (l) => l.source === "trace");
      expect([catapult.startNs, catapult.endNs]).toEqual(["0", "3021"]);
      const otlpTimes = r.lanes.filter((l) => l.source === "otlp" && l.startNs!.startsWith("176"));
      expect(otlpTimes.map((l) => l.startNs).sort()[0]).toBe("1760738064624180000");
      expect(
        otlpTimes
          .map((l) => l.endNs)
          .sort()
          .at(-1),
      ).toBe("1760738083067180000");
      const example = lane(r, (l) => l.label.includes("my.service"));
      expect([example.startNs, example.endNs]).toEqual(["1544712660000000000", "1544712661000000000"]);
      const skulk = lane(r, (l) => l.source === "skulk");
      expect([skulk.startNs, skulk.endNs]).toEqual(["1777068231000001000", "1777068232000000000"]);
      expect(r.startNs).toBe("0");
      expect(r.endNs).toBe("1777068232000000000");
    });
  }

  it("keeps every span of a nanosecond source exact beside a 2025 file", async () => {
    const a = await ingestFiles({
      "a.json": SOURCES["catapult/nanoseconds.json"],
      "b.jsonl": SOURCES["otlp/traces.jsonl"],
    });
    const b = await ingestFiles({
      "b.jsonl": SOURCES["otlp/traces.jsonl"],
      "a.json": SOURCES["catapult/nanoseconds.json"],
    });
    const exact = (m: typeof a) => {
      const l = m.lanes.find((x) => x.info.source === "trace")!;
      return [...l.spans.start].map((t, i) => [
        BigInt(l.originSec) * 1_000_000_000n + BigInt(t),
        l.spans.end[i],
      ]);
    };
    expect(exact(a)).toEqual(exact(b));
    expect(exact(a).map(([s]) => s)).toEqual([0n, 1100n, 1300n, 1700n, 3000n, 3011n, 3013n, 3017n]);
  });
});

describe("TimeBase.fromIso's quick path for UTC timestamps", () => {
  it("gives what the full parse gives, on random valid and damaged timestamps", () => {
    let seed = 5;
    const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const tb = new TimeBase();
    let checked = 0;
    let nulls = 0;
    for (let i = 0; i < 5000; i++) {
      // Mostly plausible fields, sometimes out of range (month 13, hour 24, Feb 30, second 60).
      const y = pick([2026, 2024, 1999, 2100]);
      const mo = 1 + Math.floor(rand() * (rand() < 0.05 ? 14 : 12));
      const d = 1 + Math.floor(rand() * (rand() < 0.05 ? 33 : 28));
      const h = Math.floor(rand() * (rand() < 0.05 ? 26 : 24));
      const mi = Math.floor(rand() * 60);
      const s = Math.floor(rand() * (rand() < 0.05 ? 62 : 60));
      let text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`;
      text += pick(["", `.${pad(Math.floor(rand() * 1e6), 6)}`, `.${pad(Math.floor(rand() * 1e9), 9)}`]);
      text += pick(["+00:00", "Z"]);
      // A damaged character now and then.
      if (rand() < 0.05) {
        const at = Math.floor(rand() * 19);
        text = text.slice(0, at) + pick(["x", "-", ":", "/"]) + text.slice(at + 1);
      }
      const full = parseIsoNs(text);
      const quick = tb.fromIso(text);
      if (full === null) {
        expect(quick, text).toBeNull();
        nulls++;
      } else {
        expect(quick, text).toBe(Number(full - tb.originNs));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
    expect(nulls).toBeGreaterThan(100);
  });
});
