import { useEffect, useRef } from "react";
import { currentData } from "../app/current";
import { useApp } from "../app/store";
import { activePalette } from "../app/theme";
import { pixelLayer } from "./pixels";
import { spanInks } from "./draw";
import { frames } from "./frames";
import { residentSpansAt } from "../view/laneView";
import { clampView, TimeScale } from "../view/timeScale";

const HEIGHT = 36;

/**
 * The whole run in one strip: every lane's phases squeezed into a row of pixels, with the
 * current window drawn on top. Drag the window to pan; drag elsewhere to select a new one.
 */
export function Overview({ left }: { left: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const backdrop = useRef("");
  const drag = useRef<{ mode: "move" | "select"; x0: number; view0: { start: number; end: number } } | null>(
    null,
  );

  // Drawn by the timeline's frame scheduler, from the store at frame time.
  useEffect(() => {
    const pixels = pixelLayer();
    return frames.add(() => {
      const { view, bounds, dataVersion: version } = useApp.getState();
      const canvas = canvasRef.current;
      if (!canvas) return;
      const w = canvas.clientWidth;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(HEIGHT * dpr);
      }
      const ctx = canvas.getContext("2d")!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const full = new TimeScale(bounds, w);
      const p = activePalette();
      const key = `${p.name}:${version}:${w}:${dpr}:${bounds.start}:${bounds.end}`;
      ctx.fillStyle = p.overviewBg;
      ctx.fillRect(0, 0, w, HEIGHT);
      // The lanes' phases, one row each (a fraction of a pixel when there are many: each
      // gets at least one device row, the later over the earlier), drawn anew only when they
      // change; the view's frame moves over the same pixels.
      if (backdrop.current !== key || !pixels.redraw) {
        pixels.begin(ctx, w, HEIGHT);
        const lanes = currentData().lanes;
        const rowH = HEIGHT / Math.max(lanes.length, 1);
        // Each lane's top on a device row, so that rounding never pushes the last one out.
        const topOf = (li: number) => Math.floor(li * rowH * dpr) / dpr;
        lanes.forEach((lane, li) => {
          const spans = residentSpansAt(lane, full.nsPerPx);
          const b = lane.base;
          const inkOf = spanInks(pixels, spans.strings, p);
          for (let i = 0; i < spans.start.length; i++) {
            if (spans.depth[i]) continue;
            pixels.band(
              full.toX(spans.start[i] + b),
              full.toX(spans.end[i] + b),
              topOf(li),
              rowH > 3 ? rowH - 1 : topOf(li + 1) - topOf(li),
              inkOf(spans.name[i]),
            );
          }
        });
        pixels.end(ctx, w, HEIGHT);
        backdrop.current = key;
      } else pixels.redraw(ctx, w, HEIGHT);
      const x0 = full.toX(view.start);
      const x1 = full.toX(view.end);
      ctx.fillStyle = p.overviewShade;
      ctx.fillRect(0, 0, Math.max(x0, 0), HEIGHT);
      ctx.fillRect(x1, 0, w - x1, HEIGHT);
      ctx.strokeStyle = p.accent;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(Math.max(x0, 0.75), 0.75, Math.max(Math.min(x1, w) - Math.max(x0, 0), 2), HEIGHT - 1.5);
    });
  }, []);

  const toT = (clientX: number) => {
    const c = canvasRef.current!;
    const r = c.getBoundingClientRect();
    return new TimeScale(useApp.getState().bounds, r.width).toT(clientX - r.left);
  };
  return (
    <div className="overview" style={{ paddingLeft: left }}>
      <canvas
        ref={canvasRef}
        data-testid="overview"
        style={{ width: "100%", height: HEIGHT }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const t = toT(e.clientX);
          const v = useApp.getState().view;
          drag.current = { mode: t >= v.start && t <= v.end ? "move" : "select", x0: e.clientX, view0: v };
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const s = useApp.getState();
          const t0 = toT(d.x0);
          const t = toT(e.clientX);
          if (d.mode === "move")
            s.setView(clampView({ start: d.view0.start + t - t0, end: d.view0.end + t - t0 }, s.bounds));
          else if (Math.abs(e.clientX - d.x0) > 3)
            s.setView(clampView({ start: Math.min(t0, t), end: Math.max(t0, t) }, s.bounds));
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (d?.mode === "select" && Math.abs(e.clientX - d.x0) <= 3) {
            // A click centres the window there.
            const s = useApp.getState();
            const t = toT(e.clientX);
            const w = s.view.end - s.view.start;
            s.setView(clampView({ start: t - w / 2, end: t + w / 2 }, s.bounds));
          }
        }}
      />
    </div>
  );
}
