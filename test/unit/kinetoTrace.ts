/** PyTorch profiler traces for tests, written the way libkineto's output_json.cpp writes them. */

export interface KinetoOpts {
  rank?: number;
  world?: number;
  /** Exact text of baseTimeNanoseconds (beyond 2^53: JSON.stringify cannot write it). */
  base?: string;
  /** Where Kineto put the envelope: newer versions before traceEvents, older after. */
  envelopeLast?: boolean;
  events: Record<string, unknown>[];
}

/** A trace as libkineto writes it (output_json.cpp), events given by the test. */
export function kineto(o: KinetoOpts): string {
  const head = [
    `"schemaVersion": 1`,
    `"deviceProperties": [{"id": 0, "name": "NVIDIA H100"}]`,
    ...(o.rank !== undefined
      ? [`"distributedInfo": {"backend": "nccl", "rank": ${o.rank}, "world_size": ${o.world ?? 2}}`]
      : []),
    ...(o.base ? [`"baseTimeNanoseconds": ${o.base}`] : []),
  ];
  const events = `"traceEvents": [\n${o.events.map((e) => JSON.stringify(e)).join(",\n")}\n]`;
  const parts = o.envelopeLast ? [events, ...head, `"traceName": "t.json"`] : [...head, events];
  return `{\n${parts.join(",\n")}\n}`;
}
