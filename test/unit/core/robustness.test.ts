import fc from "fast-check";
import initSqlJs from "sql.js";
import { describe, expect, it } from "vitest";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { ingest } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";

const enc = new TextEncoder();
const demo = Object.fromEntries(generateSkulkDemo().map((f) => [f.path, f.content]));
const T = 1777068231000;

function stormlogLines(n: number): string {
  return (
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        schema_version: 3,
        session_id: "s",
        timestamp_ns: (BigInt(T) * 1_000_000n + BigInt(i)).toString(),
        event_type: "sample",
        collector: "c",
        sampling_interval_ms: 1,
        pid: 1,
        host: "h",
        device_id: 0,
        allocator_allocated_bytes: i,
        allocator_reserved_bytes: i,
        allocator_active_bytes: null,
        allocator_inactive_bytes: null,
        allocator_change_bytes: 0,
        device_used_bytes: 1,
        device_free_bytes: null,
        device_total_bytes: null,
        context: null,
        metadata: {},
      }).replace(/"timestamp_ns":"(\d+)"/, '"timestamp_ns":$1'),
    ).join("\n") + "\n"
  );
}

function otlpLines(n: number): string {
  return (
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    spanId: `${i}`,
                    name: "op",
                    startTimeUnixNano: `${T}00000${i}`,
                    endTimeUnixNano: `${T}00001${i}`,
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).join("\n") + "\n"
  );
}

/** One record per line: every complete line before a cut is an intact record. */
const LINE_FIXTURES: Record<string, string> = {
  "skulk.jsonl": demo["node-a/flight-recorder-rank0.jsonl"].split("\n").slice(0, 30).join("\n") + "\n",
  "stormlog.jsonl": stormlogLines(30),
  "otlp.jsonl": otlpLines(20),
};

const OTHER_FIXTURES: Record<string, string> = {
  "timeline.json": demo["cluster/timeline.json"].slice(0, 60_000),
  "diagnostics.json": demo["node-a/diagnostics.json"].slice(0, 60_000),
  "trace.json": JSON.stringify({
    traceEvents: Array.from({ length: 30 }, (_, i) => ({
      ph: "X",
      name: `s${i}`,
      ts: T * 1000 + i * 10,
      dur: 5,
      pid: 0,
      tid: i % 3,
    })),
  }),
  "metrics.prom":
    Array.from({ length: 30 }, (_, i) => `omnirt_queue_depth{instance="w${i % 3}",job="omnirt"} ${i}.0`).join(
      "\n",
    ) + "\n",
  "events.sse": Array.from(
    { length: 10 },
    (_, i) =>
      `event: stage_end\ndata: ${JSON.stringify({ event: "stage_end", stage: "denoise", timestamp_ms: T + i, data: {} })}\n`,
  ).join("\n"),
  "track.csv":
    "schema_version,session_id,timestamp_ns,event_type,collector,sampling_interval_ms,pid,host,device_id,allocator_allocated_bytes,allocator_reserved_bytes,allocator_active_bytes,allocator_inactive_bytes,allocator_change_bytes,device_used_bytes,device_free_bytes,device_total_bytes,context,metadata\n" +
    Array.from(
      { length: 20 },
      (_, i) => `3,s,${1776988800000000000 + i * 1000},sample,c,1,1,h,0,${i},${i},,,0,1,,,,{}`,
    ).join("\n") +
    "\n",
};

async function sqliteFixture(): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(
    "CREATE TABLE workflow_events (id INTEGER PRIMARY KEY, job_id TEXT, event TEXT NOT NULL, status TEXT NOT NULL, duration_ms REAL, error_type TEXT, labels_json TEXT, recorded_at REAL NOT NULL)",
  );
  for (let i = 0; i < 20; i++)
    db.run(
      "INSERT INTO workflow_events (job_id, event, status, duration_ms, recorded_at) VALUES ('j', 'agent.ask', 'ok', 10, ?)",
      [T / 1000 + i],
    );
  return db.export();
}

const quick = { numRuns: 25 };

describe("random damage never throws out of the ingest", () => {
  it("truncated line files keep every complete record before the cut", async () => {
    for (const [name, text] of Object.entries(LINE_FIXTURES)) {
      const bytes = enc.encode(text);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (cut) => {
          const part = bytes.subarray(0, cut);
          const r = await ingest([memorySource(name, part)]);
          const complete = new TextDecoder().decode(part).split("\n").length - 1;
          if (r.files[0].format === "unknown") return;
          expect(r.files[0].records).toBeGreaterThanOrEqual(complete);
          // A cut line is a torn last line: a warning, not an error.
          expect(r.files[0].errors).toEqual([]);
        }),
        quick,
      );
    }
  });

  it("truncation or corruption of any fixture is reported, never thrown", async () => {
    const all: Record<string, Uint8Array> = Object.fromEntries(
      [...Object.entries(LINE_FIXTURES), ...Object.entries(OTHER_FIXTURES)].map(([k, v]) => [
        k,
        enc.encode(v),
      ]),
    );
    all["jobs.db"] = await sqliteFixture();
    for (const [name, bytes] of Object.entries(all)) {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: bytes.length }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
          async (cut, flips) => {
            const damaged = bytes.slice(0, cut);
            for (const [at, value] of flips) if (damaged.length) damaged[at % damaged.length] = value;
            const r = await ingest([
              memorySource(name, damaged),
              memorySource("ok/other.jsonl", LINE_FIXTURES["stormlog.jsonl"]),
            ]);
            // The damaged file is reported; the intact one beside it still loads whole.
            expect(r.files).toHaveLength(2);
            expect(r.files.find((f) => f.path === "ok/other.jsonl")!.records).toBe(30);
          },
        ),
        { numRuns: 15 },
      );
    }
  });
});
