import type { IngestProgress } from "../../../shared/ingest/pipeline";
import type { LaneLod } from "../../../shared/model/lod";
import type { DatasetNote, FileReport, LaneData } from "../../../shared/model/types";
import type { PickedFile } from "./dropWalk";

/** A file the web-mode server offers (`rankscope <path>` without Electron). */
export interface RemoteFile {
  url: string;
  path: string;
  size: number;
  lastModified: number;
  /** Sent with each request for the file (web mode's launch secret). */
  headers: Record<string, string>;
}

export type ToWorker =
  { type: "files"; files: PickedFile[] } | { type: "remote"; files: RemoteFile[] } | { type: "demo" };

export type FromWorker =
  | { type: "progress"; progress: IngestProgress }
  | { type: "file"; report: FileReport }
  | { type: "done"; outcome: IngestOutcome }
  | { type: "error"; message: string };

/** What an ingest produced, before it is stored. */
export interface IngestOutcome {
  originSec: number;
  lanes: LaneData[];
  files: FileReport[];
  notes: DatasetNote[];
  /** Level-of-detail summaries per lane, when the producer computed them (web worker). */
  lods?: LaneLod[];
}

/** Every buffer of the lanes, so the worker hands them over instead of copying. */
export function transferables(lanes: LaneData[], lods: LaneLod[] = []): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const lod of lods) {
    for (const level of lod.spans)
      for (const v of Object.values(level)) if (ArrayBuffer.isView(v)) out.push(v.buffer as ArrayBuffer);
    for (const levels of lod.counters)
      for (const level of levels)
        for (const v of Object.values(level)) if (ArrayBuffer.isView(v)) out.push(v.buffer as ArrayBuffer);
  }
  for (const lane of lanes) {
    for (const col of Object.values(lane.spans)) out.push(col.buffer as ArrayBuffer);
    for (const col of Object.values(lane.markers)) out.push(col.buffer as ArrayBuffer);
    for (const c of lane.counters) out.push(c.t.buffer as ArrayBuffer, c.v.buffer as ArrayBuffer);
  }
  return [...new Set(out)];
}
