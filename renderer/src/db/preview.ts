import type { CounterLevel, LaneLod, SpanLevel } from "../../../shared/model/lod";
import type { LaneData, LaneInfo } from "../../../shared/model/types";
import type { LaneView } from "../view/laneView";
import { buildLaneView } from "../view/laneView";

/**
 * Levels at most this long go into the preview. Memory's are capped lower: a point is four
 * numbers, and with them at 4096 too they were three quarters of the preview (22 MB for 64
 * ranks, ~110 ms of reopen's IndexedDB read; now about 11 MB). A whole-run view wider than
 * ~1000 px may then draw memory a level coarser until the blocks are read (under a second).
 */
const PREVIEW_MAX_SPANS = 4096;
const PREVIEW_MAX_SAMPLES = 1024;

/**
 * What a lane looks like from afar, stored beside its identity so that reopening a dataset
 * can draw the whole run before the blocks (all the raw data) are read: the coarse levels of
 * detail, with their own small string table, and the header's facts.
 */
export interface LanePreview {
  strings: string[];
  spans: SpanLevel[];
  counterNames: string[];
  counters: CounterLevel[][];
  open: LaneView["open"];
  errorCount: number;
}

export function makePreview(view: LaneView): LanePreview {
  const strings = [""];
  const ids = new Map<number, number>();
  const remap = (level: SpanLevel): SpanLevel => ({
    ...level,
    name: level.name.map((n) => {
      let id = ids.get(n);
      if (id === undefined) {
        id = strings.length;
        strings.push(view.data.strings[n]);
        ids.set(n, id);
      }
      return id;
    }),
  });
  return {
    strings,
    spans: view.lod.spans.filter((l) => l.start.length <= PREVIEW_MAX_SPANS).map(remap),
    counterNames: view.data.counters.map((c) => c.name),
    counters: view.lod.counters.map((levels) => levels.filter((l) => l.t.length <= PREVIEW_MAX_SAMPLES)),
    open: view.open,
    errorCount: view.errorCount,
  };
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_U8 = new Uint8Array(0);

/** A lane view drawn from its preview alone (no raw data yet: zoomed in, it shows nothing). */
export function previewView(
  info: LaneInfo,
  p: LanePreview,
  place: { originSec: number; end: number; axisOriginSec: number },
): LaneView {
  const data: LaneData = {
    info,
    originSec: place.originSec,
    end: place.end,
    strings: p.strings,
    spans: {
      start: EMPTY_F64,
      end: EMPTY_F64,
      name: EMPTY_U32,
      depth: EMPTY_U8,
      flags: EMPTY_U8,
      args: EMPTY_U32,
      file: EMPTY_U32,
      line: EMPTY_U32,
    },
    markers: {
      t: EMPTY_F64,
      name: EMPTY_U32,
      kind: EMPTY_U8,
      args: EMPTY_U32,
      file: EMPTY_U32,
      line: EMPTY_U32,
    },
    counters: p.counterNames.map((name) => ({ name, t: EMPTY_F64, v: EMPTY_F64 })),
  };
  const lod: LaneLod = { spans: p.spans, counters: p.counters };
  return { ...buildLaneView(data, lod, place.axisOriginSec), open: p.open, errorCount: p.errorCount };
}

/** The largest value a preview's memory drawing reaches (coarse maxima are exact maxima). */
export function previewMemMax(view: LaneView): number {
  let max = 0;
  const index = (s: { name: string } | null) =>
    s ? view.data.counters.findIndex((c) => c.name === s.name) : -1;
  let stacked = 0;
  for (const s of view.memory.area) {
    const levels = view.lod.counters[index(s)] ?? [];
    const coarse = levels[levels.length - 1];
    if (coarse) stacked += Math.max(0, ...coarse.max);
  }
  max = stacked;
  const line = view.lod.counters[index(view.memory.line)] ?? [];
  if (line.length) max = Math.max(max, ...line[line.length - 1].max);
  return max;
}
