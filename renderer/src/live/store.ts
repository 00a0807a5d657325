import { create } from "zustand";
import type { PollerState } from "../../../shared/live/poller";
import type { LiveStats } from "./protocol";

export const LIVE_DEFAULTS = { intervalMs: 2000, hangThresholdMs: 30_000 };

export interface LiveLine {
  at: number;
  kind: string;
  line: string;
}

/** The live session as the UI shows it (small state; the lanes live in app/current.ts). */
export interface LiveUi {
  /** A session exists: the status strip is shown. */
  active: boolean;
  label: string | null;
  /** The provisional dataset the session shows. */
  datasetId: string | null;
  startedAt: number | null;
  state: PollerState | null;
  /** Newest last; the worker's session keeps the full list for the snapshot. */
  events: LiveLine[];
  stats: LiveStats | null;
  /** The view slides with the newest data (see view/liveEdge.ts). */
  following: boolean;
  intervalMs: number;
  hangThresholdMs: number;
  /** The user ended the session (Stop): nothing polls any more. */
  ended: boolean;
  /** The library copy, once saved. */
  saved: { id: string; name: string; entries: number } | null;
  /** A problem to show in the strip (a failed save, a refused URL). */
  message: string | null;
  dialogOpen: boolean;
  eventsOpen: boolean;
}

const idle: LiveUi = {
  active: false,
  label: null,
  datasetId: null,
  startedAt: null,
  state: null,
  events: [],
  stats: null,
  following: true,
  ...LIVE_DEFAULTS,
  ended: false,
  saved: null,
  message: null,
  dialogOpen: false,
  eventsOpen: false,
};

export const useLive = create<LiveUi & { set(patch: Partial<LiveUi>): void; reset(): void }>()((set) => ({
  ...idle,
  set: (patch) => set(patch),
  reset: () => set({ ...idle }),
}));
