/**
 * The fake cluster's answers in Skulk's wire shapes (src/skulk/shared/types/diagnostics.py):
 * ClusterTimeline for GET /v1/diagnostics/cluster/timeline and ClusterDiagnostics for
 * GET /v1/diagnostics/cluster. camelCase keys, optional fields present as null.
 */

import { pyIso } from "../../shared/demo/random";
import type { Entry, FakeCluster, SimRunner } from "./cluster";

const UNREACHABLE = "ConnectTimeout: timed out after 5.0s";

function synopsis(c: FakeCluster, r: SimRunner) {
  const last = r.ring[r.ring.length - 1];
  return {
    nodeId: r.nodeId,
    runnerId: r.runnerId,
    instanceId: c.instanceId,
    modelId: c.modelId,
    deviceRank: r.rank,
    worldSize: r.worldSize,
    pid: r.pid,
    processAlive: true,
    statusKind: r.phase === "idle" ? "RunnerReady" : "RunnerRunning",
    phase: r.phase,
    phaseDetail: (last?.detail as string | null) ?? null,
    secondsInPhase: (c.nowUs - r.phaseSinceUs) / 1e6,
    lastProgressAt: last ? last.at : null,
    activeTaskId: last?.taskId ?? null,
    activeCommandId: last?.commandId ?? null,
    lastMlxMemory: [...r.ring].reverse().find((e) => e.mlxMemory)?.mlxMemory ?? null,
  };
}

/** What the master answers: every reachable runner's ring, merged and sorted by `at`. */
export function clusterTimeline(c: FakeCluster) {
  const live = c.runners.filter((r) => c.reachable(r));
  const timeline: Entry[] = [];
  for (const r of live) {
    for (const e of r.ring) {
      r.served.add(e);
      timeline.push({
        at: e.at,
        nodeId: r.nodeId,
        runnerId: r.runnerId,
        deviceRank: r.rank,
        worldSize: r.worldSize,
        phase: e.phase,
        event: e.event,
        detail: e.detail,
        attrs: e.attrs,
        taskId: e.taskId,
        commandId: e.commandId,
        mlxMemory: e.mlxMemory,
      });
    }
  }
  // Python's sorted(key=lambda e: e.at): by the string, stable.
  timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    generatedAt: pyIso(c.nowUs),
    localNodeId: c.nodes[0].nodeId,
    masterNodeId: c.nodes[0].nodeId,
    runners: live.map((r) => synopsis(c, r)),
    timeline,
    unreachableNodes: c.nodes
      .filter((n) => n.down)
      .map((n) => ({ nodeId: n.nodeId, url: n.url, error: UNREACHABLE })),
  };
}

function supervisorRunner(c: FakeCluster, r: SimRunner) {
  const s = synopsis(c, r);
  const context = {
    nodeId: r.nodeId,
    runnerId: r.runnerId,
    pid: r.pid,
    instanceId: c.instanceId,
    modelId: c.modelId,
    rank: r.rank,
    worldSize: r.worldSize,
    startLayer: r.layers.start,
    endLayer: r.layers.end,
    nLayers: r.layers.total,
  };
  return {
    runnerId: r.runnerId,
    instanceId: c.instanceId,
    nodeId: r.nodeId,
    modelId: c.modelId,
    deviceRank: r.rank,
    worldSize: r.worldSize,
    startLayer: r.layers.start,
    endLayer: r.layers.end,
    nLayers: r.layers.total,
    pid: r.pid,
    processAlive: true,
    exitCode: null,
    statusKind: s.statusKind,
    statusSince: pyIso(r.phaseSinceUs),
    secondsInStatus: s.secondsInPhase,
    phase: r.phase,
    phaseStartedAt: pyIso(r.phaseSinceUs),
    secondsInPhase: s.secondsInPhase,
    lastProgressAt: s.lastProgressAt,
    activeTaskId: s.activeTaskId,
    activeCommandId: s.activeCommandId,
    phaseDetail: s.phaseDetail,
    lastMlxMemory: s.lastMlxMemory,
    flightRecorder: r.ring.map((e) => ({ ...e, context })),
    pendingTaskIds: [],
    inProgressTasks: [],
    completedTaskCount: Math.max(0, r.task - 1),
    cancelledTaskIds: [],
    lastTaskSentAt: null,
    lastEventReceivedAt: null,
    lastEventType: null,
    milestones: [],
  };
}

/** The diagnostics bundle: one entry per node, `ok: false` for one that does not answer. */
export function clusterDiagnostics(c: FakeCluster) {
  const generatedAt = pyIso(c.nowUs);
  return {
    generatedAt,
    localNodeId: c.nodes[0].nodeId,
    masterNodeId: c.nodes[0].nodeId,
    versionStatus: "consistent",
    nodes: c.nodes.map((n, i) =>
      n.down
        ? {
            nodeId: n.nodeId,
            url: n.url,
            ok: false,
            versionStatus: "unknown",
            diagnostics: null,
            error: UNREACHABLE,
          }
        : {
            nodeId: n.nodeId,
            url: n.url,
            ok: true,
            versionStatus: "current",
            diagnostics: {
              generatedAt,
              runtime: {
                nodeId: n.nodeId,
                hostname: `${n.name}.local`,
                friendlyName: n.name,
                isMaster: i === 0,
                masterNodeId: c.nodes[0].nodeId,
                skulkVersion: "1.4.0",
              },
              supervisorRunners: c.runners
                .filter((r) => r.nodeIndex === i)
                .map((r) => supervisorRunner(c, r)),
              placements: [],
              warnings: [],
            },
            error: null,
          },
    ),
  };
}
