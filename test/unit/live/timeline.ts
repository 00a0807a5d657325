/** Builders for cluster-timeline payloads in Skulk's wire shape (seed 001, FORMATS.md §1). */

import { pyIso } from "../../../shared/demo/random";

export const BASE_US = Date.UTC(2026, 3, 24, 22, 0, 0) * 1000;

/** The `at` of step i of a runner: 250 ms apart, so every 4th lands on a whole second. */
export const atOf = (i: number) => pyIso(BASE_US + i * 250_000);

export function entry(runnerId: string, at: string, event = "step", extra: Record<string, unknown> = {}) {
  return {
    at,
    nodeId: `node-of-${runnerId}`,
    runnerId,
    deviceRank: Number(runnerId.replace(/\D/g, "") || 0),
    worldSize: 4,
    phase: "decode_stream",
    event,
    detail: null,
    attrs: {},
    taskId: "task-1",
    commandId: "command-1",
    mlxMemory: null,
    ...extra,
  };
}

/** Entries lo..hi-1 of a runner whose i-th entry is a generator step numbered i. */
export function steps(runnerId: string, lo: number, hi: number) {
  return Array.from({ length: hi - lo }, (_, k) =>
    entry(runnerId, atOf(lo + k), "generator_step_enter", { attrs: { step: lo + k } }),
  );
}

export function runner(runnerId: string, phase = "decode_stream", secondsInPhase = 1.5) {
  return {
    nodeId: `node-of-${runnerId}`,
    runnerId,
    instanceId: "instance-1",
    modelId: "mlx-community/Llama-3.3-70B-Instruct-4bit",
    deviceRank: Number(runnerId.replace(/\D/g, "") || 0),
    worldSize: 4,
    pid: 4100 + Number(runnerId.replace(/\D/g, "") || 0),
    processAlive: true,
    statusKind: "RunnerRunning",
    phase,
    phaseDetail: null,
    secondsInPhase,
    lastProgressAt: null,
    activeTaskId: "task-1",
    activeCommandId: "command-1",
    lastMlxMemory: null,
  };
}

export function poll(
  generatedAt: string,
  timeline: unknown[],
  runners: unknown[] = [],
  unreachableNodes: unknown[] = [],
) {
  return {
    generatedAt,
    localNodeId: "node-of-r0",
    masterNodeId: "node-of-r0",
    runners,
    timeline,
    unreachableNodes,
  };
}
