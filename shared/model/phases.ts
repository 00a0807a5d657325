/**
 * Phase families: every phase or stage name maps to one family, which the timeline colours
 * and the legend lists. Skulk's 22 runner phases (seed 000) map exactly; other sources'
 * names map by keyword.
 */

export type PhaseFamily =
  | "setup"
  | "task"
  | "barrier"
  | "prefill"
  | "decode"
  | "cancel"
  | "done"
  | "error"
  | "compute"
  | "io"
  | "other";

export const SKULK_PHASES = [
  "created",
  "idle",
  "connect_group",
  "load_model",
  "warmup",
  "task_submission",
  "task_agreement",
  "prompt_build",
  "vision_preprocess",
  "kv_cache_lookup",
  "prefill_barrier",
  "prefill_pipeline",
  "prefill_stream",
  "decode_barrier",
  "decode_wait_first_token",
  "decode_stream",
  "parser",
  "cancel_requested",
  "cancel_observed",
  "completion",
  "error",
  "shutdown_cleanup",
] as const;

const SKULK_FAMILY: Record<string, PhaseFamily> = {
  created: "setup",
  idle: "other",
  connect_group: "setup",
  load_model: "setup",
  warmup: "setup",
  task_submission: "task",
  task_agreement: "task",
  prompt_build: "task",
  vision_preprocess: "task",
  kv_cache_lookup: "task",
  prefill_barrier: "barrier",
  prefill_pipeline: "prefill",
  prefill_stream: "prefill",
  decode_barrier: "barrier",
  decode_wait_first_token: "decode",
  decode_stream: "decode",
  parser: "decode",
  cancel_requested: "cancel",
  cancel_observed: "cancel",
  completion: "done",
  error: "error",
  shutdown_cleanup: "done",
};

const KEYWORDS: [RegExp, PhaseFamily][] = [
  [/error|fail|crash|exception|oom/i, "error"],
  [/cancel|abort|interrupt/i, "cancel"],
  [/barrier|allreduce|all_reduce|sync|wait|queue/i, "barrier"],
  [/prefill|prompt|encode|tokeni[sz]e/i, "prefill"],
  [/decode|generat|sampl|denois|diffus|step|forward|backward|train|infer|compute|ask/i, "compute"],
  [/load|warm|init|setup|start|provision|create|pull|offer|connect/i, "setup"],
  [/save|write|read|upload|download|io\b|checkpoint|fetch/i, "io"],
  [/complete|finish|done|shutdown|cleanup|teardown|stop|end/i, "done"],
];

export function phaseFamily(name: string): PhaseFamily {
  const known = SKULK_FAMILY[name];
  if (known) return known;
  for (const [re, family] of KEYWORDS) if (re.test(name)) return family;
  return "other";
}

// Their colours are the view's: renderer/src/view/theme.ts, one set checked for both themes.
export const FAMILY_LABELS: Record<PhaseFamily, string> = {
  setup: "setup / load",
  task: "task intake",
  barrier: "barrier / wait",
  prefill: "prefill",
  decode: "decode",
  compute: "compute",
  io: "I/O",
  cancel: "cancel",
  done: "completion",
  error: "error",
  other: "idle / other",
};
