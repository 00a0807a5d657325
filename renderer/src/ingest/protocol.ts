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
  /** While the import runs: the lanes read so far that changed since the last picture. */
  | { type: "picture"; lanes: LaneData[]; lods: (LaneLod | null)[] }
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
