import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { currentClock, currentData, type CurrentData } from "../app/current";
import { axisContext } from "../view/axis";
import type { AxisClock } from "../view/runs";
import { useApp } from "../app/store";
import { recordPaint } from "../app/perf";
import { drawAxisTicks } from "./axisDraw";
import { drawTimeline } from "./draw";
import { LaneHeader } from "./LaneHeader";
import { Overview } from "./Overview";
import { laneMatches } from "../view/filter";
import { buildRows, visibleRows, type Row } from "../view/layout";
import { RafScheduler } from "./raf";
import { panView, TimeScale, zoomView } from "../view/timeScale";
import { useKeyboardNavigation } from "./useKeyboardNavigation";
import { Tooltip, hitTest, type Hit } from "./Tooltip";
import type { Overlays } from "./overlays";

export const HEADER_WIDTH = 240;
const AXIS_HEIGHT = 28;

export function Timeline() {
  const {
    view,
    bounds,
    cursor,
    selectedLane,
    dataVersion,
    current,
    pinned,
    shifts,
    selection,
    highlightTask,
    annotations,
    scope,
    clockMode,
  } = useApp(
    useShallow((s) => ({
      scope: s.scope,
      clockMode: s.clock,
      pinned: s.pinned,
      shifts: s.shifts,
      selection: s.selection,
      highlightTask: s.highlightTask,
      annotations: s.annotations,
      view: s.view,
      bounds: s.bounds,
      cursor: s.cursor,
      selectedLane: s.selectedLane,
      dataVersion: s.dataVersion,
      current: s.current,
    })),
  );
  const all = useMemo(() => {
    void dataVersion;
    return currentData();
  }, [dataVersion]);
  const filter = useApp((s) => s.filter);
  // The filter hides lanes; everything below sees only the lanes shown.
  const data = useMemo<CurrentData>(
    () => (filter.trim() ? { ...all, lanes: all.lanes.filter((l) => laneMatches(l, filter)) } : all),
    [all, filter],
  );
  const layout = useMemo(
    () =>
      buildRows(
        data.lanes.map((l) => l.data.info),
        data.prefix,
      ),
    [data],
  );
  const clock = useMemo(
    () => currentClock({ scope, clock: clockMode, current }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scope, clockMode, current, dataVersion],
  );
  const bodyRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const axisRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [scrollTop, setScrollTop] = useState(0);
  const [hit, setHit] = useState<Hit | null>(null);
  const drag = useRef<{ x: number; start: number; end: number; moved: boolean } | null>(null);

  const plotWidth = Math.max(size.width - HEADER_WIDTH, 50);
  const scale = useMemo(() => new TimeScale(view, plotWidth), [view, plotWidth]);
  const rows = useMemo(
    () => visibleRows(layout.rows, scrollTop, size.height),
    [layout, scrollTop, size.height],
  );

  useKeyboardNavigation(bounds);

  useEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const overlays = useMemo<Overlays>(
    () => ({
      selection,
      taskNeedle: highlightTask ? JSON.stringify({ taskId: highlightTask }).slice(1, -1) : null,
      // Notes are times of the dataset's axis; compared runs are moved, so they are hidden.
      annotations: scope.kind === "compare" ? [] : annotations,
    }),
    [selection, highlightTask, annotations, scope],
  );
  const canvases = useRef<Canvases>({ lanes: null, axis: null });
  const frame = useRef<PaintInputs | null>(null);
  const scheduler = useRef<RafScheduler | null>(null);
  useEffect(() => {
    const s = new RafScheduler(() => frame.current && paint(canvases.current, frame.current));
    scheduler.current = s;
    return () => s.dispose();
  }, []);
  useLayoutEffect(() => {
    canvases.current = { lanes: canvasRef.current, axis: axisRef.current };
    frame.current = {
      scale,
      rows,
      scrollTop,
      cursor,
      pinned,
      shifts,
      overlays,
      selectedLane,
      size,
      data,
      clock,
    };
    scheduler.current?.schedule();
  });

  // Wheel zooms at the pointer (a trackpad's sideways swipe pans); must be non-passive.
  useEffect(() => {
    const el = canvasRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (e.shiftKey) return; // shift+wheel scrolls the lanes
      e.preventDefault();
      const s = useApp.getState();
      const sc = new TimeScale(s.view, el.clientWidth);
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        s.setView(panView(s.view, e.deltaX * sc.nsPerPx, s.bounds));
        return;
      }
      const rect = el.getBoundingClientRect();
      const anchor = sc.toT(e.clientX - rect.left);
      const factor = Math.pow(1.0015, e.deltaY * (e.deltaMode === 1 ? 16 : 1) * (e.ctrlKey ? 2 : 1));
      s.setView(zoomView(s.view, anchor, factor, s.bounds));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, start: view.start, end: view.end, moved: false };
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const d = drag.current;
    const s = useApp.getState();
    if (d) {
      const dx = e.clientX - d.x;
      if (Math.abs(dx) > 2) d.moved = true;
      s.setView(panView({ start: d.start, end: d.end }, -dx * scale.nsPerPx, s.bounds));
      return;
    }
    s.setCursor(scale.toT(x));
    setHit(hitTest(layout.rows, data.lanes, scale, x, y + scrollTop, s.shifts));
  };
  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const rect = e.currentTarget.getBoundingClientRect();
      const s = useApp.getState();
      const x = e.clientX - rect.left;
      const h = hitTest(layout.rows, data.lanes, scale, x, e.clientY - rect.top + scrollTop, s.shifts);
      // A click pins the cursor there and selects what it hit (details in the inspector).
      s.pin(scale.toT(x));
      s.selectLane(h?.laneId ?? null);
      s.select(h?.item ? { laneId: h.laneId, ...h.item } : null);
    }
  };

  return (
    <div className="timeline" data-testid="timeline">
      <Overview left={HEADER_WIDTH} />
      <div className="axis-row" style={{ height: AXIS_HEIGHT }}>
        <div className="axis-corner" style={{ width: HEADER_WIDTH }} data-testid="axis-context">
          <span>{axisContext(scale, clock)}</span>
          <span className="dim">
            {data.lanes.length === all.lanes.length
              ? `${all.lanes.length} lanes`
              : `${data.lanes.length} of ${all.lanes.length} lanes`}
          </span>
        </div>
        <canvas ref={axisRef} className="axis-canvas" />
      </div>
      <div className="timeline-body" ref={bodyRef} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div className="timeline-sticky" style={{ height: size.height, marginBottom: -size.height }}>
          <div className="lane-headers" style={{ width: HEADER_WIDTH }}>
            {rows.map((row) =>
              row.kind === "group" ? (
                <div
                  key={row.key}
                  className="group-header"
                  style={{ top: row.y - scrollTop, height: row.h }}
                  title={row.label}
                >
                  {row.label} <span className="group-count">{row.count}</span>
                </div>
              ) : (
                <div
                  key={row.key}
                  className="lane-header-slot"
                  style={{ top: row.y - scrollTop, height: row.h }}
                >
                  <LaneHeader
                    lane={data.lanes[row.lane]}
                    selected={selectedLane === row.key}
                    onSelect={() => useApp.getState().selectLane(selectedLane === row.key ? null : row.key)}
                    shift={shifts[row.key] ?? 0}
                    nsPerPx={scale.nsPerPx}
                  />
                </div>
              ),
            )}
          </div>
          <canvas
            ref={canvasRef}
            className="lanes-canvas"
            style={{ left: HEADER_WIDTH }}
            data-testid="lanes-canvas"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerLeave={() => {
              useApp.getState().setCursor(null);
              setHit(null);
            }}
          />
          {hit && <Tooltip hit={hit} left={HEADER_WIDTH} />}
        </div>
        <div style={{ height: layout.height }} />
      </div>
    </div>
  );
}

interface Canvases {
  lanes: HTMLCanvasElement | null;
  axis: HTMLCanvasElement | null;
}

interface PaintInputs {
  scale: TimeScale;
  rows: Row[];
  scrollTop: number;
  cursor: number | null;
  pinned: number | null;
  shifts: Record<string, number>;
  overlays: Overlays;
  selectedLane: string | null;
  size: { width: number; height: number };
  data: CurrentData;
  clock: AxisClock;
}

function paint(c: Canvases, f: PaintInputs): void {
  const t0 = performance.now();
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(f.size.width - HEADER_WIDTH, 50);
  if (c.lanes) {
    drawTimeline(prepare(c.lanes, w, f.size.height, dpr), {
      width: w,
      height: f.size.height,
      scale: f.scale,
      rows: f.rows,
      scrollTop: f.scrollTop,
      lanes: f.data.lanes,
      memMax: f.data.memMax,
      cursor: f.cursor,
      pinned: f.pinned,
      selectedLane: f.selectedLane,
      shifts: f.shifts,
      overlays: f.overlays,
    });
  }
  if (c.axis) drawAxisTicks(prepare(c.axis, w, AXIS_HEIGHT, dpr), f.scale, f.clock, w, AXIS_HEIGHT);
  recordPaint(performance.now() - t0, f.data.lanes.length > 0);
}

function prepare(canvas: HTMLCanvasElement, w: number, h: number, dpr: number): CanvasRenderingContext2D {
  const pw = Math.round(w * dpr);
  const ph = Math.round(h * dpr);
  if (canvas.width !== pw || canvas.height !== ph) {
    canvas.width = pw;
    canvas.height = ph;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
