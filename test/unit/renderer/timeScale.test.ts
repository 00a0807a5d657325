import { describe, expect, it } from "vitest";
import { axisTicks, formatTick } from "../../../renderer/src/view/axis";
import {
  clampView,
  fitView,
  MIN_SPAN_NS,
  panView,
  TimeScale,
  zoomView,
} from "../../../renderer/src/view/timeScale";

const bounds = { start: 0, end: 60e9 };

describe("time scale", () => {
  it("maps time to pixels and back", () => {
    const s = new TimeScale({ start: 10e9, end: 20e9 }, 1000, 50);
    expect(s.toX(10e9)).toBe(50);
    expect(s.toX(15e9)).toBe(550);
    expect(s.toT(550)).toBe(15e9);
    expect(s.nsPerPx).toBe(1e7);
  });

  it("zooming keeps the anchor under the same pixel", () => {
    const v = { start: 10e9, end: 20e9 };
    const before = new TimeScale(v, 1000);
    const anchor = before.toT(300);
    const z = zoomView(v, anchor, 0.5, bounds);
    expect(z.end - z.start).toBeCloseTo(5e9, 3);
    expect(new TimeScale(z, 1000).toX(anchor)).toBeCloseTo(300, 6);
  });

  it("never zooms below 100 ns nor beyond the data with its margin", () => {
    const tiny = zoomView({ start: 1e9, end: 1e9 + 1000 }, 1e9 + 500, 1e-6, bounds);
    expect(tiny.end - tiny.start).toBeCloseTo(MIN_SPAN_NS, 6);
    const huge = zoomView({ start: 0, end: 60e9 }, 30e9, 100, bounds);
    expect(huge.start).toBeGreaterThanOrEqual(-3e9 - 1);
    expect(huge.end).toBeLessThanOrEqual(63e9 + 1);
  });

  it("panning stops at the edge of the data without changing the zoom", () => {
    const v = panView({ start: 50e9, end: 60e9 }, 100e9, bounds);
    expect(v.end - v.start).toBeCloseTo(10e9, 3);
    expect(v.end).toBeCloseTo(63e9, 3);
    expect(clampView({ start: -100e9, end: -90e9 }, bounds).start).toBeCloseTo(-3e9, 3);
    const fit = fitView(bounds);
    expect(fit.start).toBeLessThan(0);
    expect(fit.end).toBeGreaterThan(60e9);
  });
});

describe("axis labels", () => {
  // 2026-04-24T22:03:51Z
  const origin = Date.UTC(2026, 3, 24, 22, 3, 51) / 1000;

  it("show wall-clock time at the precision the tick step needs", () => {
    expect(formatTick(origin, 0, 10e9)).toBe("22:03:51");
    expect(formatTick(origin, 508e6, 100e6)).toBe("22:03:51.508");
    expect(formatTick(origin, 508_123_000, 10_000)).toBe("51.508123");
    expect(formatTick(origin, 508_123_456, 100)).toBe("51.508123456");
  });

  it("ticks cover the view and are labelled", () => {
    const ticks = axisTicks(new TimeScale({ start: 0, end: 10e9 }, 1000), origin, 10);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks[0].t).toBeGreaterThanOrEqual(0);
    expect(ticks[ticks.length - 1].t).toBeLessThanOrEqual(10e9);
    expect(ticks.map((t) => t.label)).toContain("22:03:53");
  });
});
