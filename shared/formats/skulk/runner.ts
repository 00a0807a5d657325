import type { LaneBuilder, ModelBuilder } from "../../model/builder";
import { SKULK_PHASES } from "../../model/phases";
import { TimeBase } from "../../model/time";
import type { LaneInfo, MarkerKindValue, Scalar } from "../../model/types";
import { MarkerKind, SpanFlag } from "../../model/types";
import type { FileReportBuilder } from "../../ingest/report";
import { int, isObject, str, type JsonObject, type ParseContext } from "../types";

/** Who emitted an entry: from its `context`, from the cluster timeline's lifted fields, or a runner. */
export interface RunnerIdentity {
  runnerId: string;
  nodeId?: string | null;
  instanceId?: string | null;
  modelId?: string | null;
  rank?: number | null;
  worldSize?: number | null;
  pid?: number | null;
  startLayer?: number | null;
  endLayer?: number | null;
  nLayers?: number | null;
}

/** A runner's state at the moment a snapshot was taken (node diagnostics, cluster timeline). */
export interface RunnerSnapshot {
  at: number;
  phase: string | null;
  secondsInPhase: number | null;
  state: Record<string, Scalar>;
}

/**
 * One kept entry: only what replay needs. Ranks hold tens of thousands of entries, so
 * nothing here may keep the parsed record alive, and args are built only for the entries
 * that become a span or marker.
 */
interface Entry {
  t: number;
  phase: string;
  event: string;
  detail: string | null;
  attrs: JsonObject | null;
  taskId: unknown;
  commandId: unknown;
  line: number;
  file: number;
}

function argsOf(e: Entry): JsonObject {
  const args: JsonObject = {};
  if (e.detail !== null) args.detail = e.detail;
  if (e.attrs) args.attrs = e.attrs;
  if (e.taskId != null) args.taskId = e.taskId;
  if (e.commandId != null) args.commandId = e.commandId;
  args.event = e.event;
  return args;
}

/** Ends of pairs carry nothing the begin did not: their attrs need not be kept. */
const CLOSING = /(?:^exit|_exit|_complete|_end)$/;

interface RunnerState {
  lane: LaneBuilder;
  /** Every identity field is known: later entries need not be merged in. */
  complete: boolean;
  entries: Entry[];
  snapshot: RunnerSnapshot | null;
}

const KNOWN_PHASES = new Set<string>(SKULK_PHASES);
const MLX_COUNTERS: [string, string][] = [
  ["active", "mlx.active"],
  ["cache", "mlx.cache"],
  ["peak", "mlx.peak"],
  ["wiredLimit", "mlx.wiredLimit"],
];

export function identityFromContext(ctx: unknown): RunnerIdentity | null {
  if (!isObject(ctx)) return null;
  const runnerId = str(ctx.runnerId);
  if (!runnerId) return null;
  return {
    runnerId,
    nodeId: str(ctx.nodeId),
    instanceId: str(ctx.instanceId),
    modelId: str(ctx.modelId),
    rank: int(ctx.rank),
    worldSize: int(ctx.worldSize),
    pid: int(ctx.pid),
    startLayer: int(ctx.startLayer),
    endLayer: int(ctx.endLayer),
    nLayers: int(ctx.nLayers),
  };
}

function laneId(runnerId: string): string {
  return `skulk:${runnerId}`;
}

function laneInfo(id: RunnerIdentity): LaneInfo {
  const node = id.nodeId ?? null;
  const rank = id.rank ?? null;
  const layers =
    id.startLayer != null && id.endLayer != null && id.nLayers != null
      ? { start: id.startLayer, end: id.endLayer, total: id.nLayers }
      : null;
  return {
    id: laneId(id.runnerId),
    label: `${node ?? "?"} · rank ${rank ?? "?"}`,
    source: "skulk",
    group: id.instanceId ? `skulk:${id.instanceId}` : "skulk:unknown-instance",
    node,
    rank,
    worldSize: id.worldSize ?? null,
    runnerId: id.runnerId,
    instanceId: id.instanceId ?? null,
    modelId: id.modelId ?? null,
    layers,
    pid: id.pid ?? null,
  };
}

function markerKind(phase: string, event: string): MarkerKindValue {
  if (event === "runner_crashed" || /crash/.test(event)) return MarkerKind.Crash;
  if (event === "exception" || phase === "error") return MarkerKind.Exception;
  if (/error|fail/.test(event)) return MarkerKind.Error;
  if (phase.startsWith("cancel") || /cancel/.test(event)) return MarkerKind.Cancel;
  return MarkerKind.Info;
}

/** "generator_step_enter" → ["generator_step", "begin"]; sub-spans inside a phase. */
const subSpanCache = new Map<string, [string, "begin" | "end"] | null>();

function subSpan(event: string): [string, "begin" | "end"] | null {
  let hit = subSpanCache.get(event);
  if (hit === undefined) {
    const m = /^(.+)_(enter|begin|start|exit|complete|end)$/.exec(event);
    hit = m ? [m[1], m[2] === "enter" || m[2] === "begin" || m[2] === "start" ? "begin" : "end"] : null;
    // Event names are a small vocabulary; a file of junk names must not grow this forever.
    if (subSpanCache.size < 10_000) subSpanCache.set(event, hit);
  }
  return hit;
}

/**
 * Turns Skulk flight-recorder entries into lanes: a span per phase occurrence (enter/exit
 * pairs and phase changes), sub-spans for `*_enter`/`*_exit` point pairs, markers for
 * point events, MLX memory counters. Entries are gathered per runner and replayed in time
 * order at `finish`, because ring buffers and merged timelines are not always ordered.
 */
export class SkulkCollector {
  private readonly runners = new Map<string, RunnerState>();
  private report!: FileReportBuilder;
  private file = 0;

  private readonly names = new Map<string, string>();

  /** Entries of every input are replayed together, so they share one time base. */
  readonly time = new TimeBase();

  constructor(private readonly builder: ModelBuilder) {}

  /** One string object per phase/event name, however many entries repeat it. */
  private intern(s: string): string {
    const known = this.names.get(s);
    if (known !== undefined) return known;
    this.names.set(s, s);
    return s;
  }

  /** One collector serves every Skulk input of an ingest run, so each runner is replayed once. */
  static of(ctx: ParseContext): SkulkCollector {
    const c = ctx.shared("skulk", () => new SkulkCollector(ctx.builder));
    c.report = ctx.report;
    c.file = ctx.fileIndex;
    return c;
  }

  runner(identity: RunnerIdentity): RunnerState {
    let state = this.runners.get(laneId(identity.runnerId));
    if (state?.complete) return state;
    const info = laneInfo(identity);
    if (!state) {
      state = { lane: this.builder.lane(info, this.time), complete: false, entries: [], snapshot: null };
      this.runners.set(info.id, state);
    } else {
      state.lane.mergeInfo(info);
    }
    const l = state.lane.info;
    state.complete =
      l.node != null &&
      l.rank != null &&
      l.worldSize != null &&
      l.instanceId != null &&
      l.modelId != null &&
      l.layers != null &&
      l.pid != null;
    return state;
  }

  /** Validates and keeps one entry; returns false (with an error) when it cannot be used. */
  entry(raw: unknown, line: number, identity?: RunnerIdentity | null): boolean {
    if (!isObject(raw)) {
      this.report.error(line, "entry is not a JSON object");
      return false;
    }
    const id = identity ?? identityFromContext(raw.context) ?? liftedIdentity(raw);
    const at = str(raw.at);
    const phase = str(raw.phase);
    const event = str(raw.event);
    if (!id) {
      this.report.error(line, 'entry has no runner identity (no "context" and no "runnerId")');
      return false;
    }
    const t = at === null ? null : this.time.fromIso(at);
    if (t === null) {
      this.report.error(line, `entry has no valid "at" timestamp (${JSON.stringify(raw.at ?? null)})`);
      return false;
    }
    if (!phase || !event) {
      this.report.error(line, `entry lacks ${!phase ? '"phase"' : '"event"'}`);
      return false;
    }
    if (!KNOWN_PHASES.has(phase)) {
      this.report.warnOnce(`phase:${phase}`, `line ${line}: unknown phase "${phase}" (kept and shown)`);
    }
    const state = this.runner(id);
    this.report.records++;
    const attrs = isObject(raw.attrs) && !CLOSING.test(event) && hasAny(raw.attrs) ? raw.attrs : null;
    state.entries.push({
      t,
      phase: this.intern(phase),
      event: this.intern(event),
      detail: str(raw.detail),
      attrs,
      taskId: raw.taskId,
      commandId: raw.commandId,
      line,
      file: this.file,
    });
    this.memory(state.lane, raw.mlxMemory, t);
    return true;
  }

  /** One MLX memory snapshot (`{generatedAt, active:{inBytes}, ...}`) as counter samples. */
  memory(lane: LaneBuilder, mem: unknown, fallbackT: number): void {
    if (!isObject(mem)) return;
    const at = str(mem.generatedAt);
    const t = (at !== null ? this.time.fromIso(at) : null) ?? fallbackT;
    for (const [field, counter] of MLX_COUNTERS) {
      const v = mem[field];
      const bytes = isObject(v) ? v.inBytes : typeof v === "number" ? v : null;
      if (typeof bytes === "number") lane.counter(counter, t, bytes);
    }
  }

  snapshot(identity: RunnerIdentity, snap: RunnerSnapshot): void {
    const state = this.runner(identity);
    state.snapshot = snap;
    state.lane.mergeInfo({ state: snap.state });
  }

  finish(): void {
    for (const state of this.runners.values()) replay(state);
  }
}

function hasAny(o: JsonObject): boolean {
  for (const _ in o) return true;
  return false;
}

function liftedIdentity(raw: JsonObject): RunnerIdentity | null {
  const runnerId = str(raw.runnerId);
  if (!runnerId) return null;
  return { runnerId, nodeId: str(raw.nodeId), rank: int(raw.deviceRank), worldSize: int(raw.worldSize) };
}

interface Open {
  name: string;
  start: number;
  flags: number;
  args: JsonObject | null;
  line: number;
  file?: number;
}

/** Sorts by time and drops repeats (milestones and overlapping saves repeat entries). */
function dedupe(entries: Entry[]): Entry[] {
  entries.sort((a, b) => a.t - b.t);
  const out: Entry[] = [];
  let runStart = 0;
  for (const e of entries) {
    if (out.length && out[out.length - 1].t !== e.t) runStart = out.length;
    let dup = false;
    for (let j = runStart; j < out.length; j++) {
      const o = out[j];
      if (o.phase === e.phase && o.event === e.event && o.detail === e.detail) {
        dup = true;
        break;
      }
    }
    if (!dup) out.push(e);
  }
  return out;
}

function replay(state: RunnerState): void {
  const { lane, snapshot } = state;
  const entries = dedupe(state.entries);
  state.entries = [];
  let phase: Open | null = null;
  const subs = new Map<string, Open>();
  const first = entries.length ? entries[0].t : (snapshot?.at ?? 0);
  let last = first;

  const closeSubs = (t: number, flags = 0) => {
    for (const s of subs.values()) lane.span({ ...s, end: t, depth: 1, flags: s.flags | flags });
    subs.clear();
  };
  const closePhase = (t: number) => {
    if (!phase) return;
    closeSubs(t);
    lane.span({ ...phase, end: t });
    phase = null;
  };

  for (const e of entries) {
    last = e.t;
    if (e.event === "enter") {
      closePhase(e.t);
      phase = { name: e.phase, start: e.t, flags: 0, args: argsOf(e), line: e.line, file: e.file };
      continue;
    }
    if (e.event === "exit") {
      if (phase && phase.name === e.phase) {
        closePhase(e.t);
      } else if (phase) {
        closePhase(e.t);
      } else {
        // A full ring buffer lost this phase's enter: it began before the history we have.
        lane.span({
          name: e.phase,
          start: first,
          end: e.t,
          flags: SpanFlag.TruncatedStart,
          args: argsOf(e),
          line: e.line,
          file: e.file,
        });
      }
      continue;
    }
    if (!phase || phase.name !== e.phase) {
      closePhase(e.t);
      phase = {
        name: e.phase,
        start: e.t,
        flags: SpanFlag.Inferred,
        args: argsOf(e),
        line: e.line,
        file: e.file,
      };
    }
    const sub = subSpan(e.event);
    if (sub) {
      const [stem, edge] = sub;
      if (edge === "begin") {
        subs.set(stem, { name: stem, start: e.t, flags: 0, args: argsOf(e), line: e.line, file: e.file });
      } else {
        const open = subs.get(stem);
        if (open) {
          lane.span({ ...open, end: e.t, depth: 1 });
          subs.delete(stem);
        }
      }
      continue;
    }
    lane.marker({
      t: e.t,
      name: e.event,
      kind: markerKind(e.phase, e.event),
      args: argsOf(e),
      line: e.line,
      file: e.file,
    });
  }

  // The snapshot says where the runner was when the file was saved.
  let end = last;
  if (snapshot) {
    end = Math.max(end, snapshot.at);
    if (snapshot.phase && snapshot.secondsInPhase !== null) {
      const since = snapshot.at - snapshot.secondsInPhase * 1e9;
      const current = phase as Open | null;
      if (!current || current.name !== snapshot.phase) {
        if (current) closePhase(Math.max(current.start, Math.min(since, end)));
        phase = { name: snapshot.phase, start: since, flags: SpanFlag.Inferred, args: null, line: 0 };
      }
    }
    if (snapshot.state.processAlive === false) {
      lane.marker({
        t: snapshot.at,
        name: "process_not_alive",
        kind: MarkerKind.Crash,
        args: { statusKind: snapshot.state.statusKind ?? null },
      });
    }
  }
  const open = phase as Open | null;
  if (open) {
    closeSubs(end, SpanFlag.Open);
    lane.span({ ...open, end, flags: open.flags | SpanFlag.Open });
  }
}
