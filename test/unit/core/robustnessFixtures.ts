import initSqlJs from "sql.js";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";

/**
 * Small files of every format, as users drop them in: the damage and mutation property
 * tests start from these.
 */
const demo = Object.fromEntries(generateSkulkDemo().map((f) => [f.path, f.content]));
export const T = 1777068231000;

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
export const LINE_FIXTURES: Record<string, string> = {
  "skulk.jsonl": demo["node-a/flight-recorder-rank0.jsonl"].split("\n").slice(0, 30).join("\n") + "\n",
  "stormlog.jsonl": stormlogLines(30),
  "otlp.jsonl": otlpLines(20),
};

export const OTHER_FIXTURES: Record<string, string> = {
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

export async function sqliteFixture(): Promise<Uint8Array> {
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
