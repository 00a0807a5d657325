import {
  memo,
  useCallback,
  type ComponentProps,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { create } from "zustand";
import { useShallow } from "zustand/react/shallow";
import { currentClock, currentData, tileCache, type CurrentData } from "../app/current";
import { recordPaint } from "../app/perf";
import { useApp, type AppState } from "../app/store";
import { activePalette } from "../app/theme";
import { axisContext } from "../view/axis";
import { shownLanes } from "../view/filter";
import { buildRows, visibleRows, type Row } from "../view/layout";
import { panView, TimeScale, zoomView } from "../view/timeScale";
import { drawAxisRange, drawAxisTicks } from "./axisDraw";
import { drawTimeline } from "./draw";
import { frames } from "./frames";
import { LaneHeader } from "./LaneHeader";
import { Overview } from "./Overview";
import type { Overlays } from "./overlays";
import { hitTest, Tooltip, type Hit } from "./Tooltip";

export const HEADER_WIDTH = 240;
const AXIS_HEIGHT = 28;

/** What is under the pointer: its own tiny store, so hovering re-renders the tooltip only. */
const useHover = create<{ hit: Hit | null }>(() => ({ hit: null }));

/** What React laid out, for the painter to read at frame time. */
interface Layout {
  rows: Row[];
  allRows: Row[];
  scrollTop: number;
  size: { width: number; height: number };
  data: CurrentData;
}

function plotWidthOf(size: { width: number }): number {
  return Math.max(size.width - HEADER_WIDTH, 50);
}

/** The time scale of the lanes' canvas now (events read it at their moment). */
function scaleNow(size: { width: number }): TimeScale {
  return new TimeScale(useApp.getState().view, plotWidthOf(size));
}

function overlaysOf(s: AppState): Overlays {
  return {
    selection: s.selection,
    taskNeedle: s.highlightTask ? JSON.stringify({ taskId: s.highlightTask }).slice(1, -1) : null,
    // Notes are times of the dataset's axis; compared runs are moved, so they are hidden.
    annotations: s.scope.kind === "compare" ? [] : s.annotations,
    range: s.range,
  };
}

export function Timeline() {
  const { selectedLane, dataVersion, shifts } = useApp(
    useShallow((s) => ({ selectedLane: s.selectedLane, dataVersion: s.dataVersion, shifts: s.shifts })),
  );
  const all = useMemo(() => {
    void dataVersion;
    return currentData();
  }, [dataVersion]);
  const filter = useApp((s) => s.filter);
  // The filter hides lanes; everything below sees only the lanes shown.
  const data = useMemo<CurrentData>(() => {
    const lanes = shownLanes(all.lanes, filter);
    return lanes === all.lanes ? all : { ...all, lanes };
  }, [all, filter]);
  const layout = useMemo(
    () =>
      buildRows(
        data.lanes.map((l) => l.data.info),
        data.prefix,
      ),
    [data],
  );
  const bodyRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const axisRef = useRef<HTMLCanvasElement>(null);
  const contextRef = useRef<HTMLSpanElement>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [scrollTop, setScrollTop] = useState(0);
  /** A pan of the lanes, or a range being dragged out (from the axis, or Shift+drag on lanes). */
  const drag = useRef<{
    mode: "pan" | "range";
    x: number;
    start: number;
    end: number;
    moved: boolean;
  } | null>(null);
  const rows = useMemo(
    () => visibleRows(layout.rows, scrollTop, size.height),
    [layout, scrollTop, size.height],
  );
  const laid = useRef<Layout>({ rows, allRows: layout.rows, scrollTop, size, data });

  useEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(
    () =>
      frames.add(() =>
        paint(
          { lanes: canvasRef.current, axis: axisRef.current, context: contextRef.current },
          laid.current,
          useApp.getState(),
        ),
      ),
    [],
  );
  // Tiles of paged lanes arrive after the frame that asked for them: draw again then.
  useEffect(() => {
    const off = tileCache.onArrive(() => frames.schedule());
    return () => void off();
  }, []);
  useLayoutEffect(() => {
    laid.current = { rows, allRows: layout.rows, scrollTop, size, data };
    frames.schedule();
  }, [rows, layout, scrollTop, size, data]);

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

  const hitAt = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const l = laid.current;
    const scale = scaleNow(l.size);
    const h = hitTest(
      l.allRows,
      l.data.lanes,
      scale,
      x,
      e.clientY - rect.top + l.scrollTop,
      useApp.getState().shifts,
    );
    return { x, scale, h };
  };
  const startDrag = (e: React.PointerEvent<HTMLCanvasElement>, mode: "pan" | "range") => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const v = useApp.getState().view;
    drag.current = { mode, x: e.clientX, start: v.start, end: v.end, moved: false };
  };
  /** Extends a range drag to the pointer; true when the event was one. */
  const dragRange = (e: React.PointerEvent<HTMLCanvasElement>): boolean => {
    const d = drag.current;
    if (d?.mode !== "range") return false;
    const rect = e.currentTarget.getBoundingClientRect();
    const scale = scaleNow(laid.current.size);
    const a = scale.toT(d.x - rect.left);
    const b = scale.toT(e.clientX - rect.left);
    if (Math.abs(e.clientX - d.x) > 2) d.moved = true;
    if (d.moved) useApp.getState().setRange({ start: Math.min(a, b), end: Math.max(a, b) });
    return true;
  };
  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) =>
    startDrag(e, e.shiftKey ? "range" : "pan");
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    const s = useApp.getState();
    if (dragRange(e)) return;
    if (d) {
      const dx = e.clientX - d.x;
      if (Math.abs(dx) > 2) d.moved = true;
      const nsPerPx = scaleNow(laid.current.size).nsPerPx;
      s.setView(panView({ start: d.start, end: d.end }, -dx * nsPerPx, s.bounds));
      return;
    }
    const { x, scale, h } = hitAt(e);
    s.setCursor(scale.toT(x));
    useHover.setState({ hit: h });
  };
  // The axis only selects ranges; a click on it (no drag) clears the range.
  const onAxisUp = () => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) useApp.getState().setRange(null);
  };
  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const s = useApp.getState();
      const { x, scale, h } = hitAt(e);
      // A click pins the cursor there and selects what it hit (details in the inspector).
      s.pin(scale.toT(x));
      s.selectLane(h?.laneId ?? null);
      s.select(h?.item ? { laneId: h.laneId, ...h.item } : null);
    }
  };
  // Dragging a lane header shifts it by pixels of the current zoom.
  const nsPerPx = useCallback(() => scaleNow(laid.current.size).nsPerPx, []);

  return (
    <div className="timeline" data-testid="timeline">
      <Overview left={HEADER_WIDTH} />
      <div className="axis-row" style={{ height: AXIS_HEIGHT }}>
        <div className="axis-corner" style={{ width: HEADER_WIDTH }} data-testid="axis-context">
          <span ref={contextRef} />
          <span className="dim">
            {data.lanes.length === all.lanes.length
              ? `${all.lanes.length} lanes`
              : `${data.lanes.length} of ${all.lanes.length} lanes`}
          </span>
        </div>
        <canvas
          ref={axisRef}
          className="axis-canvas"
          data-testid="axis-canvas"
          title="Drag to select a time range; click to clear it"
          onPointerDown={(e) => startDrag(e, "range")}
          onPointerMove={dragRange}
          onPointerUp={onAxisUp}
        />
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
                  <Header
                    info={data.lanes[row.lane].data.info}
                    errorCount={data.lanes[row.lane].errorCount}
                    open={data.lanes[row.lane].open}
                    selected={selectedLane === row.key}
                    shift={shifts[row.key] ?? 0}
                    nsPerPx={nsPerPx}
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
              useHover.setState({ hit: null });
            }}
          />
          <HoverTip />
        </div>
        <div style={{ height: layout.height }} />
      </div>
    </div>
  );
}

/**
 * A lane header that renders again only when its own props change. It is given the lane's
 * identity, not its view: React keeps a component's previous props, and a view of an import's
 * full lanes held that way kept their text after the library save had paged them.
 */
const Header = memo(function Header(props: Omit<ComponentProps<typeof LaneHeader>, "onSelect">) {
  const id = props.info.id;
  const onSelect = useCallback(() => {
    const s = useApp.getState();
    s.selectLane(s.selectedLane === id ? null : id);
  }, [id]);
  return <LaneHeader {...props} onSelect={onSelect} />;
});

function HoverTip() {
  const hit = useHover((s) => s.hit);
  return hit ? <Tooltip hit={hit} left={HEADER_WIDTH} /> : null;
}

interface Canvases {
  lanes: HTMLCanvasElement | null;
  axis: HTMLCanvasElement | null;
  context: HTMLSpanElement | null;
}

function paint(c: Canvases, l: Layout, s: AppState): void {
  const t0 = performance.now();
  const dpr = window.devicePixelRatio || 1;
  const w = plotWidthOf(l.size);
  const scale = new TimeScale(s.view, w);
  const clock = currentClock(s);
  const palette = activePalette();
  if (c.lanes) {
    drawTimeline(prepare(c.lanes, w, l.size.height, dpr), {
      width: w,
      height: l.size.height,
      scale,
      rows: l.rows,
      scrollTop: l.scrollTop,
      lanes: l.data.lanes,
      memMax: l.data.memMax,
      cursor: s.cursor,
      pinned: s.pinned,
      selectedLane: s.selectedLane,
      shifts: s.shifts,
      overlays: overlaysOf(s),
      palette,
    });
  }
  if (c.axis) {
    const ctx = prepare(c.axis, w, AXIS_HEIGHT, dpr);
    drawAxisTicks(ctx, scale, clock, w, AXIS_HEIGHT, palette);
    drawAxisRange(ctx, scale, s.range, w, AXIS_HEIGHT, palette);
  }
  if (c.context) c.context.textContent = axisContext(scale, clock);
  recordPaint(performance.now() - t0, l.data.lanes.length > 0);
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
