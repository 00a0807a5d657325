import { ingest, type IngestResult } from "../../shared/ingest/pipeline";
import { memorySource } from "../../shared/ingest/source";
import { finalizeModel } from "../../shared/model/dataset";
import type { LaneData, Model } from "../../shared/model/types";

/** Ingests in-memory files ({path: content}) and returns the finalized model. */
export async function ingestFiles(
  files: Record<string, string | Uint8Array>,
  chunkSize?: number,
): Promise<Model> {
  const sources = Object.entries(files).map(([p, c]) => memorySource(p, c, 0, chunkSize));
  const r: IngestResult = await ingest(sources);
  return finalizeModel(r);
}

/** Spans of a lane as plain objects, for readable expectations. */
export function spans(lane: LaneData) {
  const out = [];
  for (let i = 0; i < lane.spans.start.length; i++) {
    out.push({
      name: lane.strings[lane.spans.name[i]],
      start: lane.spans.start[i],
      end: lane.spans.end[i],
      depth: lane.spans.depth[i],
      flags: lane.spans.flags[i],
      args: lane.strings[lane.spans.args[i]] ? JSON.parse(lane.strings[lane.spans.args[i]]) : null,
      line: lane.spans.line[i],
    });
  }
  return out;
}

export function markers(lane: LaneData) {
  const out = [];
  for (let i = 0; i < lane.markers.t.length; i++) {
    out.push({
      name: lane.strings[lane.markers.name[i]],
      t: lane.markers.t[i],
      kind: lane.markers.kind[i],
      line: lane.markers.line[i],
    });
  }
  return out;
}

export function counter(lane: LaneData, name: string) {
  const c = lane.counters.find((s) => s.name === name);
  return c ? { t: [...c.t], v: [...c.v] } : null;
}

export function laneBy(model: Model, pred: (l: LaneData) => boolean): LaneData {
  const lane = model.lanes.find(pred);
  if (!lane) throw new Error(`no such lane among ${model.lanes.map((l) => l.info.id).join(", ")}`);
  return lane;
}
