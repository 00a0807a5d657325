import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import initSqlJs from "sql.js";
import { generateSkulkDemo } from "../../shared/demo/skulkDemo";
import { freshPage, writeFolder } from "./support";

const T = 1777068231000; // epoch ms, the demo's hour

function stormlog(): string {
  const rec = (i: number, rank: number) => ({
    schema_version: 3,
    session_id: "train-42",
    timestamp_ns: `${BigInt(T) * 1_000_000n + BigInt(i) * 50_000_000n}`,
    event_type: i === 30 ? "peak" : "sample",
    collector: "stormlog.cuda_tracker",
    sampling_interval_ms: 50,
    pid: 900 + rank,
    host: `trainer-${rank}`,
    job_id: "ddp-run",
    rank,
    local_rank: 0,
    world_size: 2,
    device_id: 0,
    allocator_allocated_bytes: Math.round((2 + Math.sin(i / 5)) * 2 ** 30),
    allocator_reserved_bytes: 4 * 2 ** 30,
    allocator_active_bytes: null,
    allocator_inactive_bytes: null,
    allocator_change_bytes: 0,
    device_used_bytes: 5 * 2 ** 30,
    device_free_bytes: 11 * 2 ** 30,
    device_total_bytes: 16 * 2 ** 30,
    context: null,
    metadata: {},
  });
  return (
    [0, 1]
      .flatMap((rank) => Array.from({ length: 60 }, (_, i) => rec(i, rank)))
      .map((r) => JSON.stringify(r).replace(/"timestamp_ns":"(\d+)"/, '"timestamp_ns":$1'))
      .join("\n") + "\n"
  );
}

async function mixedFolder(): Promise<string> {
  const files: Record<string, string> = {};
  for (const f of generateSkulkDemo()) files[`skulk/${f.path}`] = f.content;
  files["stormlog/track.jsonl"] = stormlog();
  const ev = (event: string, stage: string, dt: number) => ({ event, stage, timestamp_ms: T + dt, data: {} });
  files["omnirt/result.json"] = JSON.stringify({
    outputs: [],
    metadata: {
      run_id: "r1",
      job_id: "job-1",
      worker_id: "gpu-worker-1",
      model: "sdxl",
      backend: "cuda",
      timings: { denoise_ms: 800 },
      memory: { peak_mb: 9000 },
      stream_events: [
        ev("job_enqueued", "job", 0),
        ev("job_started", "job", 100),
        ev("stage_start", "denoise", 110),
        ev("stage_end", "denoise", 900),
        ev("job_finished", "job", 950),
      ],
    },
  });
  files["omnirt/otlp.json"] = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "omnirt-server" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: "a",
                spanId: "1",
                name: "generate",
                startTimeUnixNano: `${T}000000`,
                endTimeUnixNano: `${T + 1000}000000`,
                attributes: [],
              },
            ],
          },
        ],
      },
    ],
  });
  files["omnirt/metrics.prom"] =
    `# TYPE omnirt_queue_depth gauge\nomnirt_queue_depth{instance="gpu-worker-1",job="omnirt"} 2.0 ${T}\nomnirt_vram_peak_bytes{instance="gpu-worker-1",job="omnirt"} 9.4e9 ${T}\n`;
  files["traces/trace_task-1.json"] = JSON.stringify({
    traceEvents: [
      { ph: "M", name: "thread_name", pid: 0, tid: 0, args: { name: "Rank 0" } },
      {
        name: "prefill",
        cat: "skulk",
        ph: "X",
        ts: T * 1000 + 5000,
        dur: 200000,
        pid: 0,
        tid: 0,
        args: { rank: 0, node_id: "node-a" },
      },
    ],
  });
  files["notes/screenshot.png"] = "\u0089PNG\r\n\u001a\n\u0000\u0000";
  const dir = writeFolder("incident-1234", files);
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(
    "CREATE TABLE workflow_events (id INTEGER PRIMARY KEY, job_id TEXT NULL, event TEXT NOT NULL, status TEXT NOT NULL, duration_ms REAL, error_type TEXT, labels_json TEXT NULL, recorded_at REAL NOT NULL)",
  );
  db.run(
    "INSERT INTO workflow_events (job_id, event, status, duration_ms, recorded_at) VALUES ('bench-7', 'agent.ask', 'ok', 2500, ?), ('bench-7', 'backend.warmup', 'error', 900, ?)",
    [T / 1000 + 10, T / 1000 + 12],
  );
  mkdirSync(path.join(dir, "rune"), { recursive: true });
  writeFileSync(path.join(dir, "rune", "jobs.db"), db.export());
  return dir;
}

test("a folder from all four projects: every file read as its format, all lanes on one time axis grouped by source", async ({
  page,
}) => {
  const dir = await mixedFolder();
  await freshPage(page);
  await page.getByTestId("folder-input").setInputFiles(dir);
  await expect(page.getByTestId("timeline")).toBeVisible({ timeout: 30_000 });
  const files = page.getByTestId("files-panel");
  for (const format of [
    "skulk.cluster-timeline",
    "stormlog.events",
    "omnirt.run-report",
    "otlp.traces",
    "prometheus.text",
    "rune.sqlite",
    "chrome-trace",
  ]) {
    await expect(files).toContainText(format);
  }
  await expect(page.getByTestId("file-row").filter({ hasText: "screenshot.png" })).toContainText(
    /unknown.*binary|binary/s,
  );
  const groups = page.locator(".group-header");
  for (const source of ["Skulk", "stormlog", "OmniRT", "OTLP", "RUNE", "trace", "Prometheus"])
    await expect(groups.filter({ hasText: source }).first()).toBeVisible();
  await expect(page.locator(".lane-header", { hasText: "trainer-1" })).toContainText("rank 1/2");
  // stormlog's records are all valid here: no errors on its file.
  await expect(
    page.getByTestId("file-row").filter({ hasText: "track.jsonl" }).locator(".diag.error"),
  ).toHaveCount(0);
  await expect(page.getByTestId("file-row").filter({ hasText: "track.jsonl" })).toContainText("120 records");
  await page.screenshot({ path: "test-results/mixed-folder.png" });
});
