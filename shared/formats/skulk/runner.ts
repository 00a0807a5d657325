import type { LaneBuilder, ModelBuilder } from "../../model/builder";
import { nodeLabels } from "../../model/nodeNames";
import { SKULK_PHASES } from "../../model/phases";
import { TimeBase } from "../../model/time";
import type { LaneInfo } from "../../model/types";
import { replay, type RunnerSnapshot, type RunnerState } from "./replay";
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

/** Ends of pairs carry nothing the begin did not: their attrs need not be kept. */
const CLOSING = /(?:^exit|_exit|_complete|_end)$/;

/** How sure a source is of a node's name: the node's own runtime beats a peer's placement view. */
export const NameSource = { Hostname: 1, Placement: 2, Runtime: 3 } as const;

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

const UNKNOWN_GROUP = "skulk:unknown-instance";

function laneLabel(node: string | null, rank: number | null): string {
  return `${node ?? "?"} · rank ${rank ?? "?"}`;
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
    label: laneLabel(node, rank),
    source: "skulk",
    group: id.instanceId ? `skulk:${id.instanceId}` : UNKNOWN_GROUP,
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
  private readonly nodeNames = new Map<string, { name: string; source: number }>();
  /** Identities other files' placements give, merged into lanes that exist at the end. */
  private readonly placements = new Map<string, RunnerIdentity>();

  /**
   * Entries of every input are replayed together, so they share one time base. A live
   * attach passes its stitched history's, so held offsets go in without a round trip
   * through text.
   */
  constructor(
    private readonly builder: ModelBuilder,
    readonly time: TimeBase = new TimeBase(),
  ) {}

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

  /** Identities already merged into their lane: a caller that repeats one pays nothing. */
  private readonly merged = new WeakMap<RunnerIdentity, RunnerState>();

  runner(identity: RunnerIdentity): RunnerState {
    const known = this.merged.get(identity);
    if (known) return known;
    let state = this.runners.get(laneId(identity.runnerId));
    if (state?.complete) return state;
    const info = laneInfo(identity);
    if (!state) {
      state = {
        lane: this.builder.lane(info, this.time),
        complete: false,
        entries: [],
        milestones: [],
        snapshot: null,
      };
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
    this.merged.set(identity, state);
    return state;
  }

  /** The runner of the last entry read, while every field of its identity is known. */
  private last: { runnerId: string; state: RunnerState } | null = null;

  /**
   * The runner an entry's context names. A flight recorder repeats one runner's full
   * context in every entry: once that runner's lane knows every field, it is found by id.
   */
  private runnerOf(raw: JsonObject): RunnerState | null {
    const ctx = raw.context;
    const last = this.last;
    if (last && isObject(ctx) && ctx.runnerId === last.runnerId) return last.state;
    const id = identityFromContext(ctx) ?? liftedIdentity(raw);
    if (!id) return null;
    const state = this.runner(id);
    this.last = state.complete ? { runnerId: id.runnerId, state } : null;
    return state;
  }

  /** Validates and keeps one entry; returns false (with an error) when it cannot be used. */
  entry(raw: unknown, line: number, identity?: RunnerIdentity | null): boolean {
    if (!isObject(raw)) {
      this.report.error(line, "entry is not a JSON object");
      return false;
    }
    const state = identity ? this.runner(identity) : this.runnerOf(raw);
    const at = str(raw.at);
    if (!state) {
      this.report.error(line, 'entry has no runner identity (no "context" and no "runnerId")');
      return false;
    }
    const t = at === null ? null : this.time.fromIso(at);
    if (t === null) {
      this.report.error(line, `entry has no valid "at" timestamp (${JSON.stringify(raw.at ?? null)})`);
      return false;
    }
    return this.keep(raw, t, line, state);
  }

  /** `entry` for a record whose time is known already (an offset of `time`). */
  entryAt(raw: JsonObject, t: number, line: number, id: RunnerIdentity): boolean {
    return this.keep(raw, t, line, this.runner(id));
  }

  private keep(raw: JsonObject, t: number, line: number, state: RunnerState): boolean {
    const phase = str(raw.phase);
    const event = str(raw.event);
    if (!phase || !event) {
      this.report.error(line, `entry lacks ${!phase ? '"phase"' : '"event"'}`);
      return false;
    }
    if (!KNOWN_PHASES.has(phase)) {
      this.report.warnOnce(`phase:${phase}`, `line ${line}: unknown phase "${phase}" (kept and shown)`);
    }
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

  /**
   * One `RunnerLifecycleMilestone` ({at, name, detail}) of a known runner. Returns false,
   * with an error naming `where`, when it has no usable time or name.
   */
  milestone(identity: RunnerIdentity, raw: unknown, where: string): boolean {
    const at = isObject(raw) ? str(raw.at) : null;
    const name = isObject(raw) ? str(raw.name) : null;
    const t = at === null ? null : this.time.fromIso(at);
    if (!isObject(raw) || t === null || !name) {
      const why = !isObject(raw)
        ? "is not a JSON object"
        : t === null
          ? 'has no valid "at"'
          : 'has no "name"';
      this.report.error(undefined, `${where} ${why}`);
      return false;
    }
    this.report.records++;
    this.runner(identity).milestones.push({
      t,
      name: this.intern(name),
      detail: str(raw.detail),
      file: this.file,
    });
    return true;
  }

  private readonly said = new Set<string>();

  /** True the first time `key` is seen in this ingest (dataset notes that files repeat). */
  once(key: string): boolean {
    if (this.said.has(key)) return false;
    this.said.add(key);
    return true;
  }

  /** A name for a node; a better source replaces a weaker one, else the first name stays. */
  nameNode(nodeId: string | null, name: unknown, source: number): void {
    const text = typeof name === "string" ? name.trim() : "";
    // NodeIdentity's default friendlyName is "Unknown": no name at all.
    if (!nodeId || !text || text === "Unknown" || text === nodeId) return;
    const known = this.nodeNames.get(nodeId);
    if (!known || known.source < source) this.nodeNames.set(nodeId, { name: text, source });
  }

  /** A runner as a placement describes it (possibly on another node): fills only what lanes lack. */
  placement(identity: RunnerIdentity): void {
    const known = this.placements.get(identity.runnerId);
    this.placements.set(identity.runnerId, { ...identity, ...dropNulls(known ?? {}) });
  }

  snapshot(identity: RunnerIdentity, snap: RunnerSnapshot): void {
    const state = this.runner(identity);
    state.snapshot = snap;
    state.lane.mergeInfo({ state: snap.state });
  }

  finish(): void {
    for (const [runnerId, identity] of this.placements) {
      const state = this.runners.get(laneId(runnerId));
      if (state) state.lane.mergeInfo(dropNulls(laneInfo(identity)));
    }
    // Names are joined here, not as lanes are made: a node diagnostics file read after the
    // cluster timeline still names the timeline's lanes.
    for (const state of this.runners.values()) {
      const info = state.lane.info;
      info.nodeName = (info.node && this.nodeNames.get(info.node)?.name) || null;
      // The first file may not have known the instance; a later one did.
      if (info.instanceId && info.group === UNKNOWN_GROUP) info.group = `skulk:${info.instanceId}`;
    }
    const labels = nodeLabels([...this.runners.values()].map((s) => s.lane.info));
    for (const state of this.runners.values()) {
      const info = state.lane.info;
      info.label = laneLabel(
        info.node ? (labels.get(info.node)?.text ?? info.node) : null,
        info.rank ?? null,
      );
      replay(state);
    }
  }
}

function dropNulls<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k as keyof T] = v;
  return out;
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
