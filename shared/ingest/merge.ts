/**
 * Merging what several workers read into one model (see driver.ts): lanes that several
 * produced, and the parts of one big file split at record boundaries. Each lane keeps its own
 * origin; one lane from several workers is re-expressed against the earliest of theirs.
 */
import { concat, dropRepeats, nestingDepths, sortOrder, permute } from "../model/columns";
import type { CounterSeries, LaneData } from "../model/types";
import { SpanFlag } from "../model/types";
import { rebaseLane } from "../model/runs";

/** Re-points a lane's spans and markers at the dataset's file list. */
export function remapFiles(lane: LaneData, map: readonly number[]): void {
  for (const col of [lane.spans.file, lane.markers.file])
    for (let i = 0; i < col.length; i++) col[i] = map[col[i]] ?? col[i];
}

/** Re-expresses a lane's string ids against a merged table (in its own columns when `owned`). */
function reindex(lane: LaneData, table: Map<string, number>, strings: string[], owned: boolean): LaneData {
  const ids = lane.strings.map((s) => {
    let id = table.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      table.set(s, id);
    }
    return id;
  });
  const map = (a: Uint32Array) => {
    const out = owned ? a : new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = ids[a[i]];
    return out;
  };
  return {
    ...lane,
    spans: { ...lane.spans, name: map(lane.spans.name), args: map(lane.spans.args) },
    markers: { ...lane.markers, name: map(lane.markers.name), args: map(lane.markers.args) },
  };
}

/**
 * One lane from pieces several workers produced: spans and markers concatenated in time
 * order with exact repeats dropped, counters likewise; identity fields filled from each.
 * `owned`: the pieces are the caller's to change (a join worker's, handed over to it), so
 * they are rebased and re-pointed in place rather than copied first.
 */
export function mergeLanes(pieces: LaneData[], owned = false): LaneData {
  if (pieces.length === 1) return pieces[0];
  const originSec = Math.min(...pieces.map((p) => p.originSec));
  const parts = pieces.map((p) => rebased(p, originSec, owned));
  const table = new Map<string, number>([["", 0]]);
  const strings = [""];
  const re = parts.map((p) => reindex(p, table, strings, owned));
  const info = { ...re[0].info };
  for (const p of re.slice(1))
    for (const [k, v] of Object.entries(p.info))
      if ((info as Record<string, unknown>)[k] == null) (info as Record<string, unknown>)[k] = v;
  const cat = <K extends string, C extends Record<K, Float64Array | Uint32Array | Uint8Array>>(
    cols: C[],
    keys: K[],
  ) => Object.fromEntries(keys.map((k) => [k, concat(cols.map((c) => c[k]))])) as unknown as C;
  const spanKeys = ["start", "end", "name", "depth", "flags", "args", "file", "line"] as const;
  const spans = cat(
    re.map((p) => p.spans),
    [...spanKeys],
  );
  const order = sortOrder(spans.start);
  const sorted = Object.fromEntries(
    spanKeys.map((k) => [k, permute(spans[k], order)]),
  ) as unknown as typeof spans;
  // Exact repeats (the same span read twice) go; the kept are listed only once one goes.
  let keep: number[] | null = null;
  let last = 0;
  for (let i = 1; i < sorted.start.length; i++) {
    const same =
      sorted.start[last] === sorted.start[i] &&
      sorted.end[last] === sorted.end[i] &&
      sorted.name[last] === sorted.name[i] &&
      sorted.depth[last] === sorted.depth[i];
    if (same && !keep) {
      keep = [];
      for (let k = 0; k < i; k++) keep.push(k);
    }
    if (!same) {
      keep?.push(i);
      last = i;
    }
  }
  const pick = keep && Uint32Array.from(keep);
  const markerKeys = ["t", "name", "kind", "args", "file", "line"] as const;
  const markers = cat(
    re.map((p) => p.markers),
    [...markerKeys],
  );
  const mOrder = sortOrder(markers.t);
  const counters = new Map<string, CounterSeries[]>();
  for (const p of re) for (const c of p.counters) counters.set(c.name, [...(counters.get(c.name) ?? []), c]);
  return {
    info,
    originSec,
    end: Math.max(...parts.map((p) => p.end)),
    strings,
    spans: Object.fromEntries(
      spanKeys.map((k) => [k, permute(sorted[k], pick)]),
    ) as unknown as LaneData["spans"],
    markers: Object.fromEntries(
      markerKeys.map((k) => [k, permute(markers[k], mOrder)]),
    ) as unknown as LaneData["markers"],
    // A sample equal in time and value to the one before is dropped, as one reader drops it
    // (two records carrying the same snapshot, a part's seam between them).
    counters: [...counters].map(([name, cs]) => {
      const t = concat(cs.map((c) => c.t));
      const o = sortOrder(t);
      return { name, ...dropRepeats(permute(t, o), permute(concat(cs.map((c) => c.v)), o)) };
    }),
  };
}

/**
 * A lane against another origin, leaving the given one as it was unless `owned`: time columns
 * are copied (flags too, which joining rewrites) when the origin differs.
 */
function rebased(lane: LaneData, originSec: number, owned: boolean): LaneData {
  if (lane.originSec === originSec) return lane;
  if (owned) {
    rebaseLane(lane, originSec);
    return lane;
  }
  const copy: LaneData = {
    ...lane,
    spans: {
      ...lane.spans,
      start: lane.spans.start.slice(),
      end: lane.spans.end.slice(),
      flags: lane.spans.flags.slice(),
    },
    markers: { ...lane.markers, t: lane.markers.t.slice() },
    counters: lane.counters.map((c) => ({ ...c, t: c.t.slice() })),
  };
  rebaseLane(copy, originSec);
  return copy;
}

const PHASE_START = SpanFlag.TruncatedStart | SpanFlag.Inferred;

/**
 * When a part's first record is: its first span or marker, which sit at records' own times.
 * Counters only without those: a sample can be older than the record that carries it (Skulk's
 * mlxMemory.generatedAt, 40 µs before the entry), and taking it for the seam closed the phase
 * a part ended in just before the next part's exit of it, which then stood alone.
 */
function firstInstant(lane: LaneData): number {
  let t = Infinity;
  if (lane.spans.start.length) t = lane.spans.start[0];
  if (lane.markers.t.length) t = Math.min(t, lane.markers.t[0]);
  if (t < Infinity) return t;
  for (const c of lane.counters) if (c.t.length) t = Math.min(t, c.t[0]);
  return t;
}

function withoutSpans(lane: LaneData, drop: Set<number>): LaneData {
  if (!drop.size) return lane;
  const keep = Uint32Array.from(
    Array.from({ length: lane.spans.start.length }, (_, i) => i).filter((i) => !drop.has(i)),
  );
  const spans = Object.fromEntries(
    Object.entries(lane.spans).map(([k, col]) => [k, permute(col as Float64Array, keep)]),
  ) as unknown as LaneData["spans"];
  return { ...lane, spans };
}

/**
 * Span indexes in the order a trace's reader nests them: by start, the longer first; null
 * when they are in it already (as a lane's spans mostly are: a check is cheaper than a sort).
 */
function nestingOrder(start: Float64Array, end: Float64Array, depth: Uint8Array): number[] | null {
  const before = (a: number, b: number) =>
    start[a] - start[b] || end[b] - end[a] || depth[a] - depth[b] || a - b;
  let sorted = true;
  for (let i = 1; i < start.length && sorted; i++) sorted = before(i - 1, i) < 0;
  if (sorted) return null;
  return Array.from({ length: start.length }, (_, i) => i).sort(before);
}

/**
 * A Chrome trace's spans take their depth from nesting (unless `args.depth` gives one), and a
 * part read alone cannot see the spans an earlier part began that are still running: its
 * spans inside them came out shallower than the one reader of the whole file makes them. Here
 * a span whose depth is its nesting within its own part takes its nesting over all the parts;
 * one whose depth differs from that was given it, and keeps it. (A given depth that happens to
 * equal the part's nesting is taken for nesting: where given depths are the nesting, as in
 * Rankscope's own export, that is the same.) Other formats' depths say what a span is (a
 * phase, a step in it), not how it nests, and are left alone.
 */
function nestAcrossParts(parts: LaneData[]): void {
  if (parts.length < 2 || parts[0].info.source !== "trace") return;
  const total = parts.reduce((n, p) => n + p.spans.start.length, 0);
  const start = new Float64Array(total);
  const end = new Float64Array(total);
  const depth = new Uint8Array(total);
  const nested = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    const s = p.spans;
    const own = nestingDepths(s.start, s.end, nestingOrder(s.start, s.end, s.depth));
    start.set(s.start, at);
    end.set(s.end, at);
    depth.set(s.depth, at);
    for (let i = 0; i < own.length; i++) nested[at + i] = own[i] === s.depth[i] ? 1 : 0;
    at += own.length;
  }
  const whole = nestingDepths(start, end, nestingOrder(start, end, depth));
  at = 0;
  for (const p of parts) {
    const d = p.spans.depth;
    for (let i = 0; i < d.length; i++) if (nested[at + i]) d[i] = whole[at + i];
    at += d.length;
  }
}

/**
 * One lane from the consecutive parts of one big file that several workers read (split at
 * record boundaries). A phase still open where a part ended continues in the next part, which
 * saw it begin without its start (truncated, or inferred from its first record): the two
 * halves become one span, across as many parts as it lasts. An open phase the next part does
 * not continue ended at its first record, as it would have had one reader seen both.
 */
export function joinParts(pieces: LaneData[], owned = false): LaneData {
  if (pieces.length === 1) return pieces[0];
  const originSec = Math.min(...pieces.map((p) => p.originSec));
  // Joining rewrites the spans' ends, flags and depths: on copies, so the pieces stay as they
  // were, unless they are the caller's to change (`owned`, as mergeLanes).
  const parts = pieces.map((p) => {
    const r = rebased(p, originSec, owned);
    if (owned) return r;
    const s = r.spans;
    const copied = r !== p;
    const times = copied ? s : { start: s.start.slice(), end: s.end.slice(), flags: s.flags.slice() };
    return { ...r, spans: { ...s, ...times, depth: s.depth.slice() } };
  });
  const fileFirst = firstInstant(parts[0]);
  const out: LaneData[] = [parts[0]];
  // Spans still open at the current seam: which kept part holds them, and where.
  let open: { part: number; i: number }[] = [];
  const collectOpen = (k: number) => {
    const { flags, depth } = out[k].spans;
    for (let i = 0; i < flags.length; i++)
      if (flags[i] & SpanFlag.Open && depth[i] <= 1) open.push({ part: k, i });
  };
  collectOpen(0);
  for (let k = 1; k < parts.length; k++) {
    const next = parts[k];
    const first = firstInstant(next);
    const drop = new Set<number>();
    if (Number.isFinite(first)) {
      const ns = next.spans;
      const stillOpen: typeof open = [];
      for (const o of open) {
        const held = out[o.part];
        const name = held.strings[held.spans.name[o.i]];
        const d = held.spans.depth[o.i];
        let match = -1;
        for (let i = 0; i < ns.start.length && ns.start[i] <= first; i++) {
          if (drop.has(i) || ns.depth[i] !== d || !(ns.flags[i] & PHASE_START)) continue;
          if (next.strings[ns.name[i]] === name) {
            match = i;
            break;
          }
        }
        if (match >= 0) {
          held.spans.end[o.i] = ns.end[match];
          held.spans.flags[o.i] =
            (held.spans.flags[o.i] & ~SpanFlag.Open) | (ns.flags[match] & (SpanFlag.Open | SpanFlag.Error));
          drop.add(match);
          if (ns.flags[match] & SpanFlag.Open) stillOpen.push(o);
        } else {
          held.spans.end[o.i] = Math.max(held.spans.start[o.i], first);
          held.spans.flags[o.i] &= ~SpanFlag.Open;
        }
      }
      // A part that began on a phase's exit whose enter no part holds: had one reader seen it
      // all, the exit would have closed whatever phase was open, or reached back to the start.
      const openDepths = new Set(open.map((o) => out[o.part].spans.depth[o.i]));
      for (let i = 0; i < ns.start.length && ns.start[i] <= first; i++) {
        if (drop.has(i) || !(ns.flags[i] & SpanFlag.TruncatedStart)) continue;
        if (openDepths.has(ns.depth[i])) drop.add(i);
        else ns.start[i] = Math.min(ns.start[i], fileFirst);
      }
      open = stillOpen;
    }
    out.push(withoutSpans(next, drop));
    collectOpen(out.length - 1);
    // Spans carried over stay where they are; only those of the new part are added above.
    open = open.filter((o, idx, all) => all.findIndex((x) => x.part === o.part && x.i === o.i) === idx);
  }
  nestAcrossParts(out);
  return mergeLanes(out, owned);
}
