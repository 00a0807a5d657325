/** Messages between the page and the live worker (renderer/src/live/live.worker.ts). */
import type { LiveEndpoint, LiveFetchResult } from "../../../shared/ipc/contract";
import type { PollerState } from "../../../shared/live/poller";
import type { LiveEvent } from "../../../shared/live/session";
import type { LaneLod } from "../../../shared/model/lod";
import type { DatasetNote, FileReport, LaneData } from "../../../shared/model/types";

/**
 * How the worker reaches the cluster. Web mode: the launcher's proxy (`./api/live/…`) with
 * the launch secret. Electron: the page relays each GET to main over IPC (the page's CSP
 * is 'self', and only main may contact the cluster).
 */
export type TransportSpec = { kind: "proxy"; base: string; key: string | null } | { kind: "relay" };

export interface LiveOptions {
  /** What the user attached to, as shown ("http://10.0.0.2:52415"). */
  label: string;
  intervalMs: number;
}

export type ToLiveWorker =
  | { type: "start"; transport: TransportSpec; options: LiveOptions }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "stop" }
  | { type: "snapshot" }
  | { type: "fetched"; id: number; result: LiveFetchResult };

export interface LiveStats {
  polls: number;
  entries: number;
  /** Entries held per runner id: the history past Skulk's 128-entry ring. */
  perRunner: Record<string, number>;
  gaps: number;
  /** Nodes seen (timeline runners and the diagnostics bundle), and those unreachable now. */
  nodes: { nodeId: string; name: string | null; unreachableSince: number | null }[];
  /** Cost of the latest rebuild of the lanes, in the worker. */
  buildMs: number;
  bytes: number;
}

export type FromLiveWorker =
  | { type: "state"; state: PollerState }
  | { type: "event"; event: LiveEvent; line: string }
  | {
      type: "lanes";
      lanes: LaneData[];
      lods: LaneLod[];
      files: FileReport[];
      notes: DatasetNote[];
      stats: LiveStats;
    }
  | { type: "snapshot"; text: string; entries: number }
  | { type: "fetch"; id: number; endpoint: LiveEndpoint }
  | { type: "error"; message: string };
