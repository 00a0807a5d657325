import type { LaneBuilder, ModelBuilder } from "../../model/builder";
import { TimeBase } from "../../model/time";
import { MarkerKind, SpanFlag, type MarkerKindValue, type Scalar } from "../../model/types";
import type { ParseContext } from "../types";
import type { Rec, StormEvent } from "./record";
import { RecordSet } from "./identity";

const COUNTERS: [keyof StormEvent, string][] = [
  ["allocated", "allocator.allocated"],
  ["reserved", "allocator.reserved"],
  ["active", "allocator.active"],
  ["inactive", "allocator.inactive"],
  ["change", "allocator.change"],
  ["used", "device.used"],
  ["free", "device.free"],
  ["total", "device.total"],
];

const MARKERS: Record<string, MarkerKindValue> = {
  warning: MarkerKind.Warning,
  critical: MarkerKind.Critical,
  error: MarkerKind.Error,
  peak: MarkerKind.Peak,
  collector_degraded: MarkerKind.Warning,
  collector_recovered: MarkerKind.Info,
  start: MarkerKind.Info,
  stop: MarkerKind.Info,
};

interface OpenPhase {
  name: string;
  start: number;
  depth: number;
  args: Rec;
  line: number;
  file: number;
}

interface Lane {
  lane: LaneBuilder;
  first: number;
  last: number;
  open: Map<string, OpenPhase>;
  /** The lane's records so far, to know one read from another input again. */
  seen: RecordSet;
  /** Exits whose enter was never seen. */
  pendingExits: { name: string; end: number; depth: number; args: Rec; line: number; file: number }[];
}

/**
 * A span depth (0 = outermost) from stormlog's `phase_scope`, whose `depth` counts from 1
 * (`len(path)`: "train" is 1, "train / forward" 2).
 */
function phaseDepth(scope: Rec): number {
  const levels = Array.isArray(scope.path) && scope.path.length ? scope.path.length : scope.depth;
  return typeof levels === "number" && Number.isFinite(levels) ? Math.max(0, Math.min(levels - 1, 255)) : 0;
}

export function deviceLabel(collector: string, device: number): string {
  if (device < 0) return "cpu";
  const kind = /mps/.test(collector)
    ? "mps"
    : /tensorflow/.test(collector)
      ? "GPU"
      : /rocm/.test(collector)
        ? "rocm"
        : "cuda";
  return `${kind}:${device}`;
}

/**
 * stormlog events → lanes, one per (session, rank, device), shared by every stormlog input
 * of an ingest (a sink's segments, a rank's several files), so phases pair across files.
 *
 * `--output track.json --telemetry-sink-dir live_sink` writes every event twice, and a user
 * drops both: a record already read from another input is the same event, read once.
 */
export class StormCollector {
  private readonly lanes = new Map<string, Lane>();
  private readonly sessions = new Map<string, Record<string, Scalar>>();
  private readonly paths = new Map<number, string>();
  private ctx!: ParseContext;
  /** Records of the current input already read from earlier inputs, by where they were. */
  private dups = { count: 0, from: new Set<number>(), sessions: new Set<string>() };

  /** Events of every input are paired together, so they share one time base. */
  readonly time = new TimeBase();

  constructor(private readonly builder: ModelBuilder) {}

  static of(ctx: ParseContext): StormCollector {
    const c = ctx.shared("stormlog", () => new StormCollector(ctx.builder));
    c.ctx = ctx;
    c.paths.set(ctx.fileIndex, ctx.report.path);
    return c;
  }

  /** After an input's last record: say how many of its records another input already had. */
  endInput(): void {
    const { count, from, sessions } = this.dups;
    if (count) {
      const where = [...from].map((i) => this.paths.get(i) ?? `input ${i + 1}`).join(", ");
      const ids = [...sessions];
      const session = `session${ids.length > 1 ? "s" : ""} ${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""}`;
      this.ctx.report.warn(
        `${count} of these records were already read from ${where} (the same ${session}): each is counted once`,
      );
    }
    this.dups = { count: 0, from: new Set(), sessions: new Set() };
  }

  /** A manifest's SessionSummary: status, start/end, host... shown on the session's lanes. */
  session(summary: Rec): void {
    const id = typeof summary.session_id === "string" ? summary.session_id : null;
    if (!id) return;
    const state: Record<string, Scalar> = {};
    for (const [k, v] of Object.entries(summary))
      if (v === null || ["string", "number", "boolean"].includes(typeof v))
        state[`session.${k}`] = v as Scalar;
    this.sessions.set(id, state);
  }

  private laneFor(e: StormEvent): Lane {
    const id = `stormlog:${e.sessionId}:${e.rank}:${e.deviceId}`;
    let l = this.lanes.get(id);
    if (!l) {
      const device = deviceLabel(e.collector, e.deviceId);
      const lane = this.builder.lane(
        {
          id,
          label: `${e.host} · rank ${e.rank} · ${device}`,
          source: "stormlog",
          group: `stormlog:${e.jobId ?? e.sessionId}`,
          node: e.host,
          rank: e.rank,
          worldSize: e.worldSize,
          device,
          pid: e.pid >= 0 ? e.pid : null,
          state: {
            session: e.sessionId,
            collector: e.collector,
            localRank: e.localRank,
            ...(e.jobId ? { job: e.jobId } : {}),
          },
        },
        this.time,
      );
      l = {
        lane,
        first: Infinity,
        last: -Infinity,
        open: new Map(),
        pendingExits: [],
        seen: new RecordSet(),
      };
      this.lanes.set(id, l);
    }
    return l;
  }

  event(e: StormEvent, line: number): void {
    const l = this.laneFor(e);
    const first = l.seen.firstInput(e, this.ctx.fileIndex);
    if (first !== this.ctx.fileIndex) {
      this.dups.count++;
      this.dups.from.add(first);
      this.dups.sessions.add(e.sessionId);
      return;
    }
    const t = this.time.fromNs(e.timestampNs);
    l.first = Math.min(l.first, t);
    l.last = Math.max(l.last, t);
    for (const [field, name] of COUNTERS) {
      const v = e[field];
      if (typeof v === "number") l.lane.counter(name, t, v);
    }
    const args: Rec = {
      collector: e.collector,
      ...(e.context ? { context: e.context } : {}),
      ...(Object.keys(e.metadata).length ? { metadata: e.metadata } : {}),
    };
    if (e.eventType === "phase_enter" || e.eventType === "phase_exit") return this.phase(l, e, t, args, line);
    const kind = MARKERS[e.eventType];
    if (kind !== undefined)
      l.lane.marker({ t, name: e.context ? `${e.eventType}: ${e.context}` : e.eventType, kind, args, line });
  }

  private phase(l: Lane, e: StormEvent, t: number, args: Rec, line: number): void {
    const scope = (e.metadata.phase_scope ?? {}) as Rec;
    const name = typeof scope.name === "string" ? scope.name : (e.context ?? "phase");
    const key =
      typeof scope.scope_id === "string" || typeof scope.scope_id === "number"
        ? String(scope.scope_id)
        : `name:${name}`;
    const depth = phaseDepth(scope);
    if (e.eventType === "phase_enter") {
      l.open.set(key, { name, start: t, depth, args, line, file: this.ctx.fileIndex });
      return;
    }
    const open = l.open.get(key);
    if (open) {
      l.open.delete(key);
      l.lane.span({
        name: open.name,
        start: open.start,
        end: t,
        depth: open.depth,
        args: open.args,
        line: open.line,
        file: open.file,
      });
    } else {
      // The enter is not in what we have (a pruned segment): the phase began before it.
      l.pendingExits.push({ name, end: t, depth, args, line, file: this.ctx.fileIndex });
    }
  }

  finish(): void {
    for (const l of this.lanes.values()) {
      const session = this.sessions.get(String(l.lane.info.state?.session ?? ""));
      if (session) l.lane.mergeInfo({ state: session });
      for (const p of l.pendingExits)
        l.lane.span({
          name: p.name,
          start: l.first,
          end: p.end,
          depth: p.depth,
          flags: SpanFlag.TruncatedStart,
          args: p.args,
          line: p.line,
          file: p.file,
        });
      for (const o of l.open.values())
        l.lane.span({
          name: o.name,
          start: o.start,
          end: l.last,
          depth: o.depth,
          flags: SpanFlag.Open,
          args: o.args,
          line: o.line,
          file: o.file,
        });
    }
  }
}
