import { describe, expect, it } from "vitest";
import { toChromeTrace } from "../../../shared/export/chromeTrace";
import { nodeLabels, shortNodeIds } from "../../../shared/model/nodeNames";
import { formatInspect, inspectReport } from "../../../shared/model/summary";
import { ingestFiles, laneBy } from "../helpers";
import {
  entry,
  nodeDiagnostics,
  PEER,
  placementRunner,
  supervisorRunner,
  type RunnerSpec,
} from "./skulkWire";

const spec = (nodeId: string, rank: number): RunnerSpec => ({
  nodeId,
  runnerId: `runner-${rank}`,
  rank,
  worldSize: 3,
  startLayer: rank * 10,
  endLayer: rank * 10 + 10,
  nLayers: 30,
  pid: 4000 + rank,
});
const ra = spec(PEER.a, 0);
const rb = spec(PEER.b, 1);
const rc = spec(PEER.c, 2);

/** The master's cluster timeline: node ids only, no names, no layer ranges. */
const timeline = {
  generatedAt: "2026-04-24T22:05:00+00:00",
  localNodeId: PEER.a,
  masterNodeId: PEER.a,
  runners: [ra, rb, rc].map((r) => ({
    nodeId: r.nodeId,
    runnerId: r.runnerId,
    instanceId: "instance-1",
    modelId: "m",
    deviceRank: r.rank,
    worldSize: 3,
    pid: r.pid,
    processAlive: true,
    statusKind: "RunnerRunning",
    phase: "decode_barrier",
    phaseDetail: null,
    secondsInPhase: 4,
    lastProgressAt: null,
    activeTaskId: null,
    activeCommandId: null,
    lastMlxMemory: null,
  })),
  timeline: [ra, rb, rc].map((r) => {
    const { context, ...e } = entry(r, "2026-04-24T22:04:56+00:00", "decode_barrier", "enter");
    return { ...e, nodeId: context.nodeId, runnerId: r.runnerId, deviceRank: r.rank, worldSize: 3 };
  }),
  unreachableNodes: [],
};

/** Node A's own diagnostics: its runtime names it; its placement names node B but not C. */
const nodeA = nodeDiagnostics({
  generatedAt: "2026-04-24T22:05:00+00:00",
  nodeId: PEER.a,
  hostname: "anas-mac-studio.local",
  friendlyName: "Ana's Mac Studio",
  runners: [
    supervisorRunner(
      ra,
      { phase: "decode_barrier", phaseStartedAt: "2026-04-24T22:04:56+00:00", secondsInPhase: 4 },
      [],
      [],
    ),
  ],
  placements: [
    {
      instanceId: "instance-1",
      runners: [
        placementRunner(ra, "Ana's Mac Studio"),
        placementRunner(rb, "Ben's MacBook Pro"),
        placementRunner(rc, null),
      ],
    },
  ],
});

describe("node names", () => {
  for (const order of ["timeline first", "node diagnostics first"]) {
    it(`join across a cluster timeline and a node diagnostics file (${order})`, async () => {
      const files: Record<string, string> =
        order === "timeline first"
          ? { "timeline.json": JSON.stringify(timeline), "node-a.json": JSON.stringify(nodeA) }
          : { "node-a.json": JSON.stringify(nodeA), "timeline.json": JSON.stringify(timeline) };
      const m = await ingestFiles(files);
      expect(m.files.map((f) => f.errors)).toEqual([[], []]);
      const by = (rank: number) => laneBy(m, (l) => l.info.rank === rank).info;
      expect(by(0)).toMatchObject({
        node: PEER.a,
        nodeName: "Ana's Mac Studio",
        label: "Ana's Mac Studio · rank 0",
      });
      // Named only by node A's placement; its lane came from the timeline alone.
      expect(by(1)).toMatchObject({
        node: PEER.b,
        nodeName: "Ben's MacBook Pro",
        label: "Ben's MacBook Pro · rank 1",
      });
      // Nobody names node C: the end of its id that no other node shares.
      expect(by(2)).toMatchObject({ node: PEER.c, nodeName: null, label: "…CVe2Xo · rank 2" });
      // The placement gives the timeline's lanes their layer ranges.
      expect(by(2).layers).toEqual({ start: 20, end: 30, total: 30 });
      expect(m.lanes).toHaveLength(3);
    });
  }

  it("a node's own runtime name beats what a peer's placement calls it, in either order", async () => {
    const nodeB = nodeDiagnostics({
      generatedAt: "2026-04-24T22:05:00+00:00",
      nodeId: PEER.b,
      hostname: "bens-mbp.local",
      friendlyName: "ben-studio",
      runners: [],
    });
    for (const files of [
      {
        "a.json": JSON.stringify(nodeA),
        "b.json": JSON.stringify(nodeB),
        "t.json": JSON.stringify(timeline),
      },
      {
        "b.json": JSON.stringify(nodeB),
        "t.json": JSON.stringify(timeline),
        "a.json": JSON.stringify(nodeA),
      },
    ]) {
      const m = await ingestFiles(files);
      expect(laneBy(m, (l) => l.info.node === PEER.b).info.nodeName).toBe("ben-studio");
    }
  });

  it("NodeIdentity's default friendlyName 'Unknown' is no name: the hostname is used", async () => {
    const doc = {
      ...nodeA,
      runtime: { ...nodeA.runtime, friendlyName: null },
      identity: { friendlyName: "Unknown" },
      placements: [],
    };
    const m = await ingestFiles({ "a.json": JSON.stringify(doc) });
    expect(m.lanes[0].info.nodeName).toBe("anas-mac-studio.local");
  });

  it("inspect --json and the Chrome trace export carry the name; the id stays the node", async () => {
    const m = await ingestFiles({
      "timeline.json": JSON.stringify(timeline),
      "node-a.json": JSON.stringify(nodeA),
    });
    const report = inspectReport(m);
    expect(report.lanes.map((l) => [l.node, l.nodeName, l.label])).toEqual([
      [PEER.a, "Ana's Mac Studio", "Ana's Mac Studio · rank 0"],
      [PEER.b, "Ben's MacBook Pro", "Ben's MacBook Pro · rank 1"],
      [PEER.c, null, "…CVe2Xo · rank 2"],
    ]);
    expect(formatInspect(report)).toContain("  Ben's MacBook Pro · rank 1 rank 1/3:");
    const threads = toChromeTrace(m)
      .traceEvents.filter((e) => e.name === "thread_name")
      .map((e) => (e.args as { name: string }).name);
    expect(threads).toEqual(["Ana's Mac Studio · rank 0", "Ben's MacBook Pro · rank 1", "…CVe2Xo · rank 2"]);
    // Importing the export keeps the names.
    const back = await ingestFiles({ "export.json": JSON.stringify(toChromeTrace(m)) });
    expect(back.lanes.map((l) => [l.info.node, l.info.nodeName])).toEqual([
      [PEER.a, "Ana's Mac Studio"],
      [PEER.b, "Ben's MacBook Pro"],
      [PEER.c, null],
    ]);
  });
});

describe("short node ids", () => {
  it("keeps the shortest end of each id that no other id shares, at least 6 characters", () => {
    // Alike for 45 characters: a cut after the first 14 shows the same text for both.
    const x = "12D3KooWRx5BL6CkrtJFAqGs8ZhqXuZDEnsvqYSBF3Sa9fuwHM";
    const y = "12D3KooWRx5BL6CkrtJFAqGs8ZhqXuZDEnsvqYSBF3Sb9fuwHM";
    const ids = shortNodeIds([x, y, PEER.a, PEER.b, "node-a"]);
    expect(ids.get(x)).toBe("…a9fuwHM");
    expect(ids.get(y)).toBe("…b9fuwHM");
    expect(ids.get(PEER.a)).toBe("…c6iDEp");
    expect(ids.get(PEER.b)).toBe("…2uQe8a");
    // Short ids are already readable.
    expect(ids.get("node-a")).toBe("node-a");
    expect(new Set(ids.values()).size).toBe(5);
  });

  it("an id that is the end of another is shown whole", () => {
    const long = "12D3KooWRx5BL6CkrtJFAqGs8ZhqXuZDEnsvqYSBF3Sa9fuwHM";
    const tail = long.slice(-20);
    const ids = shortNodeIds([long, tail]);
    expect(ids.get(tail)).toBe(tail);
    expect(ids.get(long)).toBe(`…${long.slice(-21)}`);
  });

  it("labels: the name where known, the short id else; a name two nodes share gets their short ids", () => {
    const labels = nodeLabels([
      { node: PEER.a, nodeName: "Mac Studio" },
      { node: PEER.b, nodeName: "Mac Studio" },
      { node: PEER.c, nodeName: null },
      { node: PEER.c, nodeName: "lab-mini" },
      { node: null, nodeName: "ignored" },
    ]);
    expect([...labels]).toEqual([
      [PEER.a, { text: "Mac Studio (…c6iDEp)", title: `Mac Studio\n${PEER.a}` }],
      [PEER.b, { text: "Mac Studio (…2uQe8a)", title: `Mac Studio\n${PEER.b}` }],
      // A later item that names the node names it.
      [PEER.c, { text: "lab-mini", title: `lab-mini\n${PEER.c}` }],
    ]);
  });
});
