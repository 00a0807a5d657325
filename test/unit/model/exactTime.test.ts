import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inspectReport } from "../../../shared/model/summary";
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
