import { mkdir, rename, stat } from "node:fs/promises";
import path from "node:path";
import { rng } from "../shared/demo/random";
import { ChunkWriter, GiB, phasePlan, START_US, type ClusterSpec } from "./generate";

/**
 * The cluster run's shape as one Chrome trace (Trace Event Format), as Skulk's
 * `trace_{task_id}.json` would hold it for 64 ranks: a process per node (`pid` = node, named
 * by `process_name`), a thread per rank (`tid` = rank, named "Rank N" by `thread_name`),
 * `X` spans of Skulk's phases and of every decode step with `args` {rank, node_id, ...},
 * and `C` samples of MLX memory (`mlx.active` and `mlx.cache` in turn, one per span, on the
 * span's rank). `entriesPerRank` spans and as many samples per rank: 1.28 M of each at
 * FULL, about 323 MB. Events are merged across ranks in time order, one per line, as a
 * tracer that writes them as they come; rank 37 ends in a `B` with no `E` (a hang).
 */

/** Bytes per event (span or sample) at FULL: sizes the disk check. */
export const TRACE_BYTES_PER_EVENT = 135;

const MODEL = "mlx-community/Llama-3.3-70B-Instruct-4bit";

interface Ev {
  ts: number;
  text: string;
}

/** One rank's events, a task at a time, each task's events in time order. */
function* rankTasks(spec: ClusterSpec, rank: number): Generator<Ev[]> {
  const world = spec.nodes * spec.ranksPerNode;
  const node = Math.floor(rank / spec.ranksPerNode);
  // The same seed as the cluster's rank: the same tasks, token counts and durations.
  const rand = rng(spec.seed * 1000 + rank);
  const skewUs = (node * 7919) % 23_000;
  const head = `"pid":${node},"tid":${rank}`;
  const ident = `"rank":${rank},"node_id":"node-${node}"`;
  const active = Math.round(36 * GiB * (1 / world) + 0.5 * GiB);
  let cache = 0.2 * GiB;
  let spans = 0;
  let sample = 0;
  let t = START_US;
  let task = 0;
  let events: Ev[] = [];
  const counter = (ts: number) => {
    const active_ = sample++ % 2 === 0;
    events.push({
      ts,
      text: `{"name":"${active_ ? "mlx.active" : "mlx.cache"}","ph":"C","ts":${ts},${head},"args":{"value":${active_ ? active : Math.round(cache)}}}`,
    });
  };
  const span = (name: string, cat: string, start: number, end: number, args: string) => {
    const ts = Math.round(start) + skewUs;
    events.push({
      ts,
      text: `{"name":"${name}","cat":"${cat}","ph":"X","ts":${ts},"dur":${Math.max(1, Math.round(end - start))},${head},"args":{${ident},${args}}}`,
    });
    counter(ts);
    spans++;
  };
  const full = `"model_id":"${MODEL}","task_kind":"text_generation"`;
  while (spans < spec.entriesPerRank) {
    task++;
    const id = `task-${task}`;
    const tokens = 200 + Math.floor(rand() * 1500);
    for (const [phase, dur] of phasePlan(rand, tokens)) {
      if (spans >= spec.entriesPerRank) break;
      const start = t;
      t += dur * (0.85 + rand() * 0.3);
      const detail = phase.endsWith("barrier") ? `,"detail":"${phase.split("_")[0]}_mx_barrier"` : "";
      span(
        phase,
        "runner_phase",
        start,
        t,
        `${full},"tags":["${id}"],"attrs":{"group_size":${world}${detail}}`,
      );
      if (phase === "prefill_pipeline") cache += tokens * 120_000;
    }
    // decode_stream holds its steps: written first (it starts first), one level up.
    const steps = 40 + Math.floor(rand() * 60);
    const streamAt = events.length;
    const streamStart = t;
    if (spans < spec.entriesPerRank) span("decode_stream", "runner_phase", t, t, `${full},"tags":["${id}"]`);
    for (let s = 0; s < steps && spans < spec.entriesPerRank; s++) {
      const start = t;
      t += 22_000 * (0.8 + rand() * 0.4);
      cache += 1_500_000;
      span("generator_step", "decode", start, t, `"step":${s}`);
    }
    if (streamAt < events.length) {
      const ev = events[streamAt];
      ev.text = ev.text.replace(/"dur":\d+/, `"dur":${Math.max(1, Math.round(t - streamStart))}`);
    }
    if (spans < spec.entriesPerRank) {
      const start = t;
      t += 1500;
      span("completion", "runner_phase", start, t, `${full},"attrs":{"completion_tokens":${steps}}`);
    }
    cache = 0.2 * GiB + rand() * 0.3 * GiB;
    t += 200_000 + rand() * 800_000;
    if (rank === 37 && spans >= spec.entriesPerRank) {
      // The last span becomes a decode_barrier that never ends.
      const last = events.findLastIndex((e) => e.text.includes('"ph":"X"'));
      const ts = events[last].ts;
      events[last] = {
        ts,
        text: `{"name":"decode_barrier","cat":"runner_phase","ph":"B","ts":${ts},${head},"args":{${ident},${full},"attrs":{"group_size":${world},"detail":"decode_mx_barrier"}}}`,
      };
    }
    events.sort((a, b) => a.ts - b.ts);
    yield events;
    events = [];
  }
}

/** The trace's bytes for `spec`, at most this: for the disk check before generating it. */
export function traceBytesEstimate(spec: ClusterSpec): number {
  return spec.nodes * spec.ranksPerNode * spec.entriesPerRank * 2 * TRACE_BYTES_PER_EVENT;
}

/** Writes the trace to `file` (via a temporary name: an interrupted run leaves no trace). */
export async function generateTrace(
  file: string,
  spec: ClusterSpec,
): Promise<{ file: string; bytes: number; spans: number; samples: number }> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = new ChunkWriter(partial);
  const world = spec.nodes * spec.ranksPerNode;
  out.push(`{"traceEvents":[\n`);
  for (let node = 0; node < spec.nodes; node++)
    out.push(`{"name":"process_name","ph":"M","pid":${node},"tid":0,"args":{"name":"node-${node}"}},\n`);
  for (let rank = 0; rank < world; rank++)
    out.push(
      `{"name":"thread_name","ph":"M","pid":${Math.floor(rank / spec.ranksPerNode)},"tid":${rank},"args":{"name":"Rank ${rank}"}},\n`,
    );
  // A k-way merge by time over the ranks, a task's events at a time from each.
  const gens = Array.from({ length: world }, (_, r) => rankTasks(spec, r));
  const bufs: Ev[][] = gens.map((g) => g.next().value ?? []);
  const at = new Array<number>(world).fill(0);
  let spans = 0;
  let samples = 0;
  let first = true;
  for (;;) {
    let best = -1;
    let bestTs = Infinity;
    for (let r = 0; r < world; r++) {
      if (at[r] >= bufs[r].length) continue;
      const ts = bufs[r][at[r]].ts;
      if (ts < bestTs) {
        bestTs = ts;
        best = r;
      }
    }
    if (best < 0) break;
    const ev = bufs[best][at[best]++];
    if (ev.text.includes('"ph":"C"')) samples++;
    else spans++;
    out.push(first ? ev.text : `,\n${ev.text}`);
    first = false;
    if (at[best] >= bufs[best].length) {
      bufs[best] = gens[best].next().value ?? [];
      at[best] = 0;
      await out.flush();
    }
  }
  out.push(
    `\n],\n"displayTimeUnit":"ms",\n"otherData":{"task_id":"task-bench","generator":"rankscope bench"}}\n`,
  );
  await out.close();
  await rename(partial, file);
  return { file, bytes: (await stat(file)).size, spans, samples };
}
