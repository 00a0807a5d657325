/**
 * "Save snapshot": the stitched history written as a cluster timeline in Skulk's own shape
 * (FORMATS.md section 1), so Rankscope, Skulk's tools and a text editor all read it, with
 * what Skulk has no field for (gaps, where it came from) in extra top-level fields that
 * other readers ignore. Written as a stream of chunks: hours of history are larger than
 * one string should be.
 */

import type { JsonObject } from "../formats/types";
import type { RunnerHistory } from "./history";
import type { Stitcher } from "./stitch";

export interface SnapshotInfo {
  /** The cluster the history came from (the attach URL). */
  source?: string;
  /** Friendly names by node id, from the diagnostics bundle. */
  nodeNames?: Record<string, string>;
  /** The attach's events (poll failures, unreachable nodes), newest last. */
  events?: unknown[];
}

/**
 * Min-heap of runner cursors by entry time; ties keep the order runners were first seen.
 * For Skulk's isoformat strings, time order is the order of Skulk's sort by the `at` string.
 */
class Cursors {
  private readonly heap: { h: RunnerHistory; i: number; order: number }[] = [];

  constructor(histories: RunnerHistory[]) {
    histories.forEach((h, order) => h.n && this.push({ h, i: 0, order }));
  }

  private less(a: { h: RunnerHistory; i: number; order: number }, b: typeof a): boolean {
    const ta = a.h.t[a.i];
    const tb = b.h.t[b.i];
    return ta < tb || (ta === tb && a.order < b.order);
  }

  private push(c: { h: RunnerHistory; i: number; order: number }): void {
    const heap = this.heap;
    heap.push(c);
    let k = heap.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.less(heap[k], heap[p])) break;
      [heap[k], heap[p]] = [heap[p], heap[k]];
      k = p;
    }
  }

  /** The earliest entry left, advancing past it; null when every runner is written. */
  next(): { h: RunnerHistory; i: number } | null {
    const heap = this.heap;
    if (!heap.length) return null;
    const top = heap[0];
    const out = { h: top.h, i: top.i };
    if (top.i + 1 < top.h.n) top.i++;
    else {
      const last = heap.pop()!;
      if (heap.length) heap[0] = last;
    }
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && this.less(heap[l], heap[m])) m = l;
      if (r < heap.length && this.less(heap[r], heap[m])) m = r;
      if (m === k) break;
      [heap[k], heap[m]] = [heap[m], heap[k]];
      k = m;
    }
    return out;
  }
}

/**
 * runners[] as last seen. A runner missing from the latest poll (its node went away) keeps
 * its last synopsis, with secondsInPhase carried to the snapshot's generatedAt so a reader
 * still places its phase start where Skulk reported it.
 */
export function runnersOf(s: Stitcher): {
  runners: JsonObject[];
  stale: { runnerId: string; lastSeenIn: string | null }[];
} {
  const runners: JsonObject[] = [];
  const stale: { runnerId: string; lastSeenIn: string | null }[] = [];
  const now = s.latest.generatedT;
  for (const [runnerId, syn] of s.synopses) {
    if (now === null || syn.seenAt >= now || typeof syn.raw.secondsInPhase !== "number") {
      runners.push(syn.raw);
      continue;
    }
    const carried = syn.raw.secondsInPhase + (now - syn.seenAt) / 1e9;
    runners.push({ ...syn.raw, secondsInPhase: Math.round(carried * 1e6) / 1e6 });
    stale.push({ runnerId, lastSeenIn: syn.seenIn });
  }
  return { runners, stale };
}

const BATCH = 2000;

/** The snapshot document as text chunks; their concatenation is one JSON document. */
export function* snapshotChunks(s: Stitcher, info: SnapshotInfo = {}): Generator<string> {
  const { runners, stale } = runnersOf(s);
  const latest = s.latest;
  yield (
    `{"generatedAt":${JSON.stringify(latest.generatedAt)},"localNodeId":${JSON.stringify(latest.localNodeId)},` +
    `"masterNodeId":${JSON.stringify(latest.masterNodeId)},\n"runners":[\n` +
    runners.map((r) => JSON.stringify(r)).join(",\n") +
    `\n],\n"timeline":[\n`
  );
  const cursors = new Cursors(s.runnerIds().map((id) => s.history(id)!));
  let lines: string[] = [];
  let first = true;
  for (let c = cursors.next(); c; c = cursors.next()) {
    lines.push(s.entryJson(c.h, c.i));
    if (lines.length === BATCH) {
      yield (first ? "" : ",\n") + lines.join(",\n");
      first = false;
      lines = [];
    }
  }
  if (lines.length) yield (first ? "" : ",\n") + lines.join(",\n");
  const live = {
    source: info.source ?? null,
    polls: s.polls,
    firstGeneratedAt: s.first,
    lastGeneratedAt: latest.generatedAt,
    entries: s.size,
    staleRunners: stale,
    nodeNames: info.nodeNames ?? {},
    events: info.events ?? [],
  };
  yield (
    `\n],\n"unreachableNodes":${JSON.stringify(latest.unreachableNodes)},\n` +
    `"rankscopeGaps":${JSON.stringify(s.gaps)},\n"rankscopeLive":${JSON.stringify(live)}}\n`
  );
}

export function snapshotText(s: Stitcher, info: SnapshotInfo = {}): string {
  return [...snapshotChunks(s, info)].join("");
}
