import { pyIso } from "./random";

/**
 * The demo's runners as Skulk's API serializes them when an operator saves its responses
 * (src/skulk/shared/types/diagnostics.py): camelCase in field order, nulls present, times
 * in Python isoformat on each node's own clock.
 */

export interface DemoFile {
  path: string;
  content: string;
}

/** The demo's nodes. C is in the cluster but unreachable when the files were saved. */
export const DEMO_NODES = {
  a: {
    id: "12D3KooWGzBx7pNw3qTfY8cRkV2mJd5HsLa9XuE4bWnQ6tPyCvZr",
    friendlyName: "Ana's Mac Studio",
    hostname: "anas-mac-studio.local",
    url: null,
  },
  b: {
    id: "12D3KooWJq4sXhT9vRb2LmYc7Nw5KdFg3PzE8aUi6oHtSyVx1GeB",
    friendlyName: "Ben's Mac mini",
    hostname: "bens-mac-mini.local",
    url: "http://192.168.1.42:52415",
  },
  c: {
    id: "12D3KooWMe6rTy2bV8xNq4HdKw9ZsLp3FgUc7JaY5hRn1XtQoEvS",
    friendlyName: null,
    hostname: null,
    url: "http://192.168.1.43:52415",
  },
} as const;

const UNREACHABLE = "ConnectTimeout: timed out after 5.0s";
const VERSION = { skulkVersion: "0.9.3", skulkCommit: "4f1d2c9" };

/** One simulated runner and the flight-recorder entries it emitted. */
export interface Runner {
  nodeId: string;
  runnerId: string;
  instanceId: string;
  modelId: string;
  rank: number;
  worldSize: number;
  pid: number;
  startLayer: number;
  endLayer: number;
  nLayers: number;
  /** How far this node's clock reads ahead of node A's. */
  skewUs: number;
  entries: Record<string, unknown>[];
  active: number;
  cache: number;
  peak: number;
  phase: string;
  phaseSince: number;
  alive: boolean;
}

const last = (r: Runner) => r.entries[r.entries.length - 1] as { at: string; mlxMemory: unknown };
const ring = (r: Runner) => r.entries.slice(-128);

/** The supervisor's bounded milestones (the 32 latest): phase entries and lifecycle points. */
function milestones(r: Runner) {
  const points = new Set(["process_started", "runner_ready", "runner_crashed", "exception"]);
  return r.entries
    .filter((e) => e.event === "enter" || points.has(e.event as string))
    .map((e) => ({
      at: e.at,
      name: e.event === "enter" ? `phase:${String(e.phase)}` : e.event,
      detail: e.detail ?? null,
    }))
    .slice(-32);
}

/** One `RunnerSupervisorDiagnostics` at `localNow` (µs on the runner's node clock). */
function supervisorRunner(r: Runner, localNow: number) {
  const since = pyIso(r.phaseSince);
  const seconds = (localNow - r.phaseSince) / 1e6;
  return {
    runnerId: r.runnerId,
    instanceId: r.instanceId,
    nodeId: r.nodeId,
    modelId: r.modelId,
    deviceRank: r.rank,
    worldSize: r.worldSize,
    startLayer: r.startLayer,
    endLayer: r.endLayer,
    nLayers: r.nLayers,
    pid: r.pid,
    processAlive: r.alive,
    exitCode: r.alive ? null : -6,
    statusKind: r.alive ? "RunnerRunning" : "RunnerFailed",
    statusSince: since,
    secondsInStatus: seconds,
    phase: r.alive ? r.phase : "error",
    phaseStartedAt: since,
    secondsInPhase: seconds,
    lastProgressAt: last(r).at,
    activeTaskId: r.alive && r.instanceId === "instance-1" ? "task-6" : null,
    activeCommandId: r.alive && r.instanceId === "instance-1" ? "command-6" : null,
    phaseDetail: null,
    lastMlxMemory: last(r).mlxMemory,
    flightRecorder: ring(r),
    pendingTaskIds: [],
    inProgressTasks: [],
    completedTaskCount: r.instanceId === "instance-1" ? 5 : 1,
    cancelledTaskIds: [],
    lastTaskSentAt: null,
    lastEventReceivedAt: last(r).at,
    lastEventType: "RunnerStatusUpdated",
    milestones: milestones(r),
  };
}

function nodeOf(id: string) {
  return Object.values(DEMO_NODES).find((n) => n.id === id)!;
}

/** `GET /v1/diagnostics/node` of one node: runtime names it, placements name its peers. */
function nodeDiagnostics(all: Runner[], nodeId: string, localNow: number) {
  const node = nodeOf(nodeId);
  const mine = all.filter((r) => r.nodeId === nodeId);
  const instances = [...new Set(all.map((r) => r.instanceId))];
  return {
    generatedAt: pyIso(localNow),
    runtime: {
      nodeId,
      hostname: node.hostname,
      friendlyName: node.friendlyName,
      isMaster: nodeId === DEMO_NODES.a.id,
      masterNodeId: DEMO_NODES.a.id,
      cwd: "/Users/skulk/skulk",
      configPath: "skulk.toml",
      configFileExists: true,
      ...VERSION,
      libp2pNamespace: null,
      pythonUnbuffered: true,
      tracingEnabled: false,
      structuredLoggingConfigured: false,
      loggingIngestUrl: null,
    },
    identity: {
      modelId: "Mac15,14",
      chipId: "Apple M2 Ultra",
      friendlyName: node.friendlyName,
      osVersion: "15.4.1",
      osBuildVersion: "24E263",
      ...VERSION,
    },
    resources: { gatheredMemory: null, currentMemory: null, disk: null, system: null, network: null },
    processes: mine.map((r) => ({
      pid: r.pid,
      parentPid: 4100,
      role: "runner",
      command: `/opt/skulk/.venv/bin/python -m skulk.worker.runner --runner-id ${r.runnerId}`,
      status: r.alive ? "running" : "zombie",
      cpuPercent: r.alive ? 12.5 : 0,
      memoryPercent: 20.1,
      rss: { inBytes: Math.round(r.active) },
      elapsedSeconds: 120.4,
      isChildOfSkulk: true,
    })),
    supervisorRunners: mine.map((r) => supervisorRunner(r, localNow)),
    placements: instances.map((instanceId) => {
      const runners = all.filter((r) => r.instanceId === instanceId);
      return {
        instanceId,
        modelId: runners[0].modelId,
        masterNodeId: DEMO_NODES.a.id,
        masterIsPlacementNode: true,
        localNodeIsPlacementNode: runners.some((r) => r.nodeId === nodeId),
        placementNodeIds: [...new Set(runners.map((r) => r.nodeId))],
        runners: runners.map((r) => ({
          runnerId: r.runnerId,
          nodeId: r.nodeId,
          friendlyName: nodeOf(r.nodeId).friendlyName,
          statusKind: r.alive ? "RunnerRunning" : "RunnerFailed",
          deviceRank: r.rank,
          worldSize: r.worldSize,
          startLayer: r.startLayer,
          endLayer: r.endLayer,
          nLayers: r.nLayers,
          isLocal: r.nodeId === nodeId,
          isMaster: r.nodeId === DEMO_NODES.a.id,
          tasks: [],
        })),
        warnings: [],
      };
    }),
    warnings: [],
  };
}

/** The cluster timeline (master's view): seed-001 entries without context, runners, unreachable C. */
function clusterTimeline(all: Runner[], endUs: number) {
  const timeline = all
    .flatMap((r) => ring(r).map((e) => ({ r, e })))
    .map(({ r, e }) => {
      const { context: _context, ...rest } = e;
      void _context;
      return {
        at: e.at,
        nodeId: r.nodeId,
        runnerId: r.runnerId,
        deviceRank: r.rank,
        worldSize: r.worldSize,
        ...rest,
      };
    })
    .sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return {
    generatedAt: pyIso(endUs),
    localNodeId: DEMO_NODES.a.id,
    masterNodeId: DEMO_NODES.a.id,
    runners: all.map((r) => ({
      nodeId: r.nodeId,
      runnerId: r.runnerId,
      instanceId: r.instanceId,
      modelId: r.modelId,
      deviceRank: r.rank,
      worldSize: r.worldSize,
      pid: r.pid,
      processAlive: r.alive,
      statusKind: r.alive ? "RunnerRunning" : "RunnerFailed",
      phase: r.alive ? r.phase : "error",
      phaseDetail: null,
      secondsInPhase: (endUs + r.skewUs - r.phaseSince) / 1e6,
      lastProgressAt: last(r).at,
      activeTaskId: r.alive ? "task-6" : null,
      activeCommandId: r.alive ? "command-6" : null,
      lastMlxMemory: last(r).mlxMemory,
    })),
    timeline,
    unreachableNodes: [{ nodeId: DEMO_NODES.c.id, url: DEMO_NODES.c.url, error: UNREACHABLE }],
  };
}

/** Every API response the operator saved at `endUs` (true time), each stamped on its node's clock. */
export function savedFiles(all: Runner[], endUs: number): DemoFile[] {
  const skew = (nodeId: string) => all.find((r) => r.nodeId === nodeId)?.skewUs ?? 0;
  const diagnostics = (nodeId: string) => nodeDiagnostics(all, nodeId, endUs + skew(nodeId));
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  const { a, b, c } = DEMO_NODES;
  const bad = all.find((r) => !r.alive)!;
  const badNow = endUs + skew(bad.nodeId);
  return [
    { path: "node-a/diagnostics.json", content: json(diagnostics(a.id)) },
    { path: "node-b/diagnostics.json", content: json(diagnostics(b.id)) },
    {
      path: "node-b/capture-runner-b2.json",
      content: json({
        generatedAt: pyIso(badNow + 3_100_000),
        nodeId: bad.nodeId,
        nodeDiagnostics: diagnostics(bad.nodeId),
        runner: supervisorRunner(bad, badNow),
        flightRecorder: ring(bad),
        mlxMemory: last(bad).mlxMemory,
        processSamples: [
          {
            name: "sample",
            command: ["sample", String(bad.pid), "3"],
            ok: false,
            exitCode: null,
            durationSeconds: 0,
            stdout: null,
            stderr: null,
            error: "runner process is not alive",
          },
        ],
        warnings: ["runner process is not alive; flight recorder is from the last snapshot"],
      }),
    },
    { path: "cluster/timeline.json", content: json(clusterTimeline(all, endUs)) },
    {
      path: "cluster/diagnostics.json",
      content: json({
        generatedAt: pyIso(endUs + 412_000),
        localNodeId: a.id,
        masterNodeId: a.id,
        nodes: [
          { nodeId: a.id, url: a.url, ok: true, diagnostics: diagnostics(a.id), error: null },
          { nodeId: b.id, url: b.url, ok: true, diagnostics: diagnostics(b.id), error: null },
          { nodeId: c.id, url: c.url, ok: false, diagnostics: null, error: UNREACHABLE },
        ],
      }),
    },
  ];
}
