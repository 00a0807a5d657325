import type { IngestProgress } from "../../../shared/ingest/pipeline";
import type { DatasetNote, FileReport, LaneData } from "../../../shared/model/types";
import type { PickedFile } from "./dropWalk";

/** A file the web-mode server offers (`rankscope <path>` without Electron). */
export interface RemoteFile {
  url: string;
  path: string;
  size: number;
  lastModified: number;
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
}

/** Every buffer of the lanes, so the worker hands them over instead of copying. */
export function transferables(lanes: LaneData[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const lane of lanes) {
    for (const col of Object.values(lane.spans)) out.push(col.buffer as ArrayBuffer);
    for (const col of Object.values(lane.markers)) out.push(col.buffer as ArrayBuffer);
    for (const c of lane.counters) out.push(c.t.buffer as ArrayBuffer, c.v.buffer as ArrayBuffer);
  }
  return [...new Set(out)];
}
