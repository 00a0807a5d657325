import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../shared/formats";
import { readHead } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { parseIsoNs, TimeBase } from "../../../shared/model/time";
import { MarkerKind, SpanFlag } from "../../../shared/model/types";
import { counter, ingestFiles, laneBy, markers, spans } from "../helpers";

const ctx = (rank: number, runner = `runner-${rank}`, node = rank < 2 ? "node-a" : "node-b") => ({
  nodeId: node,
  runnerId: runner,
  pid: 4000 + rank,
  instanceId: "instance-1",
  modelId: "mlx-community/gemma-4-26b-a4b-it-4bit",
  rank,
  worldSize: 4,
  startLayer: rank * 8,
  endLayer: rank * 8 + 8,
  nLayers: 32,
});

const mem = (at: string, active: number) => ({
  generatedAt: at,
  active: { inBytes: active },
  cache: { inBytes: 1024 },
  peak: { inBytes: active * 2 },
  wiredLimit: null,
  source: "mlx.core",
});

function entry(at: string, phase: string, event: string, rank = 0, extra: Record<string, unknown> = {}) {
  return {
    at,
    phase,
    event,
    detail: null,
    attrs: {},
    context: ctx(rank),
    taskId: "task-1",
    commandId: "command-1",
    mlxMemory: mem(at, 1000 + rank),
    ...extra,
  };
}

const run = [
  entry("2026-04-24T22:03:50+00:00", "load_model", "enter"),
  entry("2026-04-24T22:03:51.000001+00:00", "load_model", "exit"),
  entry("2026-04-24T22:03:51.000002+00:00", "prefill_barrier", "enter", 0, { detail: "prefill_mx_barrier" }),
  entry("2026-04-24T22:03:51.508000+00:00", "prefill_barrier", "exit"),
  entry("2026-04-24T22:03:52+00:00", "decode_stream", "generator_step_enter"),
  entry("2026-04-24T22:03:52.25+00:00", "decode_stream", "generator_step_exit"),
  entry("2026-04-24T22:03:53+00:00", "error", "exception", 0, { attrs: { exc_type: "RuntimeError" } }),
  entry("2026-04-24T22:03:53.5+00:00", "decode_barrier", "enter"),
];

describe("time traps", () => {
  it("reads Python isoformat exactly, fractionless seconds included", () => {
    expect(parseIsoNs("2026-04-24T22:03:51+00:00")).toBe(1777068231000000000n);
    expect(parseIsoNs("2026-04-24T22:03:51.508000+00:00")).toBe(1777068231508000000n);
    expect(parseIsoNs("2026-04-24T22:03:51.000001+00:00")! - parseIsoNs("2026-04-24T22:03:51+00:00")!).toBe(
      1000n,
    );
    expect(parseIsoNs("2026-04-24T23:03:51+01:00")).toBe(parseIsoNs("2026-04-24T22:03:51Z"));
    expect(parseIsoNs("yesterday")).toBeNull();
  });

  it("keeps microsecond order that Date.parse would collapse", () => {
    const tb = new TimeBase();
    const a = tb.fromIso("2026-04-24T22:03:51.000001+00:00")!;
    const b = tb.fromIso("2026-04-24T22:03:51.000002+00:00")!;
    expect(Date.parse("2026-04-24T22:03:51.000001+00:00")).toBe(
      Date.parse("2026-04-24T22:03:51.000002+00:00"),
    );
    expect(b - a).toBe(1000);
  });
});

describe("Skulk shapes", () => {
  it("bare entries as a JSON array, JSONL and {entries} give the same lane", async () => {
    const shapes = {
      "a.json": JSON.stringify(run),
      "b.jsonl": run.map((e) => JSON.stringify(e)).join("\n") + "\n",
      "c.json": JSON.stringify({ entries: run }, null, 2),
    };
    const results = await Promise.all(Object.entries(shapes).map(([p, c]) => ingestFiles({ [p]: c })));
    for (const m of results) {
      expect(m.files[0].format).toBe("skulk.flight-recorder");
      expect(m.files[0].records).toBe(run.length);
      expect(m.lanes).toHaveLength(1);
    }
    const lane = results[0].lanes[0];
    expect(lane.info).toMatchObject({
      node: "node-a",
      rank: 0,
      worldSize: 4,
      instanceId: "instance-1",
      layers: { start: 0, end: 8, total: 32 },
    });
    const noLine = (l: typeof lane) => spans(l).map(({ line: _line, ...rest }) => rest);
    expect(noLine(results[1].lanes[0])).toEqual(noLine(lane));
    expect(noLine(results[2].lanes[0])).toEqual(noLine(lane));
    // JSONL records keep their line for the details panel.
    expect(spans(results[1].lanes[0])[1].line).toBe(3);
    const s = spans(lane);
    const barrier = s.find((x) => x.name === "prefill_barrier")!;
    expect(barrier.end - barrier.start).toBe(507_998_000);
    expect(barrier.args.detail).toBe("prefill_mx_barrier");
    const step = s.find((x) => x.name === "generator_step")!;
    expect(step.depth).toBe(1);
    expect(step.end - step.start).toBe(250_000_000);
    // The data ends inside decode_barrier: an open span.
    const last = s[s.length - 1];
    expect(last.name).toBe("decode_barrier");
    expect(last.flags & SpanFlag.Open).toBeTruthy();
    expect(markers(lane).find((m) => m.name === "exception")!.kind).toBe(MarkerKind.Exception);
    expect(counter(lane, "mlx.active")!.v[0]).toBe(1000);
    expect(counter(lane, "mlx.wiredLimit")).toBeNull();
  });

  it("a ring buffer that begins with an exit gets a truncated span from its first entry", async () => {
    const m = await ingestFiles({
      "x.jsonl":
        run
          .slice(1)
          .map((e) => JSON.stringify(e))
          .join("\n") + "\n",
    });
    const first = spans(m.lanes[0])[0];
    expect(first.name).toBe("load_model");
    expect(first.flags & SpanFlag.TruncatedStart).toBeTruthy();
  });

  it("a torn last JSONL line is a warning, not an error, and the rest loads", async () => {
    const text = run.map((e) => JSON.stringify(e)).join("\n");
    const m = await ingestFiles({ "torn.jsonl": text.slice(0, text.length - 30) });
    expect(m.files[0].errors).toEqual([]);
    expect(m.files[0].warnings.join()).toMatch(/line 8: torn last line/);
    expect(m.files[0].records).toBe(run.length - 1);
  });

  it("node diagnostics: the supervisor's state opens the current phase; milestones are points", async () => {
    const doc = {
      nodeId: "node-a",
      supervisorRunners: [
        {
          runnerId: "runner-0",
          deviceRank: 0,
          worldSize: 4,
          phase: "decode_barrier",
          phaseStartedAt: "2026-04-24T22:03:53.5+00:00",
          secondsInPhase: 30,
          lastMlxMemory: mem("2026-04-24T22:04:23+00:00", 5),
          flightRecorder: run.slice(2),
          milestones: [
            { at: "2026-04-24T22:03:50+00:00", name: "phase:load_model", detail: null },
            {
              at: "2026-04-24T22:03:51.000002+00:00",
              name: "phase:prefill_barrier",
              detail: "prefill_mx_barrier",
            },
          ],
        },
      ],
    };
    const m = await ingestFiles({ "node.json": JSON.stringify(doc) });
    expect(m.files[0]).toMatchObject({ format: "skulk.node-diagnostics", errors: [], records: 8 });
    const s = spans(m.lanes[0]).filter((x) => x.depth === 0);
    expect(s.filter((x) => x.name === "prefill_barrier")).toHaveLength(1);
    // Milestones do not open phases: load_model's span is not there, only its point.
    expect(s.map((x) => x.name)).not.toContain("load_model");
    const points = markers(m.lanes[0]).filter((x) => x.name.startsWith("phase:"));
    expect(points.map((x) => [x.name, x.kind])).toEqual([
      ["phase:load_model", MarkerKind.Info],
      ["phase:prefill_barrier", MarkerKind.Info],
    ]);
    // Still in decode_barrier 30 s after it entered, as the runner's state says.
    const open = s[s.length - 1];
    expect(open.name).toBe("decode_barrier");
    expect(open.end - open.start).toBe(30e9);
  });

  it("cluster timeline: entries without context join runners[] on runnerId; unreachable nodes are notes", async () => {
    const timeline = run.map(({ context, ...e }) => ({
      ...e,
      nodeId: context.nodeId,
      runnerId: context.runnerId,
      deviceRank: 0,
      worldSize: 4,
    }));
    const doc = {
      generatedAt: "2026-04-24T22:04:00+00:00",
      localNodeId: "node-a",
      masterNodeId: "node-a",
      runners: [
        {
          nodeId: "node-a",
          runnerId: "runner-0",
          instanceId: "instance-9",
          modelId: "m",
          deviceRank: 0,
          worldSize: 4,
          pid: 77,
          processAlive: false,
          statusKind: "RunnerFailed",
          phase: "decode_barrier",
          phaseDetail: null,
          secondsInPhase: 6.5,
          lastProgressAt: null,
          activeTaskId: null,
          activeCommandId: null,
          lastMlxMemory: null,
        },
      ],
      timeline,
      unreachableNodes: [{ nodeId: "node-c", url: "http://10.0.0.3:52415", error: "timed out" }],
    };
    const m = await ingestFiles({ "t.json": JSON.stringify(doc) });
    expect(m.files[0].format).toBe("skulk.cluster-timeline");
    const lane = laneBy(m, (l) => l.info.runnerId === "runner-0");
    expect(lane.info).toMatchObject({ instanceId: "instance-9", modelId: "m", pid: 77, layers: null });
    expect(lane.info.state?.processAlive).toBe(false);
    expect(markers(lane).some((x) => x.kind === MarkerKind.Crash)).toBe(true);
    expect(m.notes[0]).toMatchObject({ kind: "unreachable-node" });
    expect(m.notes[0].message).toContain("node-c");
  });

  it("detects every shape with the file name hidden", async () => {
    const cases: [string, string][] = [
      [JSON.stringify(run), "skulk.flight-recorder"],
      [run.map((e) => JSON.stringify(e)).join("\n"), "skulk.flight-recorder"],
      [
        JSON.stringify({ supervisorRunners: [{ runnerId: "r", flightRecorder: run }] }),
        "skulk.node-diagnostics",
      ],
      [
        JSON.stringify({
          generatedAt: "x",
          nodeId: "n",
          nodeDiagnostics: {},
          runner: {},
          flightRecorder: run,
        }),
        "skulk.capture",
      ],
      [
        JSON.stringify({ generatedAt: "x", runners: [], timeline: [], unreachableNodes: [] }),
        "skulk.cluster-timeline",
      ],
    ];
    for (const [content, id] of cases)
      expect(detectFormat(await readHead(memorySource("x", content))).format?.id).toBe(id);
  });

  it("bad input: a broken file says where, an unknown phase warns, and the rest of the folder loads", async () => {
    const m = await ingestFiles({
      "good.jsonl": run.map((e) => JSON.stringify(e)).join("\n") + "\n",
      "broken.json": '{"generatedAt": "2026-04-24T22:04:00+00:00", "runners": [], "timeline": [\n  {"at": ',
      "odd.jsonl":
        JSON.stringify(entry("2026-04-24T22:05:00+00:00", "teleport", "enter", 1)) +
        "\n" +
        JSON.stringify({ phase: "idle", event: "x", context: ctx(1) }) +
        "\n",
      "notes.txt": "hello",
    });
    const byPath = Object.fromEntries(m.files.map((f) => [f.path, f]));
    expect(byPath["broken.json"].format).toBe("skulk.cluster-timeline");
    expect(byPath["broken.json"].errors[0].message).toMatch(/malformed JSON/);
    expect(byPath["odd.jsonl"].warnings.join()).toContain('unknown phase "teleport"');
    expect(byPath["odd.jsonl"].errors[0]).toMatchObject({ line: 2 });
    expect(byPath["notes.txt"].format).toBe("unknown");
    expect(m.lanes.map((l) => l.info.rank).sort()).toEqual([0, 1]);
  });
});
