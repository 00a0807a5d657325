import { pictureOfCurrentLoaded, toPng } from "./export/png";
import { useApp } from "./app/store";
import { axisTicks } from "./view/axis";
import { TimeScale } from "./view/timeScale";
import { currentClock, currentData, tileCache } from "./app/current";
import { paging } from "./db/paging";
import { laneCounts, laneShift, spansAt } from "./view/laneView";
import type { View } from "./view/timeScale";
import { firstPaintAt, fullAt, importMarks, markImportStart, paintTimes } from "./app/perf";
import { useLive } from "./live/store";
import { laneGaps } from "./view/gaps";
import { KEYMAP } from "./app/keymap";
import { PALETTES, type ThemeName } from "./view/theme";

const nextFrame = () => new Promise<void>((ok) => requestAnimationFrame(() => ok()));

/**
 * `window.__rankscope`: a small, stable surface for the benchmark and end-to-end tests to
 * drive the real app (set the view, step frames, read paint times) without poking at React.
 */
export interface TestHooks {
  state(): {
    datasetId: string | null;
    lanes: number;
    items: number;
    view: View;
    bounds: View;
    ingest: string;
  };
  /** The live session: poller status, polls, entries held per runner, gaps, following. */
  live(): {
    status: string | null;
    polls: number;
    perRunner: Record<string, number>;
    gaps: number;
    following: boolean;
    datasetId: string | null;
    ended: boolean;
    buildMs: number | null;
  };
  /** Gap bands each shown lane is drawn with (view/gaps.ts), as durations. */
  laneGaps(): { laneId: string; label: string; gapsNs: number[] }[];
  /** performance.now() of the first paint that drew lanes, or null. */
  firstPaintAt(): number | null;
  /** performance.now() when the full data of the first dataset opened was loaded, or null. */
  fullyLoadedAt(): number | null;
  /** The latest import's marks (performance.now() ms): see `importMarks` in app/perf. */
  importMarks(): typeof importMarks;
  setView(v: View): void;
  /** Shown lanes that are paged (their raw items in tiles), and what the tile cache holds. */
  paging(): { pagedLanes: string[]; tiles: number; heldBytes: number; reads: number };
  /**
   * The spans a shown lane draws in the current view now: the level (-1: raw spans), how
   * many reach into the view, and the names of those.
   */
  drawnSpans(laneId: string): {
    k: number;
    count: number;
    names: string[];
    /** The first 50 of them, on the axis. */
    spans: { name: string; depth: number; start: number; end: number }[];
  } | null;
  /** A shown lane's phases (depth-0 spans, in memory for every lane), on the axis. */
  phases(laneId: string): { name: string; start: number; end: number }[];
  /** The selected range (axis time), or null. */
  range(): View | null;
  /** The open dataset's notes (axis time). */
  notes(): { start: number; end: number; text: string; laneId: string | null }[];
  /** Each shown lane's phase still open at the end of its data, on the axis. */
  openPhases(): { laneId: string; label: string; name: string; start: number; end: number }[];
  /** The keymap's bindings and their keys, as the help overlay must list them. */
  keymap(): { id: string; keys: string[] }[];
  /** Applies each view in its own animation frame and returns the paint time of each (ms). */
  runViews(views: View[]): Promise<number[]>;
  /** The time axis's tick labels as drawn now (the axis is a canvas). */
  axisLabels(): string[];
  /** The annotated picture of the whole run (or `range`), as base64 PNG (`rankscope export --png`). */
  exportPng(o: { width: number; pixelRatio: number; range?: View; theme?: ThemeName }): Promise<string>;
}

export function installTestHooks(): void {
  // `?pageItems=N`: lanes and streams of more than N items are paged, in tiles of 4N, so
  // that tests page a small dataset as the app pages a big one.
  const pageItems = Number(new URLSearchParams(location.search).get("pageItems"));
  if (pageItems > 0)
    Object.assign(paging, {
      laneItems: pageItems,
      residentItems: pageItems,
      spanTileItems: pageItems * 4,
      sampleTileItems: pageItems * 4,
    });
  const hooks: TestHooks = {
    exportPng: async () => "",
    state() {
      const s = useApp.getState();
      let items = 0;
      for (const l of currentData().lanes) {
        const n = laneCounts(l);
        items += n.spans + n.markers + n.samples;
      }
      return {
        datasetId: s.current?.id ?? null,
        lanes: currentData().lanes.length,
        items,
        view: s.view,
        bounds: s.bounds,
        ingest: s.ingest.status,
      };
    },
    live() {
      const l = useLive.getState();
      return {
        status: l.state?.status ?? null,
        polls: l.state?.polls ?? 0,
        perRunner: l.stats?.perRunner ?? {},
        gaps: l.stats?.gaps ?? 0,
        following: l.following,
        datasetId: l.datasetId,
        ended: l.ended,
        buildMs: l.stats?.buildMs ?? null,
      };
    },
    laneGaps: () =>
      currentData().lanes.map((l) => ({
        laneId: l.data.info.id,
        label: l.data.info.label,
        gapsNs: laneGaps(l.data).map((g) => g.end - g.start),
      })),
    firstPaintAt: () => firstPaintAt,
    axisLabels() {
      const s = useApp.getState();
      const canvas = document.querySelector(".axis-canvas") as HTMLCanvasElement | null;
      const w = canvas?.clientWidth ?? 1000;
      return axisTicks(new TimeScale(s.view, w), currentClock(s), Math.max(2, Math.floor(w / 130))).map(
        (t) => t.label,
      );
    },
    fullyLoadedAt: () => fullAt,
    paging: () => ({
      pagedLanes: currentData()
        .lanes.filter((l) => l.paged)
        .map((l) => l.data.info.id),
      tiles: tileCache.size,
      heldBytes: tileCache.heldBytes,
      reads: tileCache.reads,
    }),
    drawnSpans(laneId) {
      const s = useApp.getState();
      const lane = currentData().lanes.find((l) => l.data.info.id === laneId);
      const canvas = document.querySelector("[data-testid=lanes-canvas]") as HTMLCanvasElement | null;
      if (!lane || !canvas) return null;
      const shift = laneShift(lane, s.shifts);
      const view = { start: s.view.start - shift, end: s.view.end - shift };
      const scale = new TimeScale(view, canvas.clientWidth);
      const spans = spansAt(lane, scale.nsPerPx, view);
      const names: string[] = [];
      const shown: { name: string; depth: number; start: number; end: number }[] = [];
      for (let i = 0; i < spans.start.length; i++) {
        if (spans.start[i] > view.end || spans.end[i] < view.start) continue;
        const name = spans.strings[spans.name[i]];
        names.push(name);
        if (shown.length < 50)
          shown.push({
            name,
            depth: spans.depth[i],
            start: spans.start[i] + shift,
            end: spans.end[i] + shift,
          });
      }
      return { k: spans.k, count: names.length, names: [...new Set(names)], spans: shown };
    },
    phases(laneId) {
      const lane = currentData().lanes.find((l) => l.data.info.id === laneId);
      if (!lane) return [];
      const shift = laneShift(lane, useApp.getState().shifts);
      const { spans, strings } = lane.data;
      const out: { name: string; start: number; end: number }[] = [];
      for (let i = 0; i < spans.start.length; i++)
        if (spans.depth[i] === 0)
          out.push({
            name: strings[spans.name[i]],
            start: spans.start[i] + shift,
            end: spans.end[i] + shift,
          });
      return out;
    },
    importMarks: () => ({ ...importMarks }),
    setView: (v) => useApp.getState().setView(v),
    range: () => useApp.getState().range,
    notes: () =>
      useApp
        .getState()
        .annotations.map((a) => ({ start: a.start, end: a.end, text: a.text, laneId: a.laneId })),
    openPhases() {
      const s = useApp.getState();
      return currentData().lanes.flatMap((l) => {
        if (!l.open) return [];
        const shift = laneShift(l, s.shifts);
        return [
          {
            laneId: l.data.info.id,
            label: l.data.info.label,
            name: l.open.name,
            start: l.open.start + shift,
            end: l.open.end + shift,
          },
        ];
      });
    },
    keymap: () => KEYMAP.map((b) => ({ id: b.id, keys: [...b.keys] })),
    async runViews(views) {
      const out: number[] = [];
      for (const v of views) {
        const before = paintTimes.length;
        useApp.getState().setView(v);
        await nextFrame();
        await nextFrame();
        out.push(paintTimes.length > before ? paintTimes[paintTimes.length - 1] : NaN);
      }
      return out;
    },
  };
  hooks.exportPng = async ({ width, pixelRatio, range, theme }) => {
    const s = useApp.getState();
    const palette = theme ? PALETTES[theme] : undefined;
    const canvas = await pictureOfCurrentLoaded(
      s,
      currentData(),
      range ?? s.bounds,
      width,
      pixelRatio,
      palette,
    );
    const bytes = await toPng(canvas);
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000)
      bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  };
  // An import starts when the app says so (a drop, a launch's files, the demo), whatever path
  // it takes to get there: watched from outside the import code, which may change.
  useApp.subscribe((s, prev) => {
    if (s.ingest.status === "running" && prev.ingest.status !== "running") markImportStart();
  });
  (window as unknown as { __rankscope: TestHooks }).__rankscope = hooks;
}
