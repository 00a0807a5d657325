import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../shared/formats";
import { readHead } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { MarkerKind, SpanFlag } from "../../../shared/model/types";
import { counter, ingestFiles, markers, spans } from "../helpers";

const T = 1777068231000; // epoch ms
const ev = (event: string, stage: string, dt: number, data: Record<string, unknown> = {}) => ({
  event,
  stage,
  timestamp_ms: T + dt,
  data,
});
const streamEvents = [
  ev("job_enqueued", "job", 0),
  ev("job_started", "job", 40),
  ev("stage_start", "encode", 41),
  ev("stage_end", "encode", 90, { elapsed_ms: 49 }),
  ev("stage_start", "denoise", 91),
  ev("stage_progress", "denoise", 200, { step: 1, timestep: 999 }),
  ev("stage_progress", "denoise", 300, { step: 2, timestep: 980 }),
  ev("cache_hit", "denoise", 120, { kind: "text_embedding" }),
  ev("stage_end", "denoise", 900, { elapsed_ms: 809 }),
  ev("job_failed", "job", 950, { error: "CUDA out of memory" }),
];
const report = {
  run_id: "run-1",
  task: "text2image",
  model: "sdxl",
  backend: "cuda",
  job_id: "job-1",
  trace_id: "t1",
  worker_id: "worker-a",
  enqueued_at_ms: T,
  queue_wait_ms: 40,
  execution_mode: "modular",
  timings: { encode_ms: 49, denoise_ms: 809 },
  memory: { peak_mb: 10240.5 },
  stream_events: streamEvents,
  error: "CUDA out of memory",
  schema_version: "1.0.0",
};

describe("OmniRT", () => {
  it("a RunReport (inside GenerateResult) becomes queue, job and stage spans with markers and memory.peak", async () => {
    const m = await ingestFiles({ "result.json": JSON.stringify({ outputs: ["a.png"], metadata: report }) });
    expect(m.files[0]).toMatchObject({ format: "omnirt.run-report", errors: [] });
    const lane = m.lanes[0];
    expect(lane.info).toMatchObject({ id: "omnirt:worker-a", source: "omnirt" });
    const s = spans(lane).map((x) => [
      x.name,
      x.depth,
      Math.round((x.end - x.start) / 1e6),
      x.flags & SpanFlag.Error ? "error" : "",
    ]);
    expect(s).toEqual([
      ["queue", 0, 40, ""],
      ["job job-1", 0, 910, "error"],
      ["encode", 1, 49, ""],
      ["denoise", 1, 809, ""],
    ]);
    expect(markers(lane).map((x) => [x.name, x.kind])).toEqual([
      ["cache_hit text_embedding", MarkerKind.Info],
      ["job_failed", MarkerKind.Error],
      ["error", MarkerKind.Error],
    ]);
    expect(counter(lane, "memory.peak")!.v).toEqual([10240.5 * 1024 * 1024]);
    expect(counter(lane, "denoise.step")!.v).toEqual([1, 2]);
  });

  it("without stream events, timings are laid end to end and marked inferred", async () => {
    const m = await ingestFiles({ "r.json": JSON.stringify({ ...report, stream_events: [] }) });
    const s = spans(m.lanes[0]);
    expect(s.every((x) => x.flags & SpanFlag.Inferred)).toBe(true);
    expect(m.files[0].warnings.join()).toMatch(/inferred/);
  });

  it("a job trace, a JobRecord and a saved SSE stream", async () => {
    const trace = {
      trace_id: "t1",
      job_id: "job-2",
      task: "t2i",
      model: "sdxl",
      created_at_ms: T,
      worker_id: "worker-b",
      state: "succeeded",
      error: null,
      events: [],
      spans: [
        {
          span_id: "1",
          name: "vae.decode",
          stage: "vae",
          started_at_ms: T,
          ended_at_ms: T + 30,
          status: "ok",
          attributes: {},
        },
        {
          span_id: "2",
          name: "denoise.run",
          stage: "denoise",
          started_at_ms: T + 30,
          ended_at_ms: T + 90,
          status: "error",
          attributes: {},
        },
      ],
    };
    const job = {
      id: "job-3",
      state: "succeeded",
      backend: "cuda",
      request: { model: "sdxl" },
      error: null,
      trace_id: "t3",
      worker_id: "worker-c",
      enqueued_at_ms: T,
      started_at_ms: T + 5,
      finished_at_ms: T + 50,
      execution_mode: "modular",
      events: [],
    };
    const sse = [
      ": keep-alive",
      "",
      ...streamEvents
        .slice(0, 4)
        .flatMap((e) => [
          `event: ${e.event}`,
          `data: ${JSON.stringify({ ...e, job_id: "job-4", worker_id: "worker-d" })}`,
          "",
        ]),
      ": keep-alive",
      "",
    ].join("\n");
    const m = await ingestFiles({
      "trace.json": JSON.stringify(trace),
      "job.json": JSON.stringify(job),
      "events.txt": sse,
    });
    expect(Object.fromEntries(m.files.map((f) => [f.path, f.format]))).toEqual({
      "trace.json": "omnirt.trace",
      "job.json": "omnirt.job",
      "events.txt": "omnirt.sse",
    });
    const b = m.lanes.find((l) => l.info.id === "omnirt:worker-b")!;
    expect(spans(b).map((x) => [x.name, !!(x.flags & SpanFlag.Error)])).toEqual([
      ["vae", false],
      ["denoise", true],
    ]);
    expect(spans(m.lanes.find((l) => l.info.id === "omnirt:worker-c")!).map((x) => x.name)).toEqual([
      "queue",
      "job job-3",
    ]);
    const d = m.lanes.find((l) => l.info.id === "omnirt:worker-d")!;
    expect(spans(d).map((x) => x.name)).toEqual(["queue", "job job-4", "encode"]);
    expect(spans(d)[1].flags & SpanFlag.Open).toBeTruthy();
  });
});

describe("OTLP/HTTP JSON", () => {
  const otlp = (start: string | number, end: string | number) => ({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "omnirt" } }] },
        scopeSpans: [
          {
            scope: { name: "omnirt" },
            spans: [
              {
                traceId: "aa",
                spanId: "01",
                name: "job",
                startTimeUnixNano: start,
                endTimeUnixNano: end,
                attributes: [
                  { key: "worker_id", value: { stringValue: "w1" } },
                  { key: "steps", value: { intValue: "30" } },
                ],
                status: {},
              },
              {
                traceId: "aa",
                spanId: "02",
                parentSpanId: "01",
                name: "denoise",
                startTimeUnixNano: start,
                endTimeUnixNano: end,
                attributes: [{ key: "worker_id", value: { stringValue: "w1" } }],
                status: { code: 2, message: "oom" },
                events: [{ timeUnixNano: end, name: "exception", attributes: [] }],
              },
            ],
          },
        ],
      },
    ],
  });

  it("reads integer nanoseconds beyond 2^53 exactly, and string ones, with nesting and errors", async () => {
    const ints = JSON.stringify(otlp(0, 0))
      .replace(/"startTimeUnixNano":0/g, '"startTimeUnixNano":1777068231000000001')
      .replace(/"endTimeUnixNano":0/g, '"endTimeUnixNano":1777068231000000003');
    const strs = JSON.stringify(otlp("1777068231000000001", "1777068231000000003"));
    for (const text of [ints, strs, strs + "\n" + strs + "\n"]) {
      const m = await ingestFiles({ "x.json": text });
      expect(m.files[0]).toMatchObject({ format: "otlp.traces", errors: [] });
      const lane = m.lanes[0];
      expect(lane.info.label).toBe("omnirt · w1");
      const s = spans(lane);
      expect(s[0].end - s[0].start).toBe(2);
      expect(s.map((x) => [x.name, x.depth, !!(x.flags & SpanFlag.Error)])).toContainEqual([
        "denoise",
        1,
        true,
      ]);
      expect(s[0].args.steps).toBe(30);
      expect(markers(lane).map((x) => x.kind)).toContain(MarkerKind.Exception);
    }
  });
});

describe("Prometheus text", () => {
  const scrape = (depth: number, ts?: number) =>
    [
      "# TYPE omnirt_queue_depth gauge",
      `omnirt_queue_depth{instance="10.0.0.5:8000",job="omnirt"} ${depth}.0${ts ? ` ${ts}` : ""}`,
      `omnirt_jobs_total{execution_mode="modular",instance="10.0.0.5:8000",job="omnirt",model="sdxl",state="ok",task="t2i"} 12.0`,
      `omnirt_stage_duration_seconds_bucket{instance="10.0.0.5:8000",job="omnirt",le="+Inf",stage="denoise"} 12.0`,
      `omnirt_stage_duration_seconds_sum{instance="10.0.0.5:8000",job="omnirt",stage="denoise"} 40.5`,
      `omnirt_vram_peak_bytes{instance="10.0.0.5:8000",job="omnirt",note="a \\"quoted\\" value"} 1.2e+10`,
    ].join("\n") + "\n";

  it("a folder of scrapes is a counter track over time (file mtimes), buckets skipped", async () => {
    const { ingest } = await import("../../../shared/ingest/pipeline");
    const r = await ingest([
      memorySource("scrapes/a.prom", scrape(3), T),
      memorySource("scrapes/b.prom", scrape(5), T + 15_000),
      memorySource("scrapes/c.prom", scrape(1), T + 30_000),
    ]);
    expect(r.files.map((f) => f.format)).toEqual(["prometheus.text", "prometheus.text", "prometheus.text"]);
    expect(r.lanes).toHaveLength(1);
    const depth = r.lanes[0].counters.find((c) => c.name === "omnirt_queue_depth")!;
    expect(Array.from(depth.v)).toEqual([3, 5, 1]);
    expect(depth.t[1] - depth.t[0]).toBe(15e9);
    expect(r.lanes[0].counters.some((c) => c.name.includes("_bucket"))).toBe(false);
    // Label values are printed escaped, as Prometheus prints a series, so names stay unambiguous.
    expect(r.lanes[0].counters.map((c) => c.name)).toContain(
      'omnirt_vram_peak_bytes{note="a \\"quoted\\" value"}',
    );
  });

  it("is detected by content, and explicit timestamps win over the mtime", async () => {
    expect(detectFormat(await readHead(memorySource("x", scrape(2)))).format?.id).toBe("prometheus.text");
    const m = await ingestFiles({ "m.txt": scrape(7, T + 5000) });
    const c = counter(m.lanes[0], "omnirt_queue_depth")!;
    expect(c.v).toEqual([7]);
  });
});
