import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { pyIso, rng } from "../shared/demo/random";

/**
 * A realistic cluster run for the benchmark: 8 nodes × 8 ranks, each rank's flight recorder
 * saved as JSONL bare entries (20,000 per rank, MLX memory on every entry): ~1.3 million
 * entries. Tasks cycle through Skulk's phases with barriers, prefill, decode steps; node
 * clocks are skewed by a few milliseconds; rank 37 ends stuck in decode_barrier.
 */
export interface ClusterSpec {
  nodes: number;
  ranksPerNode: number;
  entriesPerRank: number;
  seed: number;
}

export const FULL: ClusterSpec = { nodes: 8, ranksPerNode: 8, entriesPerRank: 20_000, seed: 42 };

export const GiB = 1024 ** 3;
export const START_US = Date.UTC(2026, 3, 24, 21, 0, 0) * 1000;
/** Bytes per generated entry at FULL (744,073,695 B / 1.28 M): sizes the disk check. */
export const CLUSTER_BYTES_PER_ENTRY = 582;

/**
 * The phases of one task before decode (µs, before a ±15% jitter): the run shape both the
 * cluster and the Chrome trace follow. Calls `rand` exactly twice, in this order.
 */
export function phasePlan(rand: () => number, tokens: number): [string, number][] {
  return [
    ["task_submission", 2000],
    ["task_agreement", 9000],
    ["prompt_build", 10_000 + tokens * 10],
    ["kv_cache_lookup", 4000],
    ["prefill_barrier", 800 + rand() * 3000],
    ["prefill_pipeline", tokens * 600],
    ["prefill_stream", tokens * 300],
    ["decode_barrier", 500 + rand() * 2500],
    ["decode_wait_first_token", 30_000],
  ];
}

/** A file written in chunks that waits for the disk when it falls behind (bounded memory). */
export class ChunkWriter {
  private readonly out: WriteStream;
  private parts: string[] = [];
  private size = 0;

  constructor(file: string) {
    this.out = createWriteStream(file);
  }

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Writes what was pushed once there is about a megabyte of it (or always, with `force`). */
  async flush(force = false): Promise<void> {
    if (!this.parts.length || (!force && this.size < 1 << 20)) return;
    const ok = this.out.write(this.parts.join(""));
    this.parts = [];
    this.size = 0;
    if (!ok) await once(this.out, "drain");
  }

  async close(): Promise<void> {
    await this.flush(true);
    await new Promise<void>((ok, err) => this.out.end((e?: Error | null) => (e ? err(e) : ok())));
  }
}

export async function generateCluster(
  dir: string,
  spec: ClusterSpec = FULL,
): Promise<{ files: string[]; bytes: number; entries: number }> {
  const world = spec.nodes * spec.ranksPerNode;
  const files: string[] = [];
  let bytes = 0;
  for (let rank = 0; rank < world; rank++) {
    const node = Math.floor(rank / spec.ranksPerNode);
    const rand = rng(spec.seed * 1000 + rank);
    const skewUs = (node * 7919) % 23_000;
    const file = path.join(dir, `node-${node}`, `rank-${rank}.jsonl`);
    await mkdir(path.dirname(file), { recursive: true });
    const out = new ChunkWriter(file);
    const context = {
      nodeId: `node-${node}`,
      runnerId: `runner-${node}-${rank % spec.ranksPerNode}`,
      pid: 40000 + rank,
      instanceId: "instance-big",
      modelId: "mlx-community/Llama-3.3-70B-Instruct-4bit",
      rank,
      worldSize: world,
      startLayer: Math.round((80 * rank) / world),
      endLayer: Math.round((80 * (rank + 1)) / world),
      nLayers: 80,
    };
    const active = 36 * GiB * (1 / world) + 0.5 * GiB;
    let cache = 0.2 * GiB;
    let peak = active + cache;
    let t = START_US;
    let count = 0;
    const emit = (
      phase: string,
      event: string,
      detail: string | null,
      attrs: Record<string, unknown>,
      taskId: string | null,
    ) => {
      peak = Math.max(peak, active + cache);
      const local = Math.round(t) + skewUs;
      out.push(
        JSON.stringify({
          at: pyIso(local),
          phase,
          event,
          detail,
          attrs,
          context,
          taskId,
          commandId: taskId ? `command-${taskId.slice(5)}` : null,
          mlxMemory: {
            generatedAt: pyIso(local - 40),
            active: { inBytes: Math.round(active) },
            cache: { inBytes: Math.round(cache) },
            peak: { inBytes: Math.round(peak) },
            wiredLimit: null,
            source: "mlx.core",
          },
        }) + "\n",
      );
      count++;
    };
    let task = 0;
    while (count < spec.entriesPerRank - 40) {
      task++;
      const id = `task-${task}`;
      const tokens = 200 + Math.floor(rand() * 1500);
      for (const [phase, dur] of phasePlan(rand, tokens)) {
        emit(
          phase,
          "enter",
          phase.endsWith("barrier") ? `${phase.split("_")[0]}_mx_barrier` : null,
          { rank, group_size: world },
          id,
        );
        t += dur * (0.85 + rand() * 0.3);
        emit(phase, "exit", null, {}, id);
        if (phase === "prefill_pipeline") cache += tokens * 120_000;
      }
      emit("decode_stream", "enter", null, {}, id);
      emit("decode_stream", "batch_first_token", null, { ttft_ms: 40 }, id);
      const steps = 40 + Math.floor(rand() * 60);
      for (let s = 0; s < steps && count < spec.entriesPerRank - 12; s++) {
        emit("decode_stream", "generator_step_enter", null, { step: s }, id);
        t += 22_000 * (0.8 + rand() * 0.4);
        cache += 1_500_000;
        emit("decode_stream", "generator_step_exit", null, { step: s }, id);
      }
      emit("decode_stream", "exit", null, {}, id);
      emit("completion", "enter", null, { completion_tokens: steps }, id);
      t += 1500;
      emit("completion", "exit", null, {}, id);
      cache = 0.2 * GiB + rand() * 0.3 * GiB;
      emit("idle", "runner_ready", null, {}, null);
      t += 200_000 + rand() * 800_000;
      await out.flush();
    }
    if (rank === 37)
      emit("decode_barrier", "enter", "decode_mx_barrier", { rank, group_size: world }, `task-${task + 1}`);
    await out.close();
    files.push(file);
    bytes += (await stat(file)).size;
  }
  return { files, bytes, entries: world * spec.entriesPerRank };
}
