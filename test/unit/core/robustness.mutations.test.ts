import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { ingest, type IngestResult } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import type { FileReport, LaneData } from "../../../shared/model/types";
import { LINE_FIXTURES, OTHER_FIXTURES, sqliteFixture, T } from "./robustnessFixtures";

/*
 * One file of any format is damaged in one of the ways real files are (a value nested
 * thousands deep, a huge record, bytes that are not UTF-8, blank lines first, a huge first
 * record) and read beside an intact file of another format: the intact file must come out
 * exactly as it does alone, and the damaged one must be reported, never thrown.
 */

const enc = new TextEncoder();
const upstream = (p: string) => new Uint8Array(readFileSync(`test/fixtures/upstream/${p}`));
const demo = Object.fromEntries(generateSkulkDemo().map((f) => [f.path, f.content]));

/** Text files of every format, whole (the damage is the mutation's job). */
const TEXT: Record<string, Uint8Array> = {
  ...Object.fromEntries(Object.entries(LINE_FIXTURES).map(([k, v]) => [k, enc.encode(v)])),
  "trace.json": enc.encode(OTHER_FIXTURES["trace.json"]),
  "metrics.prom": enc.encode(OTHER_FIXTURES["metrics.prom"]),
  "events.sse": enc.encode(OTHER_FIXTURES["events.sse"]),
  "track.csv": enc.encode(OTHER_FIXTURES["track.csv"]),
  "diagnostics.json": enc.encode(demo["node-a/diagnostics.json"]),
  "rune-trace.sse": enc.encode(
    Array.from(
      { length: 8 },
      (_, i) =>
        `event: log\ndata: ${JSON.stringify({ id: i, event: "agent.ask", status: "ok", duration_ms: 20, error_type: null, labels: { job_id: "j1" }, recorded_at: T / 1000 + i })}\n\n`,
    ).join("") + "event: end\ndata: {}\n\n",
  ),
  "simple.json": upstream("speedscope/simple.json"),
  "simple_trace.json": upstream("catapult/simple_trace.json"),
  "gpu_metrics_input.json": upstream("kineto/gpu_metrics_input.json"),
  "otlp-example.json": upstream("otlp/opentelemetry-proto-example-trace.json"),
  "otlp2parquet.jsonl": upstream("otlp/otlp2parquet-traces.jsonl"),
  "prometheus-common-text": upstream("prometheus/prometheus-common-text"),
  "omnirt-sync.json": upstream("omnirt/service_schema.en.md.sync-response.json"),
  "stormlog-rank1.json": upstream("stormlog/generated/rank1.json"),
  "stormlog-rank0.csv": upstream("stormlog/generated/rank0.csv"),
};
const TEXT_NAMES = Object.keys(TEXT);

function deep(depth: number): string {
  return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

/** Offsets just after each `{` that opens an object with a key (`{"`, pretty-printed or not). */
function objectStarts(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x7b) continue;
    let j = i + 1;
    while (bytes[j] === 0x20 || bytes[j] === 0x0a || bytes[j] === 0x0d || bytes[j] === 0x09) j++;
    if (bytes[j] === 0x22) out.push(i + 1);
  }
  return out;
}

function insert(bytes: Uint8Array, at: number, extra: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes.subarray(0, at));
  out.set(extra, at);
  out.set(bytes.subarray(at), at + extra.length);
  return out;
}

/**
 * Where a field can go: just inside an object with keys (a record), else at a line
 * start (in a CSV, below its header).
 */
function fieldSite(bytes: Uint8Array, pick: number, name: string): { at: number; inObject: boolean } {
  const objects = objectStarts(bytes);
  if (objects.length) return { at: objects[pick % objects.length], inObject: true };
  const lines = name.endsWith(".csv") ? [] : [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lines.push(i + 1);
  return { at: lines[pick % lines.length], inObject: false };
}

/** Text formats without JSON records get a comment line of their own syntax instead. */
const COMMENT: Record<string, string> = { "metrics.prom": "# ", "prometheus-common-text": "# " };

function injectField(bytes: Uint8Array, pick: number, key: string, value: string, name: string): Uint8Array {
  const site = fieldSite(bytes, pick, name);
  const comment = COMMENT[name] ?? (name.endsWith(".sse") ? ": " : "");
  const text = site.inObject ? `"${key}":${value},` : `${comment}${key} ${value}\n`;
  return insert(bytes, site.at, enc.encode(text));
}

const INVALID = [
  [0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

type Mutation = { kind: string; apply: (b: Uint8Array, name: string) => Uint8Array; blank?: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ depth: fc.integer({ min: 150, max: 12_000 }), pick: fc.nat() }).map(({ depth, pick }) => ({
    kind: `deep ${depth}`,
    apply: (b: Uint8Array, name: string) => injectField(b, pick, "deep", deep(depth), name),
  })),
  fc.record({ size: fc.integer({ min: 64 << 10, max: 2 << 20 }), pick: fc.nat() }).map(({ size, pick }) => ({
    kind: `huge record ${size}`,
    apply: (b: Uint8Array, name: string) =>
      injectField(b, pick, "pad", JSON.stringify("x".repeat(size)), name),
  })),
  fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVALID)), { minLength: 1, maxLength: 6 }).map((hits) => ({
    kind: `invalid utf-8 ×${hits.length}`,
    apply: (b: Uint8Array) =>
      hits.reduce((acc, [at, seq]) => insert(acc, at % (acc.length + 1), Uint8Array.from(seq)), b),
  })),
  fc
    .array(fc.constantFrom("\n", "\r\n", " ", "\t", "\n\n\n\n"), { minLength: 1, maxLength: 40 })
    .chain((unit) => fc.integer({ min: 1, max: 6000 }).map((times) => unit.join("").repeat(times)))
    .map((blank) => ({
      kind: `leading blank ${blank.length}`,
      blank: blank.length,
      apply: (b: Uint8Array) => insert(b, 0, enc.encode(blank)),
    })),
  fc.integer({ min: 64 << 10, max: 2 << 20 }).map((size) => ({
    kind: `huge first record ${size}`,
    apply: (b: Uint8Array, name: string) => injectField(b, 0, "pad", JSON.stringify("x".repeat(size)), name),
  })),
);

/** A lane as exact, origin-free values: absolute ns as decimal strings. */
function plainLane(lane: LaneData, originSec: number) {
  const abs = (off: number) => (BigInt(originSec) * 1_000_000_000n + BigInt(Math.round(off))).toString();
  const s = lane.strings;
  return {
    info: lane.info,
    spans: Array.from(lane.spans.start, (t, i) => [
      s[lane.spans.name[i]],
      abs(t),
      abs(lane.spans.end[i]),
      lane.spans.depth[i],
      lane.spans.flags[i],
      s[lane.spans.args[i]],
      lane.spans.line[i],
    ]),
    markers: Array.from(lane.markers.t, (t, i) => [
      s[lane.markers.name[i]],
      abs(t),
      lane.markers.kind[i],
      s[lane.markers.args[i]],
      lane.markers.line[i],
    ]),
    counters: lane.counters.map((c) => ({ name: c.name, t: Array.from(c.t, abs), v: [...c.v] })),
  };
}

function lanesById(r: IngestResult, ids: Set<string>) {
  return r.lanes.filter((l) => ids.has(l.info.id)).map((l) => plainLane(l, l.originSec));
}

const noBytes = ({ bytes: _bytes, ...rest }: FileReport) => rest;

describe("one damaged file never changes what another file reads as", () => {
  const alone = new Map<string, IngestResult>();
  const all: Record<string, Uint8Array> = { ...TEXT };

  beforeAll(async () => {
    all["jobs.db"] = await sqliteFixture();
    for (const [name, bytes] of Object.entries(all))
      alone.set(name, await ingest([memorySource(`a/${name}`, bytes)]));
  });

  it("every fixture reads as a known format on its own", () => {
    for (const [name, r] of alone) {
      expect(r.files[0].format, name).not.toBe("unknown");
      expect(r.files[0].records + r.lanes.length, name).toBeGreaterThan(0);
    }
  });

  it("under every mutation class", { timeout: 120_000 }, async () => {
    // Pairs of different families: their lanes cannot merge, so "the same as alone" is exact.
    const families = (n: string) => new Set(alone.get(n)!.lanes.map((l) => l.info.source));
    const pairs = TEXT_NAMES.flatMap((target) =>
      Object.keys(all)
        .filter((other) => ![...families(target)].some((f) => families(other).has(f)))
        .map((other) => [target, other] as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pairs), mutation, async ([target, other], m) => {
        const mutated = m.apply(TEXT[target], target);
        const r = await ingest([
          memorySource(`a/${other}`, all[other]),
          memorySource(`b/${target}`, mutated),
        ]);

        const base = alone.get(other)!;
        const ids = new Set(base.lanes.map((l) => l.info.id));
        expect(noBytes(r.files.find((f) => f.path === `a/${other}`)!)).toEqual(noBytes(base.files[0]));
        expect(lanesById(r, ids)).toEqual(lanesById(base, ids));

        // The damaged file is reported: what it lost, it says it lost.
        const report = r.files.find((f) => f.path === `b/${target}`)!;
        const intact = alone.get(target)!.files[0];
        const why = `${m.kind}: ${target}`;
        if (report.records < intact.records || report.format !== intact.format)
          expect(report.errors.length + report.warnings.length, why).toBeGreaterThan(0);
        // Detection never depends on where the first record ends or what comes before it.
        if (m.kind.startsWith("leading") || m.kind.startsWith("huge first"))
          expect(report.format, why).toBe(intact.format);
        if (m.kind.startsWith("leading")) expect(report.records, why).toBe(intact.records);
      }),
      { numRuns: Number(process.env.RUNS ?? 60) },
    );
  });
});
