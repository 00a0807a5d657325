import type { LaneBuilder, SpanInput } from "../../model/builder";
import type { MarkerKindValue, Scalar } from "../../model/types";
import { MarkerKind, SpanFlag } from "../../model/types";
import type { JsonObject } from "../types";

/**
 * Replays one runner's gathered entries, in time order, into its lane: a span per phase
 * occurrence, sub-spans for `*_enter`/`*_exit` pairs, markers for point events and for
 * supervisor milestones, and the phase the last snapshot says the runner is in.
 */

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
export interface Entry {
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

/** A supervisor's `RunnerLifecycleMilestone`: a point on the lane, outside the phase machine. */
export interface Milestone {
  t: number;
  name: string;
  detail: string | null;
  file: number;
}

export interface RunnerState {
  lane: LaneBuilder;
  /** Every identity field is known: later entries need not be merged in. */
  complete: boolean;
  entries: Entry[];
  milestones: Milestone[];
  snapshot: RunnerSnapshot | null;
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

interface Open {
  name: string;
  start: number;
  flags: number;
  args: JsonObject | null;
  line: number;
  file?: number;
}

/**
 * An open span ended at `end`. Written out, not spread: V8's object spread takes a slow path
 * here, and a big flight recorder closes one span every other entry.
 */
function closed(o: Open, end: number, depth: number, flags: number): SpanInput {
  return { name: o.name, start: o.start, end, depth, flags, args: o.args, line: o.line, file: o.file };
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

/** Milestones as Info markers; the same milestone saved in two files is one point. */
function replayMilestones(state: RunnerState): void {
  const seen = new Set<string>();
  for (const m of state.milestones) {
    const key = `${m.t}\u0000${m.name}\u0000${m.detail ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    state.lane.marker({
      t: m.t,
      name: m.name,
      kind: MarkerKind.Info,
      args: m.detail !== null ? { milestone: true, detail: m.detail } : { milestone: true },
      file: m.file,
    });
  }
  state.milestones = [];
}

/**
 * The phase and sub-spans open while one runner's entries are replayed. A class, not closures
 * made per call: V8 optimised the replay loop for one call's closures and threw it away at the
 * next runner's ("wrong call target"), recompiling the whole loop a few times per import.
 */
class OpenSpans {
  phase: Open | null = null;
  private readonly subs = new Map<string, Open>();

  constructor(private readonly lane: LaneBuilder) {}

  closeSubs(t: number, flags = 0): void {
    for (const s of this.subs.values()) this.lane.span(closed(s, t, 1, s.flags | flags));
    this.subs.clear();
  }

  /** Ends the open phase and its sub-spans at `t`, with `flags` added (Open at the data's end). */
  closePhase(t: number, flags = 0): void {
    const phase = this.phase;
    if (!phase) return;
    this.closeSubs(t, flags);
    this.lane.span(closed(phase, t, 0, phase.flags | flags));
    this.phase = null;
  }

  openSub(stem: string, e: Entry): void {
    this.subs.set(stem, { name: stem, start: e.t, flags: 0, args: argsOf(e), line: e.line, file: e.file });
  }

  closeSub(stem: string, t: number): void {
    const open = this.subs.get(stem);
    if (open) {
      this.lane.span(closed(open, t, 1, open.flags));
      this.subs.delete(stem);
    }
  }
}

export function replay(state: RunnerState): void {
  replayMilestones(state);
  const { lane, snapshot } = state;
  const entries = dedupe(state.entries);
  state.entries = [];
  const open = new OpenSpans(lane);
  const first = entries.length ? entries[0].t : (snapshot?.at ?? 0);
  let last = first;

  for (const e of entries) {
    last = e.t;
    if (e.event === "enter") {
      open.closePhase(e.t);
      open.phase = { name: e.phase, start: e.t, flags: 0, args: argsOf(e), line: e.line, file: e.file };
      continue;
    }
    if (e.event === "exit") {
      if (open.phase) {
        open.closePhase(e.t);
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
    if (!open.phase || open.phase.name !== e.phase) {
      open.closePhase(e.t);
      open.phase = {
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
      if (sub[1] === "begin") open.openSub(sub[0], e);
      else open.closeSub(sub[0], e.t);
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
      const current = open.phase;
      if (!current || current.name !== snapshot.phase) {
        if (current) open.closePhase(Math.max(current.start, Math.min(since, end)));
        open.phase = { name: snapshot.phase, start: since, flags: SpanFlag.Inferred, args: null, line: 0 };
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
  open.closePhase(end, SpanFlag.Open);
}
