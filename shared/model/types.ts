/** The one model every format converts into. See DESIGN.md "The model". */

export type FormatId =
  | "skulk.flight-recorder"
  | "skulk.node-diagnostics"
  | "skulk.capture"
  | "skulk.cluster-timeline"
  | "skulk.cluster-diagnostics"
  | "chrome-trace"
  | "stormlog.events"
  | "stormlog.sink"
  | "stormlog.rollups"
  | "omnirt.run-report"
  | "omnirt.job"
  | "omnirt.trace"
  | "omnirt.sse"
  | "otlp.traces"
  | "prometheus.text"
  | "rune.sqlite"
  | "rune.sse"
  | "rune.summary"
  | "rune.result"
  | "unknown";

/** Which project a lane came from; lanes are grouped by source first, then by group. */
export type SourceFamily = "skulk" | "stormlog" | "omnirt" | "rune" | "otlp" | "prometheus" | "trace";

export type Scalar = string | number | boolean | null;

export interface LayerRange {
  start: number;
  /** Exclusive. */
  end: number;
  total: number;
}

export interface LaneInfo {
  /** Stable across files, so data for one rank from several files lands on one lane. */
  id: string;
  label: string;
  source: SourceFamily;
  /** Instance, session, job: lanes of one group sit together, ordered by rank. */
  group: string;
  /** The node's id as the source gives it (a libp2p peer id for Skulk). */
  node?: string | null;
  /** The node's friendly name or hostname, when any file of the ingest gives one. */
  nodeName?: string | null;
  rank?: number | null;
  worldSize?: number | null;
  runnerId?: string | null;
  instanceId?: string | null;
  modelId?: string | null;
  layers?: LayerRange | null;
  device?: string | null;
  pid?: number | null;
  /** Extra identity or state worth showing (e.g. a runner's status at generatedAt). */
  state?: Record<string, Scalar>;
  /**
   * The run the lane belongs to, when it is not simply its source and group (e.g. every
   * service of one OTLP export, every scrape of one folder).
   */
  run?: string | null;
}

export const SpanFlag = {
  /** Still open at the end of the data: the rank is still in this phase. */
  Open: 1,
  /** The start was not observed (ring buffer evicted the enter): starts at the lane's first record. */
  TruncatedStart: 2,
  /** Ended in an error status. */
  Error: 4,
  /** Inferred from a phase change rather than an explicit enter. */
  Inferred: 8,
} as const;

export const MarkerKind = {
  Info: 0,
  Warning: 1,
  Error: 2,
  Exception: 3,
  Cancel: 4,
  Crash: 5,
  Peak: 6,
  Critical: 7,
  /**
   * History missing after this instant: a live attach saw the runner's ring overrun between
   * two polls. Args hold `durationNs` (how long the hole lasts) and `until` (the `at` of the
   * first entry after it); the lane is drawn hatched over that range.
   */
  Gap: 8,
} as const;
export type MarkerKindValue = (typeof MarkerKind)[keyof typeof MarkerKind];

export const markerKindName: Record<MarkerKindValue, string> = {
  0: "info",
  1: "warning",
  2: "error",
  3: "exception",
  4: "cancel",
  5: "crash",
  6: "peak",
  7: "critical",
  8: "gap",
};

/**
 * Columns of one lane's spans. Strings (name, args) are indexes into the owning block's
 * string table; index 0 is the empty string. `args` is a JSON object text with the
 * record's extra fields (detail, attrs, task, command, ...).
 */
export interface SpanColumns {
  start: Float64Array;
  end: Float64Array;
  name: Uint32Array;
  depth: Uint8Array;
  flags: Uint8Array;
  args: Uint32Array;
  /** Index of the source file in the dataset's file list. */
  file: Uint32Array;
  /** 1-based line in that file, 0 when unknown. */
  line: Uint32Array;
}

export interface MarkerColumns {
  t: Float64Array;
  name: Uint32Array;
  kind: Uint8Array;
  args: Uint32Array;
  file: Uint32Array;
  line: Uint32Array;
}

export interface CounterSeries {
  name: string;
  t: Float64Array;
  v: Float64Array;
}

/**
 * Everything one lane holds, self-contained (own string table), sorted by time. Times are
 * float64 ns offsets from the lane's own origin, a whole second close to its data, so every
 * instant keeps its source's resolution however far apart the inputs of a dataset are.
 */
export interface LaneData {
  info: LaneInfo;
  /** Epoch seconds (an integer) that the lane's offsets count from. */
  originSec: number;
  /**
   * Where the lane's own data ends (offset): its last record, or the snapshot time of the
   * input that holds it if later. A phase still open ends here, never at another file's end.
   */
  end: number;
  strings: string[];
  spans: SpanColumns;
  markers: MarkerColumns;
  counters: CounterSeries[];
}

export interface Diagnostic {
  line?: number;
  message: string;
}

/** What one input (file or sink directory) was read as, with its problems. */
export interface FileReport {
  path: string;
  format: FormatId;
  bytes: number;
  records: number;
  errors: Diagnostic[];
  warnings: string[];
}

/** Dataset-level findings shown to the user (e.g. cluster-timeline unreachable nodes). */
export interface DatasetNote {
  kind: "unreachable-node" | "info" | "warning";
  message: string;
  path?: string;
  fields?: Record<string, Scalar>;
}

/**
 * The lanes of one job or capture (one Skulk instance, one stormlog job, one PyTorch job's
 * rank files, one OmniRT job, one RUNE store): readable on its own, comparable with another.
 */
export interface Run {
  id: string;
  label: string;
  source: SourceFamily;
  /** Lane ids, in display order. */
  lanes: string[];
  /** Epoch seconds its lanes' offsets count from (every lane of a run shares it). */
  originSec: number;
  /** Extent, as offsets from originSec. */
  start: number;
  end: number;
}

/**
 * The result of reading one or many inputs. Lanes of one run share an origin; `originSec` is
 * the earliest run's, the reference for showing several runs on one axis.
 */
export interface Model {
  originSec: number;
  lanes: LaneData[];
  runs: Run[];
  files: FileReport[];
  notes: DatasetNote[];
}
