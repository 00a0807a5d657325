import { pyIso, rng } from "./random";
import { DEMO_NODES, savedFiles, type DemoFile, type Runner } from "./skulkSaved";

export { DEMO_NODES, type DemoFile };

/**
 * The demo dataset: what an operator saves from a two-node Skulk cluster whose run hangs.
 * Instance 1 (4 ranks over nodes A and B) ends with rank 2 stuck in decode_barrier
 * while the other ranks wait for its first token; instance 2's rank-1 runner crashes
 * during prefill. Node B's clock runs 35 ms ahead of node A's; node C cannot be reached.
 * Saved as node diagnostics per node, the cluster diagnostics bundle and a cluster
 * timeline from the master, a capture of the crashed runner, a JSONL flight-recorder dump
 * whose last line was torn, and a README that is not telemetry. Node ids are libp2p peer
 * ids; only the node diagnostics name the nodes.
 */

const GiB = 1024 ** 3;
const START_US = Date.UTC(2026, 3, 24, 22, 0, 0) * 1000;

export function generateSkulkDemo(seed = 7): DemoFile[] {
  const rand = rng(seed);
  const jitter = (us: number) => Math.round(us * (0.8 + rand() * 0.4));
  const A = DEMO_NODES.a.id;
  const B = DEMO_NODES.b.id;
  // Node B's wall clock runs 35 ms ahead of node A's: it stamps every instant 35 ms later.
  const nodes: Record<string, number> = { [A]: 0, [B]: 35_000 };
  const mk = (
    nodeId: string,
    runnerId: string,
    instanceId: string,
    modelId: string,
    rank: number,
    worldSize: number,
    nLayers: number,
    pid: number,
  ): Runner => {
    const per = nLayers / worldSize;
    return {
      nodeId,
      runnerId,
      instanceId,
      modelId,
      rank,
      worldSize,
      pid,
      startLayer: Math.round(rank * per),
      endLayer: Math.round((rank + 1) * per),
      nLayers,
      skewUs: nodes[nodeId],
      entries: [],
      active: 0,
      cache: 0,
      peak: 0,
      phase: "created",
      phaseSince: START_US,
      alive: true,
    };
  };
  const gemma = "mlx-community/gemma-4-26b-a4b-it-4bit";
  const qwen = "mlx-community/Qwen3-8B-4bit";
  const inst1 = [
    mk(A, "runner-a0", "instance-1", gemma, 0, 4, 30, 41231),
    mk(A, "runner-a1", "instance-1", gemma, 1, 4, 30, 41232),
    mk(B, "runner-b0", "instance-1", gemma, 2, 4, 30, 52110),
    mk(B, "runner-b1", "instance-1", gemma, 3, 4, 30, 52111),
  ];
  const inst2 = [
    mk(A, "runner-a2", "instance-2", qwen, 0, 2, 36, 41290),
    mk(B, "runner-b2", "instance-2", qwen, 1, 2, 36, 52188),
  ];

  const emit = (
    r: Runner,
    trueUs: number,
    phase: string,
    event: string,
    extra: Record<string, unknown> = {},
  ) => {
    const local = trueUs + r.skewUs;
    const memUs = local - 60 - Math.floor(rand() * 40);
    r.peak = Math.max(r.peak, r.active + r.cache);
    r.entries.push({
      at: pyIso(local),
      phase,
      event,
      detail: extra.detail ?? null,
      attrs: extra.attrs ?? {},
      context: {
        nodeId: r.nodeId,
        runnerId: r.runnerId,
        pid: r.pid,
        instanceId: r.instanceId,
        modelId: r.modelId,
        rank: r.rank,
        worldSize: r.worldSize,
        startLayer: r.startLayer,
        endLayer: r.endLayer,
        nLayers: r.nLayers,
      },
      taskId: extra.taskId ?? null,
      commandId: extra.commandId ?? null,
      mlxMemory: {
        generatedAt: pyIso(memUs),
        active: { inBytes: Math.round(r.active) },
        cache: { inBytes: Math.round(r.cache) },
        peak: { inBytes: Math.round(r.peak) },
        wiredLimit: r.nodeId === A ? { inBytes: 48 * GiB } : null,
        source: "mlx.core",
      },
    });
    if (event === "enter" || phase !== r.phase) {
      r.phase = phase;
      r.phaseSince = local;
    }
  };
  const phase = (r: Runner, t: number, name: string, durUs: number, extra: Record<string, unknown> = {}) => {
    emit(r, t, name, "enter", extra);
    emit(r, t + durUs, name, "exit", extra);
    return t + durUs;
  };

  // Start-up: every runner loads its shard.
  for (const [i, r] of [...inst1, ...inst2].entries()) {
    let t = START_US + i * 180_000;
    emit(r, t, "created", "process_started", { attrs: { pid: r.pid } });
    t = phase(r, t + 2_000, "connect_group", jitter(900_000), {
      detail: "ring_backend",
      attrs: { group_size: r.worldSize },
    });
    const shardBytes = ((r.endLayer - r.startLayer) / r.nLayers) * (r.modelId === gemma ? 15 : 5) * GiB;
    emit(r, t + 1000, "load_model", "enter", { detail: "load_shard" });
    for (let k = 1; k <= 5; k++) {
      r.active = (shardBytes * k) / 5;
      emit(r, t + 1000 + k * 1_400_000, "load_model", "weights_loaded", { attrs: { fraction: k / 5 } });
    }
    t += 1000 + 7_200_000;
    emit(r, t, "load_model", "exit");
    t = phase(r, t + 500, "warmup", jitter(2_500_000), { attrs: { warmup_tokens: 32 } });
    emit(r, t + 300, "idle", "runner_ready");
  }

  // Tasks on instance 1: barriers line up the ranks, so each barrier exit is one real instant.
  let t = START_US + 15_000_000;
  const tasks = 6;
  for (let task = 1; task <= tasks; task++) {
    const taskId = `task-${task}`;
    const commandId = `command-${task}`;
    const ids = { taskId, commandId };
    const promptTokens = 300 + Math.floor(rand() * 1200);
    const arrive = inst1.map((r) => {
      let u = t + jitter(4000);
      u = phase(r, u, "task_submission", jitter(3000), ids);
      u = phase(r, u, "task_agreement", jitter(12_000), ids);
      u = phase(r, u, "prompt_build", jitter(20_000 + promptTokens * 15), {
        ...ids,
        attrs: { prompt_tokens: promptTokens },
      });
      u = phase(r, u, "kv_cache_lookup", jitter(5000), { ...ids, attrs: { hit: task > 1 } });
      emit(r, u, "prefill_barrier", "enter", {
        ...ids,
        detail: "prefill_mx_barrier",
        attrs: { rank: r.rank, group_size: r.worldSize, prompt_tokens: promptTokens },
      });
      return u;
    });
    const prefillRelease = Math.max(...arrive) + 800;
    const last = task === tasks;
    const afterPrefill = inst1.map((r) => {
      emit(r, prefillRelease, "prefill_barrier", "exit", { ...ids, detail: "prefill_mx_barrier" });
      r.cache = 1.5 * GiB + promptTokens * 180_000;
      let u = phase(r, prefillRelease + 200, "prefill_pipeline", jitter(promptTokens * 900), ids);
      u = phase(r, u, "prefill_stream", jitter(promptTokens * 400), ids);
      return u;
    });
    if (last) {
      // The hang: rank 2 arrives at decode_barrier and never leaves; the others pass
      // their barrier-free path and wait for the first token that never comes.
      inst1.forEach((r, i) => {
        const u = afterPrefill[i] + 500;
        if (r.rank === 2)
          emit(r, u + 1_200_000, "decode_barrier", "enter", {
            ...ids,
            detail: "decode_mx_barrier",
            attrs: { rank: r.rank, group_size: r.worldSize },
          });
        else emit(r, u, "decode_wait_first_token", "enter", { ...ids, detail: "await_first_token" });
      });
      t = Math.max(...afterPrefill) + 1_300_000;
      break;
    }
    const decodeArrive = afterPrefill.map((u) => u + jitter(400));
    const decodeRelease = Math.max(...decodeArrive) + 600;
    const steps = 24 + Math.floor(rand() * 40);
    let end = 0;
    inst1.forEach((r, i) => {
      emit(r, decodeArrive[i], "decode_barrier", "enter", {
        ...ids,
        detail: "decode_mx_barrier",
        attrs: { rank: r.rank, group_size: r.worldSize },
      });
      emit(r, decodeRelease, "decode_barrier", "exit", { ...ids, detail: "decode_mx_barrier" });
      let u = phase(r, decodeRelease + 100, "decode_wait_first_token", jitter(45_000), ids);
      emit(r, u, "decode_stream", "enter", ids);
      emit(r, u + 10, "decode_stream", "batch_first_token", {
        ...ids,
        attrs: { ttft_ms: Math.round((u - t) / 1000) },
      });
      for (let s = 0; s < steps; s++) {
        emit(r, u + 20, "decode_stream", "generator_step_enter", { ...ids, attrs: { step: s } });
        u += jitter(28_000);
        r.cache += 2_000_000;
        emit(r, u, "decode_stream", "generator_step_exit", { ...ids, attrs: { step: s } });
      }
      emit(r, u + 50, "decode_stream", "exit", ids);
      u = phase(r, u + 60, "parser", jitter(2000), ids);
      u = phase(r, u, "completion", jitter(1500), { ...ids, attrs: { completion_tokens: steps } });
      emit(r, u + 100, "idle", "metal_cleanup_begin", ids);
      r.cache = 0.4 * GiB;
      emit(r, u + 9000, "idle", "metal_cleanup_complete", ids);
      end = Math.max(end, u + 9000);
    });
    t = end + 2_000_000 + Math.floor(rand() * 3_000_000);
  }

  // Instance 2: its rank-1 runner crashes during prefill of its second task.
  let u2 = START_US + 18_000_000;
  for (let task = 1; task <= 2; task++) {
    const ids = { taskId: `task-q${task}`, commandId: `command-q${task}` };
    const arr = inst2.map((r) => phase(r, u2 + jitter(3000), "prompt_build", jitter(30_000), ids));
    const rel = Math.max(...arr) + 500;
    inst2.forEach((r, i) => {
      emit(r, arr[i], "prefill_barrier", "enter", {
        ...ids,
        detail: "prefill_mx_barrier",
        attrs: { rank: r.rank, group_size: 2 },
      });
      emit(r, rel, "prefill_barrier", "exit", { ...ids, detail: "prefill_mx_barrier" });
    });
    if (task === 2) {
      const [ok, bad] = inst2;
      emit(bad, rel + 100, "prefill_pipeline", "enter", ids);
      bad.active += 6 * GiB;
      emit(bad, rel + 450_000, "error", "exception", {
        ...ids,
        detail: "prefill_forward",
        attrs: { exc_type: "RuntimeError", message: "[metal::malloc] Resource limit (499000) exceeded" },
      });
      emit(bad, rel + 452_000, "error", "runner_crashed", { ...ids, attrs: { exit_code: -6 } });
      bad.alive = false;
      emit(ok, rel + 100, "prefill_pipeline", "enter", ids);
      emit(ok, rel + 700_000, "cancel_observed", "prefill_cancelled", { ...ids, detail: "peer_lost" });
      emit(ok, rel + 720_000, "idle", "runner_ready");
      break;
    }
    u2 = rel + 4_000_000;
  }

  const all = [...inst1, ...inst2];
  const endUs = t + 45_000_000;
  const dump = inst1[0].entries.slice(-40).map((e) => JSON.stringify(e));
  return [
    ...savedFiles(all, endUs),
    {
      path: "node-a/flight-recorder-rank0.jsonl",
      content: dump.join("\n") + "\n" + dump[dump.length - 1].slice(0, 57),
    },
    {
      path: "README.txt",
      content:
        "Logs saved from the cluster on 2026-04-24 after the hang.\ncurl host:52415/v1/diagnostics/cluster/timeline > cluster/timeline.json\n",
    },
  ];
}
