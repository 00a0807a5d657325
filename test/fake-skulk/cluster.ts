/**
 * A simulated Skulk cluster on a virtual clock: N nodes (libp2p-like ids, friendly names),
 * M runners of one instance cycling through Skulk's runner phases, each runner's flight
 * recorder a 128-entry ring. Scenario controls make the incidents live attach must survive:
 * a rank that hangs in decode_barrier, a node that stops answering, a burst that overruns
 * a ring between two polls. Deterministic for a seed; no I/O.
 */

import { pyIso, rng } from "../../shared/demo/random";

export interface FakeClusterOptions {
  nodes?: number;
  runners?: number;
  seed?: number;
  /** Virtual epoch ms at start (a whole second: the first entries have no fraction). */
  startMs?: number;
  ringSize?: number;
}

export type Entry = Record<string, unknown> & { at: string; phase: string; event: string };

interface Step {
  dtUs: number;
  phase: string;
  event: string;
  detail?: string | null;
  attrs?: Record<string, unknown>;
  task?: boolean;
}

const GiB = 1024 ** 3;
const NAMES = ["studio-a", "mini-b", "studio-c", "mini-d", "studio-e", "mini-f", "studio-g", "mini-h"];
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export class SimRunner {
  readonly ring: Entry[] = [];
  /** Every entry ever emitted, and those a timeline answer has shown: ground truth for tests. */
  readonly log: Entry[] = [];
  readonly served = new Set<Entry>();
  phase = "created";
  phaseSinceUs: number;
  lastAtUs: number;
  hangRequested = false;
  hung: Entry | null = null;
  task = 0;
  nextUs: number;
  private pending: Step | null = null;
  private readonly life: Generator<Step>;
  private readonly rand: () => number;

  constructor(
    readonly nodeIndex: number,
    readonly nodeId: string,
    readonly runnerId: string,
    readonly rank: number,
    readonly worldSize: number,
    readonly pid: number,
    readonly layers: { start: number; end: number; total: number },
    startUs: number,
    seed: number,
    private readonly ringSize: number,
  ) {
    this.rand = rng(seed);
    this.life = this.script();
    this.nextUs = startUs;
    this.phaseSinceUs = startUs;
    this.lastAtUs = startUs;
    this.pending = { dtUs: 0, phase: "created", event: "process_started", attrs: { pid } };
  }

  private jitter(us: number): number {
    return Math.round(us * (0.8 + this.rand() * 0.4));
  }

  /** Phases on 250 ms boundaries so whole seconds (isoformat without a fraction) come up often. */
  private coarse(us: number): number {
    return Math.max(250_000, Math.round(this.jitter(us) / 250_000) * 250_000);
  }

  private *phaseOf(phase: string, durUs: number, detail: string | null = null, attrs = {}): Generator<Step> {
    yield { dtUs: 1000, phase, event: "enter", detail, attrs, task: true };
    yield { dtUs: durUs, phase, event: "exit", detail, task: true };
  }

  private *script(): Generator<Step> {
    yield* this.phaseOf("connect_group", this.coarse(800_000), "ring_backend", {
      group_size: this.worldSize,
    });
    yield { dtUs: 1000, phase: "load_model", event: "enter", detail: "load_shard" };
    for (let k = 1; k <= 4; k++)
      yield {
        dtUs: this.coarse(1_000_000),
        phase: "load_model",
        event: "weights_loaded",
        attrs: { fraction: k / 4 },
      };
    yield { dtUs: 1000, phase: "load_model", event: "exit" };
    yield* this.phaseOf("warmup", this.coarse(1_500_000), null, { warmup_tokens: 32 });
    yield { dtUs: 1000, phase: "idle", event: "runner_ready" };
    for (;;) {
      this.task++;
      yield { dtUs: this.coarse(2_500_000), phase: "task_submission", event: "enter", task: true };
      yield { dtUs: this.jitter(3000), phase: "task_submission", event: "exit", task: true };
      yield* this.phaseOf("task_agreement", this.jitter(12_000));
      const prompt = 200 + Math.floor(this.rand() * 800);
      yield* this.phaseOf("prompt_build", this.jitter(20_000 + prompt * 15), null, { prompt_tokens: prompt });
      yield* this.phaseOf("kv_cache_lookup", this.jitter(5000), null, { hit: this.task > 1 });
      const barrier = { rank: this.rank, group_size: this.worldSize };
      yield* this.phaseOf("prefill_barrier", this.jitter(30_000), "prefill_mx_barrier", barrier);
      yield* this.phaseOf("prefill_pipeline", this.jitter(prompt * 600));
      yield* this.phaseOf("prefill_stream", this.jitter(prompt * 300));
      yield* this.phaseOf("decode_barrier", this.jitter(20_000), "decode_mx_barrier", barrier);
      yield* this.phaseOf("decode_wait_first_token", this.jitter(40_000), "await_first_token");
      yield { dtUs: 1000, phase: "decode_stream", event: "enter", task: true };
      yield {
        dtUs: 20,
        phase: "decode_stream",
        event: "batch_first_token",
        attrs: { ttft_ms: 95 },
        task: true,
      };
      const steps = 8 + Math.floor(this.rand() * 8);
      for (let s = 0; s < steps; s++) {
        yield {
          dtUs: 20,
          phase: "decode_stream",
          event: "generator_step_enter",
          attrs: { step: s },
          task: true,
        };
        yield {
          dtUs: this.jitter(28_000),
          phase: "decode_stream",
          event: "generator_step_exit",
          attrs: { step: s },
          task: true,
        };
      }
      yield { dtUs: 50, phase: "decode_stream", event: "exit", task: true };
      yield* this.phaseOf("parser", this.jitter(2000));
      yield* this.phaseOf("completion", this.jitter(1500), null, { completion_tokens: steps });
      yield { dtUs: 100, phase: "idle", event: "metal_cleanup_begin", task: true };
      yield { dtUs: this.jitter(9000), phase: "idle", event: "metal_cleanup_complete", task: true };
    }
  }

  get taskId(): string {
    return `task-${this.rank}-${this.task}`;
  }

  private emit(atUs: number, step: Step): void {
    const withMemory = step.event === "enter" || step.event === "exit";
    const active = 4 * GiB + this.task * 1_000_000 + this.ring.length;
    const entry: Entry = {
      at: pyIso(atUs),
      phase: step.phase,
      event: step.event,
      detail: step.detail ?? null,
      attrs: step.attrs ?? {},
      taskId: step.task ? this.taskId : null,
      commandId: step.task ? `command-${this.task}` : null,
      mlxMemory: withMemory
        ? {
            generatedAt: pyIso(atUs - 60),
            active: { inBytes: active },
            cache: { inBytes: GiB / 2 },
            peak: { inBytes: active + GiB },
            wiredLimit: this.nodeIndex === 0 ? { inBytes: 48 * GiB } : null,
            source: "mlx.core",
          }
        : null,
    };
    this.ring.push(entry);
    if (this.ring.length > this.ringSize) this.ring.shift();
    this.log.push(entry);
    if (step.event === "enter" || step.phase !== this.phase) {
      this.phase = step.phase;
      this.phaseSinceUs = atUs;
    }
    this.lastAtUs = atUs;
    if (this.hangRequested && step.phase === "decode_barrier" && step.event === "enter") this.hung = entry;
  }

  /** Emits every entry due by `nowUs` (none once hung). */
  advanceTo(nowUs: number): void {
    while (!this.hung && this.pending && this.nextUs <= nowUs) {
      this.emit(this.nextUs, this.pending);
      this.pending = this.life.next().value as Step;
      this.nextUs += Math.max(1, this.pending.dtUs);
    }
  }

  /** `n` entries at once, 100 µs apart, from `nowUs`: more than the ring holds when n > 128. */
  burst(nowUs: number, n: number): void {
    const from = Math.max(nowUs, this.lastAtUs + 100);
    for (let i = 0; i < n; i++)
      this.emit(from + i * 100, {
        dtUs: 0,
        phase: this.phase,
        event: "progress",
        attrs: { burst: i },
        task: true,
      });
    this.nextUs = Math.max(this.nextUs, this.lastAtUs + 1000);
  }
}

export class FakeCluster {
  nowUs: number;
  readonly nodes: { nodeId: string; name: string; url: string | null; down: boolean }[];
  readonly runners: SimRunner[];
  readonly instanceId: string;
  readonly modelId = "mlx-community/Llama-3.3-70B-Instruct-4bit";

  constructor(opts: FakeClusterOptions = {}) {
    const seed = opts.seed ?? 1;
    const rand = rng(seed);
    const nodeCount = opts.nodes ?? 2;
    const runnerCount = opts.runners ?? 4;
    this.nowUs = (opts.startMs ?? Date.UTC(2026, 3, 24, 22, 0, 0)) * 1000;
    const id = (n: number, alphabet: string) =>
      Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    const uuid = () =>
      `${id(8, "0123456789abcdef")}-${id(4, "0123456789abcdef")}-4${id(3, "0123456789abcdef")}-a${id(3, "0123456789abcdef")}-${id(12, "0123456789abcdef")}`;
    this.nodes = Array.from({ length: nodeCount }, (_, i) => ({
      nodeId: `12D3KooW${id(44, B58)}`,
      name: NAMES[i % NAMES.length] + (i >= NAMES.length ? `-${i}` : ""),
      url: i === 0 ? null : `http://10.0.0.${i + 2}:52415`,
      down: false,
    }));
    this.instanceId = uuid();
    const total = 80;
    this.runners = Array.from({ length: runnerCount }, (_, rank) => {
      const nodeIndex = Math.floor((rank * nodeCount) / runnerCount);
      const layers = {
        start: Math.round((rank * total) / runnerCount),
        end: Math.round(((rank + 1) * total) / runnerCount),
        total,
      };
      return new SimRunner(
        nodeIndex,
        this.nodes[nodeIndex].nodeId,
        uuid(),
        rank,
        runnerCount,
        41_000 + rank,
        layers,
        this.nowUs + rank * 150_000,
        seed * 1000 + rank,
        opts.ringSize ?? 128,
      );
    });
    this.advance(0);
  }

  advance(ms: number): void {
    this.nowUs += Math.round(ms * 1000);
    for (const r of this.runners) r.advanceTo(this.nowUs);
  }

  byRank(rank: number): SimRunner {
    const r = this.runners.find((x) => x.rank === rank);
    if (!r) throw new Error(`no runner with rank ${rank}`);
    return r;
  }

  /** The rank stops at its next decode_barrier enter and stays there; the others go on. */
  hang(rank: number): void {
    this.byRank(rank).hangRequested = true;
  }

  burst(rank: number, entries: number): void {
    this.byRank(rank).burst(this.nowUs, entries);
  }

  setNodeDown(index: number, down: boolean): void {
    if (!this.nodes[index]) throw new Error(`no node ${index}`);
    this.nodes[index].down = down;
  }

  reachable(r: SimRunner): boolean {
    return !this.nodes[r.nodeIndex].down;
  }
}
