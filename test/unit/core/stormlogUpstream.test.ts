import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../shared/formats";
import { readHead } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { parseArgs } from "../../../shared/model/builder";
import { inspectReport } from "../../../shared/model/summary";
import { MarkerKind, type LaneData, type Model } from "../../../shared/model/types";
import { counter, ingestFiles, laneBy, markers, spans } from "../helpers";

const DIR = "../../fixtures/upstream/stormlog/";
const file = (name: string) => readFileSync(new URL(DIR + name, import.meta.url), "utf8");
const RANK0_CSV = file("generated/rank0.csv");
const RANK1_JSON = file("generated/rank1.json");
const SINK = {
  "live_sink/manifest.json": file("generated/live_sink/manifest.json"),
  "live_sink/segment-000001.jsonl": file("generated/live_sink/segment-000001.jsonl"),
};
const RANK1_SESSION = "9b82820f-b287-464e-a03a-e889c83ce296";

const detect = async (content: string) =>
  detectFormat(await readHead(memorySource("x", content))).format?.id ?? "unknown";

/** Exact epoch ns of a lane-relative offset. */
const abs = (m: Model, t: number) => BigInt(m.originSec) * 1_000_000_000n + BigInt(t);

const CSV_HEADER =
  "schema_version,session_id,timestamp_ns,event_type,collector,sampling_interval_ms,pid,host,job_id,rank,local_rank,world_size,device_id,allocator_allocated_bytes,allocator_reserved_bytes,allocator_active_bytes,allocator_inactive_bytes,allocator_change_bytes,device_used_bytes,device_free_bytes,device_total_bytes,context,metadata";

describe("stormlog files written by stormlog itself", () => {
  it("each is detected by content with its name hidden; the JSON Schemas are not events", async () => {
    for (const name of [
      "generated/rank0.csv",
      "generated/rank1.json",
      "generated/phase_events.json",
      "generated/track-v2.json",
      "generated/live_sink/segment-000001.jsonl",
    ])
      expect([name, await detect(file(name))]).toEqual([name, "stormlog.events"]);
    expect(await detect(file("generated/live_sink/rollups.json"))).toBe("stormlog.rollups");
    for (const name of ["telemetry_event_v2", "telemetry_event_v3", "telemetry_rollup_v1"])
      expect([name, await detect(file(`${name}.schema.json`))]).toEqual([name, "unknown"]);
  });

  it("rank0.csv (pandas to_csv): 13 records of rank 0 of 2, empty cells null, times exact", async () => {
    const m = await ingestFiles({ "rank0.csv": RANK0_CSV });
    expect(m.files[0]).toMatchObject({ format: "stormlog.events", records: 13, errors: [], warnings: [] });
    expect(m.lanes).toHaveLength(1);
    const lane = m.lanes[0];
    expect(lane.info).toMatchObject({
      id: "stormlog:0c7f5a2b-448b-4c4e-9a6b-a2f9a88ab670:0:-1",
      rank: 0,
      worldSize: 2,
      group: "stormlog:train-42",
      node: "vm",
      device: "cpu",
      pid: 22873,
    });
    const allocated = counter(lane, "allocator.allocated")!;
    expect(allocated.v).toHaveLength(13);
    expect([allocated.v[0], allocated.v[12]]).toEqual([28045312, 28106752]);
    expect(abs(m, allocated.t[0])).toBe(1796110344603104512n);
    expect(abs(m, allocated.t[12])).toBe(1796110346603869440n);
    expect(counter(lane, "device.free")).toBeNull();
    expect(markers(lane).map((x) => x.name)).toEqual([
      "start: CPU memory tracking started",
      "peak: New CPU peak RSS: 26.75 MB",
      "stop: CPU memory tracking stopped",
    ]);
  });

  it("phase_events.json: its phases are listed, nested ones under their parent", async () => {
    const m = await ingestFiles({ "phase_events.json": file("generated/phase_events.json") });
    expect(inspectReport(m).lanes[0].phases).toEqual(["train", "forward", "backward", "evaluate"]);
    const s = spans(m.lanes[0]);
    expect(s.map((x) => [x.name, x.depth])).toEqual([
      ["train", 0],
      ["forward", 1],
      ["backward", 1],
      ["evaluate", 0],
    ]);
    expect([abs(m, s[0].start), abs(m, s[0].end)]).toEqual([1796110357344474624n, 1796110357356400640n]);
    expect(s[1].args.metadata.phase_scope.attributes).toEqual({ microbatch: 4 });
  });
});

describe("a pandas CSV from the CUDA tracker", () => {
  // Written by Python's csv module as pandas' to_csv does: metadata is str(dict), the nullable
  // int columns that hold a null are float64 ("85899345920.0"), a context may hold a newline.
  const CUDA_CSV = [
    CSV_HEADER,
    `3,sess-cuda,1796110344603104512,sample,stormlog.cuda_tracker,100,4242,gpu-node-1,job-7,1,1,2,0,1073741824,2147483648,1000000000.0,,0,4294967296.0,81604378624.0,85899345920.0,Collected CUDA telemetry sample.,"{'backend': 'cuda', 'telemetry_partial': False, 'collector_last_error': None, 'device_name': 'NVIDIA A100-SXM4-80GB', 'memory_capabilities': {'allocator': True, 'device_totals': True}, 'streams': [0, 7], 'note': 'it\\'s a ""test""\\nline two'}"`,
    `3,sess-cuda,1796110344703104512,collector_degraded,stormlog.cuda_tracker,100,4242,gpu-node-1,job-7,1,1,2,0,1073741824,2147483648,,,0,4294967296.0,,,Collector degraded,"{'backend': 'cuda', 'telemetry_partial': True, 'collector_last_error': 'NVML: Unknown Error', 'memory_capabilities': {'allocator': True, 'device_totals': False}}"`,
    `3,sess-cuda,1796110344803104512,warning,stormlog.cuda_tracker,100,4242,gpu-node-1,job-7,1,1,2,0,1073741824,2147483648,,,0,4294967296.0,,,"fragmentation high`,
    `see allocator",{}`,
    // A SLURM job id: digits, but a text field ("job_id must be a string" if read as a number).
    `3,sess-slurm,1796110344803104512,sample,stormlog.cuda_tracker,100,4243,gpu-node-2,1234567,0,0,2,0,1,1,,,0,1.0,,,,{}`,
    "",
  ].join("\n");

  it("accepts every row: Python-repr metadata, float-written ints, a quoted newline, a numeric job id", async () => {
    expect(await detect(CUDA_CSV)).toBe("stormlog.events");
    const m = await ingestFiles({ "track.csv": CUDA_CSV });
    expect(m.files[0]).toMatchObject({ records: 4, errors: [], warnings: [] });
    const lane = laneBy(m, (l: LaneData) => l.info.id === "stormlog:sess-cuda:1:0");
    expect(lane.info).toMatchObject({ device: "cuda:0", rank: 1, worldSize: 2 });
    expect(counter(lane, "device.total")!.v).toEqual([85899345920]);
    expect(counter(lane, "device.free")!.v).toEqual([81604378624]);
    expect(counter(lane, "allocator.active")!.v).toEqual([1000000000]);
    expect(counter(lane, "device.used")!.v).toEqual([4294967296, 4294967296, 4294967296]);
    expect(markers(lane).map((x) => [x.name, x.kind])).toEqual([
      ["collector_degraded: Collector degraded", MarkerKind.Warning],
      ["warning: fragmentation high\nsee allocator", MarkerKind.Warning],
    ]);
    const degraded = parseArgs(lane.strings[lane.markers.args[0]]);
    expect(degraded.metadata).toEqual({
      backend: "cuda",
      telemetry_partial: true,
      collector_last_error: "NVML: Unknown Error",
      memory_capabilities: { allocator: true, device_totals: false },
    });
    expect(laneBy(m, (l) => l.info.id === "stormlog:sess-slurm:0:0").info.group).toBe("stormlog:1234567");
  });

  it("reads the first row's metadata exactly (escaped quotes, a nested dict, a list)", async () => {
    const { parsePythonLiteral } = await import("../../../shared/formats/stormlog/pyrepr");
    expect(
      parsePythonLiteral(
        `{'backend': 'cuda', 'telemetry_partial': False, 'collector_last_error': None, 'streams': [0, 7], 'note': 'it\\'s a "test"\\nline two', 'big': 85045870592, 't': (1, 2.5e-05), 1: 'x'}`,
      ),
    ).toEqual({
      backend: "cuda",
      telemetry_partial: false,
      collector_last_error: null,
      streams: [0, 7],
      note: 'it\'s a "test"\nline two',
      big: 85045870592,
      t: [1, 2.5e-5],
      "1": "x",
    });
    expect(parsePythonLiteral("{'x': np.float64(1.5), 'n': np.int64(3)}")).toEqual({ x: 1.5, n: 3 });
    expect(() => parsePythonLiteral("{'a': datetime.datetime(2024, 1, 1)}")).toThrow(
      'unexpected "d" at character 7',
    );
  });

  it("a row it cannot read is an error on that row; the others load", async () => {
    const rows = CUDA_CSV.split("\n");
    const bad = [
      rows[0],
      rows[1],
      rows[2].replace(/"\{.*\}"$/, "oops"),
      rows[2].replace(",4294967296.0,", ",4294967296.5,"),
      "",
    ].join("\n");
    const m = await ingestFiles({ "track.csv": bad });
    expect(m.files[0].errors).toEqual([
      { line: 3, message: 'metadata cannot be read: unexpected "o" at character 1' },
      { line: 4, message: "device_used_bytes must be an integer" },
    ]);
    expect(m.files[0].records).toBe(1);
  });

  it("a dict holding a value with no literal form (a datetime) keeps its row, metadata as text", async () => {
    const rows = CUDA_CSV.split("\n");
    const dict = "{'backend': 'cuda', 'started': datetime.datetime(2026, 1, 1, 0, 0), 'x': np.float64(1.5)}";
    const csv = [rows[0], rows[2].replace(/"\{.*\}"$/, `"${dict}"`), ""].join("\n");
    const m = await ingestFiles({ "track.csv": csv });
    expect(m.files[0]).toMatchObject({ records: 1, errors: [] });
    expect(m.files[0].warnings).toEqual([
      'line 2: metadata kept as text: it holds a value with no Python literal form (unexpected "d" at character 32) (and any later rows like it)',
    ]);
    const lane = m.lanes[0];
    expect(parseArgs(lane.strings[lane.markers.args[0]]).metadata).toEqual({ repr: dict });
  });
});

describe("an export and the sink of the same run", () => {
  const rank1Lane = (m: Model) => laneBy(m, (l) => l.info.id === `stormlog:${RANK1_SESSION}:1:-1`);

  it("rank1.json + live_sink/ hold the same 23 records: counted once, both reports say 23", async () => {
    const m = await ingestFiles({ "rank1.json": RANK1_JSON, ...SINK });
    const sink = m.files.find((f) => f.format === "stormlog.sink")!;
    const json = m.files.find((f) => f.path === "rank1.json")!;
    expect(sink).toMatchObject({ records: 23, errors: [], warnings: [] });
    expect(json).toMatchObject({ records: 23, errors: [] });
    expect(json.warnings).toEqual([
      `23 of these records were already read from live_sink (the same session ${RANK1_SESSION}): each is counted once`,
    ]);
    const lane = rank1Lane(m);
    expect(m.lanes).toHaveLength(1);
    expect(counter(lane, "allocator.allocated")!.v).toHaveLength(23);
    // 6 peaks, a start and a stop.
    expect(markers(lane)).toHaveLength(8);
    // The sink's manifest still describes the session.
    expect(lane.info.state?.["session.status"]).toBe("completed");
  });

  it("each alone holds the same 23 records", async () => {
    for (const files of [{ "rank1.json": RANK1_JSON }, SINK]) {
      const m = await ingestFiles(files);
      expect(m.files[0]).toMatchObject({ records: 23, warnings: [] });
      expect(counter(rank1Lane(m), "allocator.allocated")!.v).toHaveLength(23);
      expect(markers(rank1Lane(m))).toHaveLength(8);
    }
  });

  it("the same records written as pandas CSV are the same records", async () => {
    const recs = JSON.parse(RANK1_JSON.replace(/(\d{16,})/g, '"$1"')) as Record<string, unknown>[];
    const cell = (k: string, v: unknown) =>
      v === null
        ? ""
        : k === "allocator_allocated_bytes"
          ? `${String(v)}.0`
          : k === "metadata"
            ? "{}"
            : String(v);
    const csv =
      [
        Object.keys(recs[0]).join(","),
        ...recs.slice(0, 5).map((r) =>
          Object.entries(r)
            .map(([k, v]) => cell(k, v))
            .join(","),
        ),
      ].join("\n") + "\n";
    const m = await ingestFiles({ "rank1.json": RANK1_JSON, "rank1.csv": csv });
    expect(m.files.map((f) => [f.path, f.records])).toEqual([
      ["rank1.json", 23],
      ["rank1.csv", 5],
    ]);
    expect(m.files[1].warnings[0]).toMatch(/^5 of these records were already read from rank1\.json/);
    expect(counter(rank1Lane(m), "allocator.allocated")!.v).toHaveLength(23);
  });

  it("two different records at the same instant are both kept; only a record seen before is dropped", async () => {
    const recs = JSON.parse(RANK1_JSON.replace(/(\d{16,})/g, '"\\u0000$1"')) as Record<string, unknown>[];
    const line = (r: Record<string, unknown>) => JSON.stringify(r).replace(/"\\u0000(\d+)"/g, "$1");
    const peak = { ...recs[1], timestamp_ns: recs[2].timestamp_ns }; // "New CPU peak RSS: 26.96 MB"
    // Three events in one nanosecond: a peak, a warning, and the same peak on another rank.
    const sameInstant = [
      peak,
      { ...peak, event_type: "warning", context: "RSS high" },
      { ...peak, rank: 0, local_rank: 0 },
    ];
    const a = sameInstant.map(line).join("\n") + "\n";
    // b holds the first again, and a peak that differs from it in one counter only.
    const b = [line(peak), line({ ...peak, allocator_change_bytes: 7 })].join("\n") + "\n";
    const m = await ingestFiles({ "a.jsonl": a, "b.jsonl": b });
    expect(m.files.map((f) => f.records)).toEqual([3, 2]);
    expect(m.files[0].warnings).toEqual([]);
    expect(m.files[1].warnings).toEqual([
      `1 of these records were already read from a.jsonl (the same session ${RANK1_SESSION}): each is counted once`,
    ]);
    const rank1 = markers(rank1Lane(m));
    expect(rank1.map((x) => x.name).sort()).toEqual([
      "peak: New CPU peak RSS: 26.96 MB",
      "peak: New CPU peak RSS: 26.96 MB",
      "warning: RSS high",
    ]);
    expect(new Set(rank1.map((x) => x.t)).size).toBe(1);
    const rank0 = laneBy(m, (l) => l.info.id === `stormlog:${RANK1_SESSION}:0:-1`);
    expect(markers(rank0).map((x) => x.name)).toEqual(["peak: New CPU peak RSS: 26.96 MB"]);
  });
});
