import initSqlJs from "sql.js";
import { describe, expect, it } from "vitest";
import { MarkerKind, SpanFlag } from "../../../shared/model/types";
import { ingestFiles, markers, spans } from "../helpers";

const END = 1777068240; // unix seconds

async function jobStore(): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`CREATE TABLE workflow_events (id INTEGER PRIMARY KEY, job_id TEXT NULL, event TEXT NOT NULL, status TEXT NOT NULL, duration_ms REAL, error_type TEXT, labels_json TEXT NULL, recorded_at REAL NOT NULL);
          CREATE TABLE jobs (job_id TEXT PRIMARY KEY, tenant_id TEXT, kind TEXT, status TEXT, request_json TEXT, result_json TEXT, error TEXT, message TEXT, created_at REAL, updated_at REAL);`);
  db.run("INSERT INTO jobs VALUES ('job-1','acme','benchmark','failed',NULL,NULL,NULL,NULL,1,2)");
  const ins = db.prepare(
    "INSERT INTO workflow_events (job_id, event, status, duration_ms, error_type, labels_json, recorded_at) VALUES (?,?,?,?,?,?,?)",
  );
  ins.run(["job-1", "vastai.offer_search", "ok", 1500, null, '{"gpu":"A100"}', END - 60]);
  ins.run(["job-1", "vastai.instance.create", "ok", 42000, null, null, END - 10]);
  ins.run(["job-1", "ollama.model.warmup", "error", 8000, "TimeoutError", '{"model":"llama3"}', END]);
  ins.run([null, "backend.list_models", "ok", 120, null, null, END - 5]);
  ins.free();
  const bytes = db.export();
  db.close();
  return bytes;
}

describe("RUNE", () => {
  it("reads the SQLite job store read-only: spans per job end at recorded_at, errors marked", async () => {
    const bytes = await jobStore();
    const copy = bytes.slice();
    const m = await ingestFiles({ "rune/jobs.db": bytes, "rune/README": "job store" });
    expect(Array.from(bytes)).toEqual(Array.from(copy));
    const f = m.files.find((x) => x.path === "rune/jobs.db")!;
    expect(f).toMatchObject({ format: "rune.sqlite", records: 4, errors: [] });
    const job = m.lanes.find((l) => l.info.id === "rune:job-1")!;
    expect(job.info).toMatchObject({ label: "benchmark job-1", group: "rune:acme" });
    const s = spans(job);
    expect(s.map((x) => [x.name, (x.end - x.start) / 1e6])).toEqual([
      ["vastai.offer_search", 1500],
      ["vastai.instance.create", 42000],
      ["ollama.model.warmup", 8000],
    ]);
    expect(s[2].flags & SpanFlag.Error).toBeTruthy();
    expect(s[2].args.labels).toEqual({ model: "llama3" });
    expect(markers(job).map((x) => [x.name, x.kind])).toEqual([
      ["ollama.model.warmup TimeoutError", MarkerKind.Error],
    ]);
    expect(m.lanes.some((l) => l.info.id === "rune:no-job")).toBe(true);
  });

  it("a corrupt database and a database of another program get clear errors; the rest loads", async () => {
    const SQL = await initSqlJs();
    const other = new SQL.Database();
    other.run("CREATE TABLE notes (x TEXT)");
    const bytes = await jobStore();
    const corrupt = bytes.slice(0, 4096);
    corrupt.fill(7, 100, 4096);
    const m = await ingestFiles({ "a/jobs.db": bytes, "b/notes.db": other.export(), "c/broken.db": corrupt });
    const by = Object.fromEntries(m.files.map((f) => [f.path, f]));
    expect(by["b/notes.db"].errors[0].message).toMatch(/without a workflow_events table.*notes/);
    expect(by["c/broken.db"].errors.length).toBeGreaterThan(0);
    expect(by["a/jobs.db"].records).toBe(4);
  });

  it("reads a saved SSE trace, the metrics summary and results/{tenant}/{kind}/{date}/{job}.json", async () => {
    const sse = [
      "event: log",
      `data: ${JSON.stringify({ id: 1, event: "agent.ask", status: "ok", duration_ms: 2500, error_type: null, labels: { job_id: "job-9", agent_name: "k8s" }, recorded_at: END })}`,
      "",
      "event: log",
      `data: ${JSON.stringify({ id: 2, event: "driver.call", status: "error", duration_ms: 100, error_type: "HTTPError", labels: { job_id: "job-9" }, recorded_at: END + 1 })}`,
      "",
      "event: end",
      "data: {}",
      "",
    ].join("\n");
    const summary = {
      events: [{ event: "agent.ask", total: 3, ok: 2, error: 1, avg_ms: 2100.5, min_ms: 1000, max_ms: 3000 }],
    };
    const m = await ingestFiles({
      "trace-run-9.txt": sse,
      "summary.json": JSON.stringify(summary),
      "bucket/results/acme/benchmark/2026-04-24/job-3.json": JSON.stringify({
        status: "succeeded",
        created_at: END - 100,
        finished_at: END - 40,
        score: 0.9,
      }),
    });
    expect(Object.fromEntries(m.files.map((f) => [f.path, f.format]))).toEqual({
      "trace-run-9.txt": "rune.sse",
      "summary.json": "rune.summary",
      "bucket/results/acme/benchmark/2026-04-24/job-3.json": "rune.result",
    });
    const j9 = m.lanes.find((l) => l.info.id === "rune:job-9")!;
    expect(spans(j9).map((x) => [x.name, (x.end - x.start) / 1e6])).toEqual([
      ["agent.ask", 2500],
      ["driver.call", 100],
    ]);
    expect(m.files.find((f) => f.format === "rune.summary")!.warnings.join()).toMatch(
      /agent\.ask: 3 \(1 errors/,
    );
    const j3 = m.lanes.find((l) => l.info.id === "rune:job-3")!;
    expect(j3.info).toMatchObject({ group: "rune:acme" });
    expect((spans(j3)[0].end - spans(j3)[0].start) / 1e9).toBe(60);
  });
});
