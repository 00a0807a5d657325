/**
 * Skulk documents as the API serializes them (src/skulk/shared/types/diagnostics.py):
 * camelCase keys in field order, every optional field present as null, and `at` in Python
 * isoformat (no fraction when the microseconds are 0).
 */

/** Real-looking libp2p peer ids: alike in their first 8 characters, as all ed25519 ids are. */
export const PEER = {
  a: "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
  b: "12D3KooWHk2tR9wq6Hn5XyqWqv3d8cY1mBv7sGKfNzLr4T2uQe8a",
  c: "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo",
};

export const GEMMA = "mlx-community/gemma-4-26b-a4b-it-4bit";

export interface RunnerSpec {
  nodeId: string;
  runnerId: string;
  rank: number;
  worldSize: number;
  instanceId?: string;
  startLayer: number;
  endLayer: number;
  nLayers: number;
  pid: number;
}

export const mlx = (at: string, active: number) => ({
  generatedAt: at,
  active: { inBytes: active },
  cache: { inBytes: 0 },
  peak: { inBytes: active },
  wiredLimit: null,
  source: "mlx.core",
});

/** One `RunnerFlightRecorderEntry`. */
export function entry(r: RunnerSpec, at: string, phase: string, event: string, detail: string | null = null) {
  return {
    at,
    phase,
    event,
    detail,
    attrs: {},
    context: {
      nodeId: r.nodeId,
      runnerId: r.runnerId,
      pid: r.pid,
      instanceId: r.instanceId ?? "instance-1",
      modelId: GEMMA,
      rank: r.rank,
      worldSize: r.worldSize,
      startLayer: r.startLayer,
      endLayer: r.endLayer,
      nLayers: r.nLayers,
    },
    taskId: null,
    commandId: null,
    mlxMemory: null,
  };
}

/** One `RunnerLifecycleMilestone`. */
export const milestone = (at: string, name: string, detail: string | null = null) => ({ at, name, detail });

/** One `RunnerSupervisorDiagnostics`. */
export function supervisorRunner(
  r: RunnerSpec,
  state: { phase: string; phaseStartedAt: string; secondsInPhase: number; processAlive?: boolean },
  flightRecorder: unknown[],
  milestones: unknown[],
) {
  return {
    runnerId: r.runnerId,
    instanceId: r.instanceId ?? "instance-1",
    nodeId: r.nodeId,
    modelId: GEMMA,
    deviceRank: r.rank,
    worldSize: r.worldSize,
    startLayer: r.startLayer,
    endLayer: r.endLayer,
    nLayers: r.nLayers,
    pid: r.pid,
    processAlive: state.processAlive ?? true,
    exitCode: null,
    statusKind: "RunnerRunning",
    statusSince: state.phaseStartedAt,
    secondsInStatus: state.secondsInPhase,
    phase: state.phase,
    phaseStartedAt: state.phaseStartedAt,
    secondsInPhase: state.secondsInPhase,
    lastProgressAt: state.phaseStartedAt,
    activeTaskId: null,
    activeCommandId: null,
    phaseDetail: null,
    lastMlxMemory: null,
    flightRecorder,
    pendingTaskIds: [],
    inProgressTasks: [],
    completedTaskCount: 0,
    cancelledTaskIds: [],
    lastTaskSentAt: null,
    lastEventReceivedAt: null,
    lastEventType: null,
    milestones,
  };
}

/** One `PlacementRunnerDiagnostics` inside `placements[].runners[]`. */
export function placementRunner(r: RunnerSpec, friendlyName: string | null) {
  return {
    runnerId: r.runnerId,
    nodeId: r.nodeId,
    friendlyName,
    statusKind: "RunnerRunning",
    deviceRank: r.rank,
    worldSize: r.worldSize,
    startLayer: r.startLayer,
    endLayer: r.endLayer,
    nLayers: r.nLayers,
    isLocal: false,
    isMaster: false,
    tasks: [],
  };
}

/** One `NodeDiagnostics` (no top-level nodeId: `runtime` names the node). */
export function nodeDiagnostics(o: {
  generatedAt: string;
  nodeId: string;
  hostname: string;
  friendlyName: string | null;
  runners: unknown[];
  placements?: { instanceId: string; runners: unknown[] }[];
  warnings?: string[];
}) {
  return {
    generatedAt: o.generatedAt,
    runtime: {
      nodeId: o.nodeId,
      hostname: o.hostname,
      friendlyName: o.friendlyName,
      isMaster: false,
      masterNodeId: PEER.a,
      cwd: "/Users/ana/skulk",
      configPath: "skulk.toml",
      configFileExists: true,
      skulkVersion: "0.4.2",
      skulkCommit: "9f1c2ab",
      libp2pNamespace: null,
      pythonUnbuffered: true,
      tracingEnabled: false,
      structuredLoggingConfigured: false,
      loggingIngestUrl: null,
    },
    identity: null,
    resources: { gatheredMemory: null, currentMemory: null, disk: null, system: null, network: null },
    processes: [],
    supervisorRunners: o.runners,
    placements: (o.placements ?? []).map((p) => ({
      instanceId: p.instanceId,
      modelId: GEMMA,
      masterNodeId: PEER.a,
      masterIsPlacementNode: true,
      localNodeIsPlacementNode: true,
      placementNodeIds: [],
      runners: p.runners,
      warnings: [],
    })),
    warnings: o.warnings ?? [],
  };
}
