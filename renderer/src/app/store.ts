import { create } from "zustand";
import type { IngestProgress } from "../../../shared/ingest/pipeline";
import type { FileReport } from "../../../shared/model/types";
import type { DatasetRow } from "../db/db";
import type { View } from "../timeline/timeScale";

export type IngestStatus = "idle" | "running" | "saving" | "done" | "error" | "cancelled";

export interface IngestState {
  status: IngestStatus;
  label: string;
  progress: IngestProgress | null;
  reports: FileReport[];
  message: string | null;
}

interface LibrarySlice {
  datasets: DatasetRow[];
  current: DatasetRow | null;
  /** Bumps whenever the bulk data (outside the store) changes. */
  dataVersion: number;
  setDatasets(d: DatasetRow[]): void;
  setCurrent(d: DatasetRow | null): void;
}

interface IngestSlice {
  ingest: IngestState;
  setIngest(patch: Partial<IngestState>): void;
}

interface ViewSlice {
  view: View;
  bounds: View;
  cursor: number | null;
  selectedLane: string | null;
  sidebar: "files" | "library";
  setView(v: View): void;
  setBounds(b: View): void;
  setCursor(t: number | null): void;
  selectLane(id: string | null): void;
  setSidebar(s: ViewSlice["sidebar"]): void;
}

export type AppState = LibrarySlice & IngestSlice & ViewSlice;

const idleIngest: IngestState = { status: "idle", label: "", progress: null, reports: [], message: null };

/** Small UI state only; lanes and their typed arrays live in data/current.ts. */
export const useApp = create<AppState>()((set) => ({
  datasets: [],
  current: null,
  dataVersion: 0,
  setDatasets: (datasets) => set({ datasets }),
  setCurrent: (current) => set((s) => ({ current, dataVersion: s.dataVersion + 1 })),

  ingest: idleIngest,
  setIngest: (patch) => set((s) => ({ ingest: { ...s.ingest, ...patch } })),

  view: { start: 0, end: 1 },
  bounds: { start: 0, end: 1 },
  cursor: null,
  selectedLane: null,
  sidebar: "files",
  setView: (view) => set({ view }),
  setBounds: (bounds) => set({ bounds }),
  setCursor: (cursor) => set({ cursor }),
  selectLane: (selectedLane) => set({ selectedLane }),
  setSidebar: (sidebar) => set({ sidebar }),
}));
