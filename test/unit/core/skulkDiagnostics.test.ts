import { describe, expect, it } from "vitest";
import { DEMO_NODES, generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { detectFormat } from "../../../shared/formats";
import { readHead } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import type { LaneData, Model } from "../../../shared/model/types";
import { MarkerKind, SpanFlag } from "../../../shared/model/types";
import { ingestFiles, laneBy, markers, spans } from "../helpers";
import { entry, milestone, mlx, nodeDiagnostics, PEER, supervisorRunner, type RunnerSpec } from "./skulkWire";

/** Exact epoch ns of an offset in the model. */
const ns = (m: Model, t: number) => BigInt(m.originSec) * 1_000_000_000n + BigInt(t);
const lane = (m: Model, runnerId: string) => laneBy(m, (l) => l.info.runnerId === runnerId);
const topSpans = (l: LaneData) => spans(l).filter((s) => s.depth === 0);

const r0: RunnerSpec = {
  nodeId: PEER.a,
  runnerId: "runner-0",
  rank: 0,
  worldSize: 2,
  startLayer: 0,
  endLayer: 15,
  nLayers: 30,
  pid: 41231,
};
const r1: RunnerSpec = {
  ...r0,
  nodeId: PEER.c,
  runnerId: "runner-1",
  rank: 1,
  startLayer: 15,
  endLayer: 30,
  pid: 52110,
};

const nodeA = nodeDiagnostics({
  generatedAt: "2026-04-24T22:05:00+00:00",
  nodeId: PEER.a,
  hostname: "anas-mac-studio.local",
  friendlyName: "Ana's Mac Studio",
  runners: [
    supervisorRunner(
      r0,
      {
        phase: "decode_barrier",
        phaseStartedAt: "2026-04-24T22:03:58.250100+00:00",
        secondsInPhase: 61.7499,
      },
      [
        entry(r0, "2026-04-24T22:03:50+00:00", "load_model", "enter"),
        entry(r0, "2026-04-24T22:03:58.250000+00:00", "load_model", "exit"),
        entry(r0, "2026-04-24T22:03:58.250100+00:00", "decode_barrier", "enter", "decode_mx_barrier"),
      ],
      [
        milestone("2026-04-24T22:03:50+00:00", "phase:load_model"),
        milestone("2026-04-24T22:03:58.250100+00:00", "phase:decode_barrier", "decode_mx_barrier"),
        milestone("2026-04-24T22:04:00+00:00", "task_sent", "TextGeneration:task-1"),
      ],
    ),
  ],
});
const nodeC = nodeDiagnostics({
  generatedAt: "2026-04-24T22:05:00+00:00",
  nodeId: PEER.c,
  hostname: "lab-mini-2.local",
  friendlyName: null,
  runners: [
    supervisorRunner(
      r1,
      {
        phase: "decode_wait_first_token",
        phaseStartedAt: "2026-04-24T22:03:58.251000+00:00",
        secondsInPhase: 61.749,
      },
      [
        // A full ring buffer, saved out of order: its load_model enter was evicted.
        entry(r1, "2026-04-24T22:03:58.251000+00:00", "decode_wait_first_token", "enter"),
        entry(r1, "2026-04-24T22:03:51+00:00", "load_model", "exit"),
      ],
      [milestone("2026-04-24T22:03:59+00:00", "phase:decode_wait_first_token", "await_first_token")],
    ),
  ],
});

const bundle = {
  generatedAt: "2026-04-24T22:05:00.412000+00:00",
  localNodeId: PEER.a,
  masterNodeId: PEER.a,
  nodes: [
    { nodeId: PEER.a, url: null, ok: true, diagnostics: nodeA, error: null },
    {
      nodeId: PEER.b,
      url: "http://192.168.1.23:52415",
      ok: false,
      diagnostics: null,
      error: "ConnectTimeout: timed out after 5.0s",
    },
    { nodeId: PEER.c, url: "http://192.168.1.31:52415", ok: true, diagnostics: nodeC, error: null },
  ],
};

describe("Skulk cluster diagnostics bundle", () => {
  it("reads every reachable node's runners as its own file would be, and notes the unreachable one", async () => {
    const m = await ingestFiles({ "cluster.json": JSON.stringify(bundle, null, 2) });
    expect(m.files[0]).toMatchObject({ format: "skulk.cluster-diagnostics", errors: [], warnings: [] });
    // 3 + 2 flight-recorder entries, 3 + 1 milestones.
    expect(m.files[0].records).toBe(9);
    expect(m.lanes).toHaveLength(2);

    const a = lane(m, "runner-0");
    expect(a.info).toMatchObject({
      node: PEER.a,
      nodeName: "Ana's Mac Studio",
      label: "Ana's Mac Studio · rank 0",
      group: "skulk:instance-1",
      rank: 0,
      worldSize: 2,
      pid: 41231,
      layers: { start: 0, end: 15, total: 30 },
    });
    expect(a.info.state).toMatchObject({
      phase: "decode_barrier",
      processAlive: true,
      statusKind: "RunnerRunning",
    });
    const [load, barrier] = topSpans(a);
    expect(load.name).toBe("load_model");
    expect(load.end - load.start).toBe(8_250_000_000);
    // Still in decode_barrier when node A saved its diagnostics at 22:05:00.
    expect(barrier).toMatchObject({ name: "decode_barrier", flags: SpanFlag.Open });
    expect(ns(m, barrier.start)).toBe(1777068238250100000n);
    expect(ns(m, barrier.end)).toBe(1777068300000000000n);
    expect(markers(a).map((x) => [x.name, x.kind, ns(m, x.t)])).toEqual([
      ["phase:load_model", MarkerKind.Info, 1777068230000000000n],
      ["phase:decode_barrier", MarkerKind.Info, 1777068238250100000n],
      ["task_sent", MarkerKind.Info, 1777068240000000000n],
    ]);

    const c = lane(m, "runner-1");
    // No friendly name on node C: its hostname names it.
    expect(c.info).toMatchObject({ node: PEER.c, nodeName: "lab-mini-2.local", rank: 1, pid: 52110 });
    expect(c.info.label).toBe("lab-mini-2.local · rank 1");
    const first = topSpans(c)[0];
    expect(first).toMatchObject({ name: "load_model", flags: SpanFlag.TruncatedStart });
    expect(topSpans(c)[1]).toMatchObject({ name: "decode_wait_first_token", flags: SpanFlag.Open });

    expect(m.notes).toHaveLength(1);
    expect(m.notes[0]).toMatchObject({
      kind: "unreachable-node",
      path: "cluster.json",
      fields: {
        nodeId: PEER.b,
        url: "http://192.168.1.23:52415",
        error: "ConnectTimeout: timed out after 5.0s",
      },
    });
    expect(m.notes[0].message).toContain(PEER.b);
    expect(m.notes[0].message).toContain("ConnectTimeout: timed out after 5.0s");
  });

  it("a node that answered ok without diagnostics is noted too; a broken nodes list is one error", async () => {
    const odd = {
      ...bundle,
      nodes: [{ nodeId: PEER.b, url: null, ok: true, diagnostics: null, error: null }],
    };
    const m = await ingestFiles({
      "odd.json": JSON.stringify(odd),
      "bad.json": JSON.stringify({ ...bundle, nodes: { [PEER.a]: nodeA } }),
    });
    expect(m.notes.map((n) => n.message)).toEqual([
      `node ${PEER.b} was unreachable when the cluster diagnostics were collected: it returned no diagnostics`,
    ]);
    const bad = m.files.find((f) => f.path === "bad.json")!;
    expect(bad.format).toBe("skulk.cluster-diagnostics");
    expect(bad.errors).toEqual([{ message: '"nodes" is not a list' }]);
  });

  it("a node diagnostics file and the bundle holding the same node give one lane, milestones once", async () => {
    const m = await ingestFiles({
      "cluster.json": JSON.stringify(bundle),
      "node-a.json": JSON.stringify(nodeA),
    });
    expect(m.files.map((f) => [f.format, f.records, f.errors.length])).toEqual([
      ["skulk.cluster-diagnostics", 9, 0],
      ["skulk.node-diagnostics", 6, 0],
    ]);
    expect(markers(lane(m, "runner-0"))).toHaveLength(3);
    expect(topSpans(lane(m, "runner-0")).map((s) => s.name)).toEqual(["load_model", "decode_barrier"]);
  });
});

describe("the demo's saved responses", () => {
  it("every Skulk file loads without an error, and the unreachable node is one note", async () => {
    const m = await ingestFiles(Object.fromEntries(generateSkulkDemo().map((f) => [f.path, f.content])));
    const skulk = m.files.filter((f) => f.format.startsWith("skulk."));
    expect(skulk.map((f) => [f.path, f.format, f.errors])).toEqual([
      ["node-a/diagnostics.json", "skulk.node-diagnostics", []],
      ["node-b/diagnostics.json", "skulk.node-diagnostics", []],
      ["node-b/capture-runner-b2.json", "skulk.capture", []],
      ["cluster/timeline.json", "skulk.cluster-timeline", []],
      ["cluster/diagnostics.json", "skulk.cluster-diagnostics", []],
      ["node-a/flight-recorder-rank0.jsonl", "skulk.flight-recorder", []],
    ]);
    // The timeline and the bundle both list node C, with the same error.
    expect(m.notes.map((n) => [n.kind, n.fields?.nodeId])).toEqual([["unreachable-node", DEMO_NODES.c.id]]);
    expect(m.lanes.map((l) => l.info.nodeName).sort()).toEqual([
      "Ana's Mac Studio",
      "Ana's Mac Studio",
      "Ana's Mac Studio",
      "Ben's Mac mini",
      "Ben's Mac mini",
      "Ben's Mac mini",
    ]);
  });
});

describe("Skulk milestones", () => {
  it("32 milestones are 32 Info markers on their runner's lane, no errors and no phase spans", async () => {
    const names = ["phase:prefill_barrier", "phase:decode_stream", "task_sent", "task_acknowledged"];
    // Whole seconds: Python's isoformat writes no fraction at all.
    const list = Array.from({ length: 32 }, (_, i) =>
      milestone(
        `2026-04-24T22:03:${String(i).padStart(2, "0")}+00:00`,
        names[i % 4],
        i % 4 === 2 ? `task-${i}` : null,
      ),
    );
    const doc = nodeDiagnostics({
      generatedAt: "2026-04-24T22:04:00+00:00",
      nodeId: PEER.a,
      hostname: "anas-mac-studio.local",
      friendlyName: null,
      runners: [
        supervisorRunner(
          r0,
          { phase: "idle", phaseStartedAt: "2026-04-24T22:03:41.500000+00:00", secondsInPhase: 18.5 },
          [
            entry(r0, "2026-04-24T22:03:40+00:00", "decode_stream", "enter"),
            entry(r0, "2026-04-24T22:03:41.500000+00:00", "decode_stream", "exit"),
          ],
          list,
        ),
      ],
    });
    const m = await ingestFiles({ "diag.json": JSON.stringify(doc) });
    expect(m.files[0]).toMatchObject({ format: "skulk.node-diagnostics", records: 34, errors: [] });
    const l = m.lanes[0];
    const ms = markers(l);
    expect(ms).toHaveLength(32);
    expect(ms.every((x) => x.kind === MarkerKind.Info)).toBe(true);
    expect(ms.map((x) => x.name)).toEqual(list.map((x) => x.name));
    expect(ns(m, ms[31].t) - ns(m, ms[0].t)).toBe(31_000_000_000n);
    expect(topSpans(l).map((s) => s.name)).toEqual(["decode_stream", "idle"]);
    const args = JSON.parse(l.strings[l.markers.args[2]]);
    expect(args).toEqual({ milestone: true, detail: "task-2" });
  });

  it("a milestone without a usable time is one error that says where; the others load", async () => {
    const doc = nodeDiagnostics({
      generatedAt: "2026-04-24T22:04:00+00:00",
      nodeId: PEER.a,
      hostname: "h",
      friendlyName: null,
      runners: [
        supervisorRunner(
          r0,
          { phase: "idle", phaseStartedAt: "2026-04-24T22:03:41+00:00", secondsInPhase: 19 },
          [],
          [milestone("2026-04-24T22:03:01+00:00", "task_sent"), milestone("soon", "task_acknowledged")],
        ),
      ],
    });
    const m = await ingestFiles({ "diag.json": JSON.stringify(doc) });
    expect(m.files[0].errors).toEqual([{ message: 'supervisorRunners[0].milestones[1] has no valid "at"' }]);
    expect(m.files[0].records).toBe(1);
    expect(markers(m.lanes[0]).map((x) => x.name)).toEqual(["task_sent"]);
  });
});

describe("Skulk capture", () => {
  it("counts the runner's records once, though nodeDiagnostics, runner and flightRecorder repeat them", async () => {
    const fr = [
      entry(r0, "2026-04-24T22:03:50+00:00", "prefill_barrier", "enter", "prefill_mx_barrier"),
      entry(r0, "2026-04-24T22:03:50.812000+00:00", "prefill_barrier", "exit", "prefill_mx_barrier"),
    ];
    const ms = [milestone("2026-04-24T22:03:49+00:00", "task_sent", "TextGeneration:task-1")];
    const runner = supervisorRunner(
      r0,
      { phase: "prefill_pipeline", phaseStartedAt: "2026-04-24T22:03:50.812000+00:00", secondsInPhase: 9 },
      fr,
      ms,
    );
    const capture = {
      generatedAt: "2026-04-24T22:04:00+00:00",
      nodeId: PEER.a,
      nodeDiagnostics: nodeDiagnostics({
        generatedAt: "2026-04-24T22:03:59.998000+00:00",
        nodeId: PEER.a,
        hostname: "anas-mac-studio.local",
        friendlyName: "Ana's Mac Studio",
        runners: [runner],
      }),
      runner,
      flightRecorder: fr,
      mlxMemory: mlx("2026-04-24T22:03:59.990000+00:00", 1 << 30),
      processSamples: [],
      warnings: [],
    };
    const text = JSON.stringify(capture);
    expect(detectFormat(await readHead(memorySource("x", text))).format?.id).toBe("skulk.capture");
    const m = await ingestFiles({ "capture.json": text });
    expect(m.files[0]).toMatchObject({ format: "skulk.capture", records: 3, errors: [] });
    expect(m.lanes).toHaveLength(1);
    expect(m.lanes[0].info.nodeName).toBe("Ana's Mac Studio");
    expect(topSpans(m.lanes[0]).map((s) => s.name)).toEqual(["prefill_barrier", "prefill_pipeline"]);
    expect(markers(m.lanes[0]).map((x) => x.name)).toEqual(["task_sent"]);
  });
});

describe("Skulk detection with the file name hidden", () => {
  const detect = async (content: string) =>
    detectFormat(await readHead(memorySource("x", content))).format?.id;

  it("tells the bundle, a node's diagnostics and the timeline apart", async () => {
    expect(await detect(JSON.stringify(bundle, null, 2))).toBe("skulk.cluster-diagnostics");
    expect(await detect(JSON.stringify(bundle))).toBe("skulk.cluster-diagnostics");
    // A bundle whose first node was unreachable has no runners near the top.
    const first = { ...bundle, nodes: [bundle.nodes[1], bundle.nodes[0]] };
    expect(await detect(JSON.stringify(first))).toBe("skulk.cluster-diagnostics");
    expect(await detect(JSON.stringify(nodeA))).toBe("skulk.node-diagnostics");
    const timeline = {
      generatedAt: "x",
      localNodeId: PEER.a,
      masterNodeId: PEER.a,
      runners: [],
      timeline: [],
      unreachableNodes: [],
    };
    expect(await detect(JSON.stringify(timeline))).toBe("skulk.cluster-timeline");
  });

  it("finds node diagnostics whose process list pushes supervisorRunners past the head", async () => {
    const processes = Array.from({ length: 400 }, (_, i) => ({
      pid: 1000 + i,
      parentPid: 1,
      role: "other",
      command: `/usr/bin/python3 -m some.long.module --with --many --arguments ${"x".repeat(120)}`,
      status: "sleeping",
      cpuPercent: 0,
      memoryPercent: 0.1,
      rss: { inBytes: 1024 },
      elapsedSeconds: 12.5,
      isChildOfSkulk: false,
    }));
    const text = JSON.stringify({ ...nodeA, processes });
    expect(text.indexOf('"supervisorRunners"')).toBeGreaterThan(64 * 1024);
    expect(await detect(text)).toBe("skulk.node-diagnostics");
  });
});
