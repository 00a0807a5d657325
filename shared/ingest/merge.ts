/**
 * Parallel ingest support, host-independent: split inputs into balanced groups that
 * workers read separately, then merge their results into one model. Each lane keeps its own
 * origin; one lane from several workers is re-expressed against the earliest of theirs.
 *
 * A directory is never split (a stormlog sink, a RUNE store with its -wal, one node's
 * files), and lanes that several workers produced are merged: spans and markers
 * concatenated in time order with exact repeats dropped, counters likewise.
 */
import { concat, sortOrder, permute } from "../model/columns";
import type { CounterSeries, LaneData } from "../model/types";
import { rebaseLane } from "../model/runs";
import { earliestOrigin, type IngestResult } from "./pipeline";
import { dirName, type FileSource } from "./source";

/** Below this total, one worker reads everything (cross-file joins stay in one place). */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/** Groups of sources, one per worker, balanced by bytes; directories stay whole. */
export function partition<T extends Pick<FileSource, "path" | "size">>(sources: T[], workers: number): T[][] {
  const total = sources.reduce((n, s) => n + s.size, 0);
  if (workers <= 1 || total < PARALLEL_MIN_BYTES) return [sources];
  const dirs = new Map<string, T[]>();
  for (const s of sources) {
    const d = dirName(s.path);
    if (!dirs.has(d)) dirs.set(d, []);
    dirs.get(d)!.push(s);
  }
  const units = [...dirs.values()].map((files) => ({ files, bytes: files.reduce((n, f) => n + f.size, 0) }));
  units.sort((a, b) => b.bytes - a.bytes);
  const bins = Array.from({ length: Math.min(workers, units.length) }, () => ({
    files: [] as T[],
    bytes: 0,
  }));
  for (const u of units) {
    const bin = bins.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    bin.files.push(...u.files);
    bin.bytes += u.bytes;
  }
  return bins.map((b) => b.files).filter((g) => g.length);
}

function remapFiles(lane: LaneData, map: number[]): void {
  for (const col of [lane.spans.file, lane.markers.file])
    for (let i = 0; i < col.length; i++) col[i] = map[col[i]] ?? col[i];
}

/** Re-expresses a lane's string ids against a merged table. */
function reindex(lane: LaneData, table: Map<string, number>, strings: string[]): LaneData {
  const ids = lane.strings.map((s) => {
    let id = table.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      table.set(s, id);
    }
    return id;
  });
  const map = (a: Uint32Array) => a.map((i) => ids[i]);
  return {
    ...lane,
    spans: { ...lane.spans, name: map(lane.spans.name), args: map(lane.spans.args) },
    markers: { ...lane.markers, name: map(lane.markers.name), args: map(lane.markers.args) },
  };
}

function mergeLanes(parts: LaneData[]): LaneData {
  if (parts.length === 1) return parts[0];
  const originSec = Math.min(...parts.map((p) => p.originSec));
  for (const p of parts) rebaseLane(p, originSec);
  const table = new Map<string, number>([["", 0]]);
  const strings = [""];
  const re = parts.map((p) => reindex(p, table, strings));
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
  const keep: number[] = [];
  for (let i = 0; i < sorted.start.length; i++) {
    const j = keep[keep.length - 1];
    const same =
      j !== undefined &&
      sorted.start[j] === sorted.start[i] &&
      sorted.end[j] === sorted.end[i] &&
      sorted.name[j] === sorted.name[i] &&
      sorted.depth[j] === sorted.depth[i];
    if (!same) keep.push(i);
  }
  const pick = Uint32Array.from(keep);
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
    counters: [...counters].map(([name, cs]) => {
      const t = concat(cs.map((c) => c.t));
      const o = sortOrder(t);
      return { name, t: permute(t, o), v: permute(concat(cs.map((c) => c.v)), o) };
    }),
  };
}

/** One result from several workers' results; files keep the order of `sources`. */
export function mergeResults(results: IngestResult[], sources: Pick<FileSource, "path">[]): IngestResult {
  if (results.length === 1) return results[0];
  const order = new Map(sources.map((s, i) => [s.path, i]));
  const files = results
    .flatMap((r) => r.files)
    .sort((a, b) => (order.get(a.path) ?? 1e9) - (order.get(b.path) ?? 1e9));
  const position = new Map(files.map((f, i) => [f, i]));
  const byId = new Map<string, LaneData[]>();
  results.forEach((r) => {
    const fileMap = r.files.map((f) => position.get(f)!);
    for (const lane of r.lanes) {
      remapFiles(lane, fileMap);
      byId.set(lane.info.id, [...(byId.get(lane.info.id) ?? []), lane]);
    }
  });
  const lanes = [...byId.values()].map(mergeLanes);
  return {
    originSec: earliestOrigin(lanes),
    lanes,
    files,
    notes: results.flatMap((r) => r.notes),
  };
}
