import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../shared/formats";
import { legacySessionId } from "../../../shared/formats/stormlog/uuid5";
import { readHead } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { SpanFlag } from "../../../shared/model/types";
import { counter, ingestFiles, markers, spans } from "../helpers";

const T0 = 1776988800123456789n; // beyond 2^53

function v3(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema_version: 3,
    session_id: "sess-1",
    timestamp_ns: 0,
    event_type: "sample",
    collector: "stormlog.cuda_tracker",
    sampling_interval_ms: 100,
    pid: 4242,
    host: "gpu-node-1",
    job_id: "job-7",
    rank: 0,
    local_rank: 0,
    world_size: 2,
    device_id: 0,
    allocator_allocated_bytes: 1000,
    allocator_reserved_bytes: 2000,
    allocator_active_bytes: 900,
    allocator_inactive_bytes: null,
    allocator_change_bytes: 10,
    device_used_bytes: 3000,
    device_free_bytes: 7000,
    device_total_bytes: 10000,
    context: null,
    metadata: {},
    ...over,
  };
}

/** JSON text with exact big integers for timestamp_ns (JSON.stringify cannot write BigInt). */
function line(rec: Record<string, unknown>, ts: bigint): string {
  return JSON.stringify({ ...rec, timestamp_ns: "__TS__" }).replace('"__TS__"', ts.toString());
}

describe("stormlog events", () => {
  it("keeps nanosecond timestamps beyond 2^53 exact and in order", async () => {
    const text = [line(v3(), T0 + 1n), line(v3({ allocator_allocated_bytes: 1001 }), T0)].join("\n") + "\n";
    const m = await ingestFiles({ "track.jsonl": text });
    expect(m.files[0]).toMatchObject({ format: "stormlog.events", records: 2, errors: [] });
    const c = counter(m.lanes[0], "allocator.allocated")!;
    expect(c.v).toEqual([1001, 1000]);
    expect(c.t[1] - c.t[0]).toBe(1);
    expect(BigInt(m.originSec) * 1_000_000_000n + BigInt(c.t[0])).toBe(T0);
  });

  it("reads a JSON array, {events}, a single record and CSV into lanes per session, rank and device", async () => {
    const recs = [
      v3({ timestamp_ns: 1_000 }),
      v3({ timestamp_ns: 2_000, rank: 1, local_rank: 1, device_id: 1 }),
    ];
    const csvHeader = Object.keys(v3()).join(",");
    const csvRow = (r: Record<string, unknown>) =>
      Object.keys(v3())
        .map((k) =>
          r[k] === null
            ? ""
            : typeof r[k] === "object"
              ? `"${JSON.stringify(r[k]).replace(/"/g, '""')}"`
              : String(r[k]),
        )
        .join(",");
    for (const content of [
      JSON.stringify(recs),
      JSON.stringify({ events: recs }),
      [csvHeader, ...recs.map(csvRow)].join("\n") + "\n",
    ]) {
      const m = await ingestFiles({ "x.dat": content });
      expect(m.files[0].errors).toEqual([]);
      expect(m.lanes.map((l) => [l.info.id, l.info.rank, l.info.device, l.info.group])).toEqual([
        ["stormlog:sess-1:0:0", 0, "cuda:0", "stormlog:job-7"],
        ["stormlog:sess-1:1:1", 1, "cuda:1", "stormlog:job-7"],
      ]);
      expect(counter(m.lanes[0], "device.total")!.v).toEqual([10000]);
      expect(counter(m.lanes[0], "allocator.inactive")).toBeNull();
    }
    const single = await ingestFiles({ "one.json": JSON.stringify(v3()) });
    expect(single.files[0].records).toBe(1);
  });

  it("converts legacy records as stormlog does, with the uuid5 legacy session id", async () => {
    expect(legacySessionId("/data/runs/track.json", "json")).toBe(
      "legacy-ece08bc0-f64c-5228-ab96-6ef480f742c4",
    );
    const legacy = [
      {
        timestamp: 1776988800.25,
        type: "sample",
        memory_allocated: 5 << 20,
        device: "cuda:1",
        metadata_host: "old-box",
        message: "step 1",
      },
      { timestamp: 1776988800.5, memory_mb: 12.5, device: "/GPU:0" },
      { timestamp: 1776988801, memory_allocated: 1024, device: "cpu", type: "peak" },
    ];
    const m = await ingestFiles({ "runs/track.json": JSON.stringify(legacy) });
    expect(m.files[0].errors).toEqual([]);
    const session = legacySessionId("runs/track.json", "json");
    expect(m.lanes.map((l) => l.info.id).sort()).toEqual(
      [`stormlog:${session}:0:-1`, `stormlog:${session}:0:0`, `stormlog:${session}:0:1`].sort(),
    );
    const cuda1 = m.lanes.find((l) => l.info.id.endsWith(":0:1"))!;
    expect(cuda1.info.node).toBe("old-box");
    expect(counter(cuda1, "allocator.allocated")!.v).toEqual([5 << 20]);
    const tf = m.lanes.find((l) => l.info.id.endsWith(":0:0"))!;
    expect(counter(tf, "allocator.allocated")!.v).toEqual([12.5 * 1024 * 1024]);
    expect(tf.info.device).toBe("GPU:0");
    expect(markers(m.lanes.find((l) => l.info.id.endsWith(":0:-1"))!).map((x) => x.name)).toEqual(["peak"]);
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ["an unknown field", { extra_field: 1 }, "Unknown telemetry fields: extra_field"],
    ["a missing field", { host: undefined, pid: undefined }, "Missing required telemetry fields: pid, host"],
    ["rank >= world_size", { rank: 2, world_size: 2 }, "rank must be < world_size"],
    ["local_rank >= world_size", { local_rank: 3 }, "local_rank must be < world_size"],
    ["used > total", { device_used_bytes: 20000 }, "device_used_bytes cannot exceed device_total_bytes"],
    ["free > total", { device_free_bytes: 20000 }, "device_free_bytes cannot exceed device_total_bytes"],
    ["a negative counter", { allocator_allocated_bytes: -1 }, "allocator_allocated_bytes must be >= 0"],
    [
      "a negative optional counter",
      { allocator_active_bytes: -5 },
      "allocator_active_bytes must be >= 0 when provided",
    ],
    ["pid below -1", { pid: -2 }, "pid must be >= -1"],
    ["a negative timestamp", { timestamp_ns: -1 }, "timestamp_ns must be >= 0"],
    ["a boolean where an integer goes", { device_id: true }, "device_id must be an integer"],
    ["an unsupported schema", { schema_version: 9 }, "Unsupported schema_version: 9"],
    ["metadata that is not an object", { metadata: [1] }, "metadata must be an object"],
    ["world size 1 with rank 1", { world_size: 1, rank: 1, local_rank: 0 }, "rank must be < world_size"],
    ["an empty job id", { job_id: "" }, "job_id must be a non-empty string"],
    [
      "a null required counter in v3",
      { allocator_reserved_bytes: null },
      "allocator_reserved_bytes must be an integer",
    ],
    [
      "v4 without memory_capabilities",
      { schema_version: 4 },
      "metadata.memory_capabilities is required for schema_version 4",
    ],
  ];
  for (const [what, over, message] of cases) {
    it(`rejects ${what} with stormlog's message, and keeps the good records`, async () => {
      const bad = v3(over);
      for (const k of Object.keys(over)) if (over[k] === undefined) delete bad[k];
      const text =
        [
          JSON.stringify(v3({ timestamp_ns: 1 })),
          JSON.stringify(bad),
          JSON.stringify(v3({ timestamp_ns: 3 })),
        ].join("\n") + "\n";
      const m = await ingestFiles({ "t.jsonl": text });
      expect(m.files[0].errors).toEqual([{ line: 2, message }]);
      expect(m.files[0].records).toBe(2);
    });
  }

  it("accepts v4 with null counters and memory_capabilities, and v2 without a session id", async () => {
    const v4 = v3({
      schema_version: 4,
      allocator_allocated_bytes: null,
      device_used_bytes: null,
      metadata: { memory_capabilities: { allocator: false } },
    });
    const v2 = v3({ schema_version: 2 });
    delete v2.session_id;
    const m = await ingestFiles({ "a.jsonl": [JSON.stringify(v4), JSON.stringify(v2)].join("\n") + "\n" });
    expect(m.files[0].errors).toEqual([]);
    expect(m.lanes.map((l) => l.info.id)).toContain(`stormlog:${legacySessionId("a.jsonl", "json")}:0:0`);
  });

  it("pairs phase_enter/phase_exit on scope_id into nested spans, marks warnings and keeps an open phase open", async () => {
    // As stormlog's tracker writes them: `depth` is len(path), so an outermost phase is 1.
    const ph = (t: number, type: string, path: string[], id: string) =>
      v3({
        timestamp_ns: t,
        event_type: type,
        metadata: {
          phase_scope: {
            action: type === "phase_enter" ? "enter" : "exit",
            name: path[path.length - 1],
            path,
            depth: path.length,
            scope_id: id,
            parent_scope_id: null,
          },
        },
      });
    const recs = [
      ph(1e9, "phase_enter", ["train_step"], "s1"),
      ph(1.2e9, "phase_enter", ["train_step", "forward"], "s2"),
      ph(1.5e9, "phase_exit", ["train_step", "forward"], "s2"),
      v3({ timestamp_ns: 1.6e9, event_type: "warning", context: "fragmentation high" }),
      ph(2e9, "phase_exit", ["train_step"], "s1"),
      ph(3e9, "phase_enter", ["allreduce"], "s3"),
      v3({ timestamp_ns: 4e9 }),
    ];
    const m = await ingestFiles({ "p.json": JSON.stringify(recs) });
    const s = spans(m.lanes[0]);
    expect(s.map((x) => [x.name, x.depth, (x.end - x.start) / 1e9])).toEqual([
      ["train_step", 0, 1],
      ["forward", 1, 0.3],
      ["allreduce", 0, 1],
    ]);
    expect(s[2].flags & SpanFlag.Open).toBeTruthy();
    expect(markers(m.lanes[0]).map((x) => x.name)).toEqual(["warning: fragmentation high"]);
  });

  it("is detected by content with names hidden, and claims no other project's JSON", async () => {
    const det = async (c: string) => detectFormat(await readHead(memorySource("x", c))).format?.id;
    expect(await det(JSON.stringify([v3()]))).toBe("stormlog.events");
    expect(await det(JSON.stringify({ events: [v3()] }))).toBe("stormlog.events");
    expect(await det([Object.keys(v3()).join(","), "3,s,1,sample"].join("\n"))).toBe("stormlog.events");
    expect(await det(JSON.stringify([{ timestamp: 1.5, memory_allocated: 5, type: "sample" }]))).toBe(
      "stormlog.events",
    );
    expect(await det(JSON.stringify({ traceEvents: [{ ph: "X", ts: 1 }] }))).toBe("chrome-trace");
    expect(await det(JSON.stringify({ events: [{ event: "agent.ask", total: 3 }] }))).not.toBe(
      "stormlog.events",
    );
  });
});

describe("stormlog sink directories", () => {
  const seg = (recs: Record<string, unknown>[]) =>
    recs.map((r) => JSON.stringify(r, Object.keys(r).sort())).join("\n") + "\n";
  const manifest = {
    schema_version: 2,
    format: "stormlog.append_only_telemetry_sink",
    sessions: [
      {
        session_id: "sess-9",
        status: "running",
        started_at_ns: 1000,
        ended_at_ns: null,
        host: "gpu-node-1",
        pid: 4242,
        job_id: "job-7",
        rank: 0,
        local_rank: 0,
        world_size: 2,
        source: "live",
      },
    ],
    segments: [
      { filename: "segment-000001.jsonl", event_count: 2, size_bytes: 1, closed: true, session_id: "sess-9" },
      {
        filename: "segment-000002.jsonl",
        event_count: 2,
        size_bytes: 1,
        closed: false,
        session_id: "sess-9",
      },
    ],
  };

  it("is one input: manifest sessions, listed and unlisted segments, a torn last line", async () => {
    const v2rec = (t: number) => {
      const r = v3({ schema_version: 2, timestamp_ns: t });
      delete r.session_id;
      return r;
    };
    const last = seg([v2rec(5), v2rec(6)]);
    const m = await ingestFiles({
      "live_sink/manifest.json": JSON.stringify(manifest),
      "live_sink/segment-000001.jsonl": seg([v2rec(1), v2rec(2)]),
      "live_sink/segment-000002.jsonl": seg([v2rec(3), v2rec(4)]),
      "live_sink/segment-000003.jsonl": last.slice(0, last.length - 40),
      "other/readme.txt": "hi",
    });
    const sink = m.files.find((f) => f.format === "stormlog.sink")!;
    expect(sink.path).toBe("live_sink");
    expect(sink.records).toBe(5);
    expect(sink.errors).toEqual([]);
    expect(sink.warnings.join(" ")).toMatch(/segment-000003\.jsonl is not listed/);
    expect(sink.warnings.join(" ")).toMatch(/torn last line/);
    const listed = m.lanes.find((l) => l.info.id === "stormlog:sess-9:0:0")!;
    expect(listed.info.state?.["session.status"]).toBe("running");
    expect(counter(listed, "allocator.allocated")!.v).toHaveLength(4);
    // The unlisted segment has no session hint: the sink's legacy id.
    expect(
      m.lanes.some((l) => l.info.id.startsWith(`stormlog:${legacySessionId("live_sink", "sink")}`)),
    ).toBe(true);
  });

  it("reads a v1 manifest (no sessions) and rollups.json peaks", async () => {
    const rollups = {
      schema_version: 1,
      format: "stormlog.telemetry_rollups",
      generated_at_ns: 5,
      source_manifest: "manifest.json",
      source_manifest_schema_version: 1,
      window_duration_ns: 1000,
      coverage: {},
      sessions: [
        {
          session: {
            session_id: "sess-9",
            status: "completed",
            started_at_ns: 0,
            ended_at_ns: 9,
            host: "gpu-node-1",
            pid: 1,
            rank: 0,
            local_rank: 0,
            world_size: 2,
            source: "x",
          },
          windows: [
            {
              index: 0,
              start_ns: 0,
              end_ns: 1000,
              counters: {
                allocator_allocated_bytes: { value: 777, timestamp_ns: 500, rank: 1, device_id: 1 },
              },
            },
          ],
        },
      ],
    };
    const m = await ingestFiles({
      "s/manifest.json": JSON.stringify({
        schema_version: 1,
        format: "stormlog.append_only_telemetry_sink",
        segments: [{ filename: "segment-000001.jsonl", event_count: 1 }],
      }),
      "s/segment-000001.jsonl": seg([v3({ session_id: "sess-9" })]),
      "s/rollups.json": JSON.stringify(rollups),
    });
    expect(m.files.map((f) => f.format).sort()).toEqual(["stormlog.rollups", "stormlog.sink"]);
    const lane = m.lanes.find((l) => l.info.id === "stormlog:sess-9:1:1")!;
    expect(counter(lane, "rollup.allocator.allocated.peak")!.v).toEqual([777]);
  });
});
