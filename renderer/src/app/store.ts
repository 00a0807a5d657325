import { create } from "zustand";
import type { IngestProgress } from "../../../shared/ingest/pipeline";
import type { FileReport } from "../../../shared/model/types";
import type { AnnotationRow, DatasetRow } from "../db/db";
import type { RunScope } from "../view/runs";
import type { View } from "../view/timeScale";
import type { SpanRecord } from "../view/queries";

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

/**
 * What the user clicked: a span or marker of a lane, by index into the lane's columns. Of a
 * paged lane (whose spans come and go with tiles) a span is kept by its fields instead, and a
 * memory sample by its instant.
 */
export interface Selection {
  laneId: string;
  kind: "span" | "marker" | "counter";
  index: number;
  span?: SpanRecord;
  t?: number;
}

interface ViewSlice {
  view: View;
  bounds: View;
  /** Every run, one run, or two runs compared (see view/runs.ts). */
  scope: RunScope;
  /** Axis labels: wall-clock instants, or time since the shown run started. */
  clock: "wall" | "since";
  setScopeState(scope: RunScope, bounds: View): void;
  setClock(clock: ViewSlice["clock"]): void;
  cursor: number | null;
  selectedLane: string | null;
  sidebar: "runs" | "files" | "library";
  /** A clicked instant the readout stays on, or null to follow the pointer. */
  pinned: number | null;
  selection: Selection | null;
  /** A task id lit on every rank. */
  highlightTask: string | null;
  /** Per-lane time shifts in ns (clock alignment, manual offsets), with an undo history. */
  shifts: Record<string, number>;
  shiftHistory: { shifts: Record<string, number>; label: string }[];
  inspector: "readout" | "details" | "range" | "stragglers" | "clocks" | "notes" | "compare";
  /** A time range the user dragged out on the axis (axis times), or null. */
  range: View | null;
  setRange(r: View | null): void;
  /** The modal on top of everything, if any. */
  overlay: "export" | "help" | null;
  setOverlay(o: ViewSlice["overlay"]): void;
  /** Lane filter text (see timeline/filter.ts). */
  filter: string;
  setFilter(f: string): void;
  /** The open dataset's annotations (small: kept in the store). */
  annotations: AnnotationRow[];
  setAnnotations(a: AnnotationRow[]): void;
  setView(v: View): void;
  setBounds(b: View): void;
  setCursor(t: number | null): void;
  selectLane(id: string | null): void;
  setSidebar(s: ViewSlice["sidebar"]): void;
  pin(t: number | null): void;
  select(sel: Selection | null): void;
  setHighlightTask(id: string | null): void;
  /** Replaces the shifts, remembering the old ones for undo. */
  applyShifts(next: Record<string, number>, label: string): void;
  undoShifts(): string | null;
  setInspector(tab: ViewSlice["inspector"]): void;
}

export type AppState = LibrarySlice & IngestSlice & ViewSlice;

const idleIngest: IngestState = { status: "idle", label: "", progress: null, reports: [], message: null };

/** Small UI state only; lanes and their typed arrays live in data/current.ts. */
export const useApp = create<AppState>()((set) => ({
  datasets: [],
  current: null,
  dataVersion: 0,
  setDatasets: (datasets) => set({ datasets }),
  setCurrent: (current) =>
    set((s) => ({
      current,
      dataVersion: s.dataVersion + 1,
      ...(current?.id !== s.current?.id
        ? {
            shifts: {},
            shiftHistory: [],
            selection: null,
            pinned: null,
            highlightTask: null,
            range: null,
            scope: { kind: "all" } as RunScope,
          }
        : {}),
    })),

  ingest: idleIngest,
  setIngest: (patch) => set((s) => ({ ingest: { ...s.ingest, ...patch } })),

  view: { start: 0, end: 1 },
  bounds: { start: 0, end: 1 },
  scope: { kind: "all" },
  clock: "wall",
  setScopeState: (scope, bounds) =>
    set((s) => ({ scope, bounds, range: null, dataVersion: s.dataVersion + 1 })),
  setClock: (clock) => set({ clock }),
  cursor: null,
  selectedLane: null,
  sidebar: "files",
  setView: (view) => set({ view }),
  setBounds: (bounds) => set({ bounds }),
  setCursor: (cursor) => set({ cursor }),
  selectLane: (selectedLane) => set({ selectedLane }),
  setSidebar: (sidebar) => set({ sidebar }),
  pinned: null,
  selection: null,
  highlightTask: null,
  shifts: {},
  shiftHistory: [],
  inspector: "readout",
  range: null,
  setRange: (range) =>
    set((s) => ({
      range,
      // A new range shows its summary; clearing it leaves the summary for the readout.
      inspector: range ? "range" : s.inspector === "range" ? "readout" : s.inspector,
    })),
  overlay: null,
  setOverlay: (overlay) => set({ overlay }),
  filter: "",
  setFilter: (filter) => set({ filter }),
  annotations: [],
  setAnnotations: (annotations) => set({ annotations }),
  pin: (pinned) => set({ pinned }),
  select: (selection) => set(selection ? { selection, inspector: "details" } : { selection }),
  setHighlightTask: (highlightTask) => set({ highlightTask }),
  applyShifts: (next, label) =>
    set((s) => ({ shifts: next, shiftHistory: [...s.shiftHistory.slice(-49), { shifts: s.shifts, label }] })),
  undoShifts: () => {
    let label: string | null = null;
    set((s) => {
      const last = s.shiftHistory[s.shiftHistory.length - 1];
      if (!last) return {};
      label = last.label;
      return { shifts: last.shifts, shiftHistory: s.shiftHistory.slice(0, -1) };
    });
    return label;
  },
  setInspector: (inspector) => set({ inspector }),
}));
