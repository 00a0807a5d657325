import { describe, expect, it } from "vitest";
import { axisTicks, formatSince, formatTick } from "../../../renderer/src/view/axis";
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

  const wall = { kind: "wall" as const, originSec: origin };

  it("ticks cover the view; the first carries the full time, boundaries say what they cross", () => {
    const ticks = axisTicks(new TimeScale({ start: 0, end: 10e9 }, 1000), wall, 10);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks[0].t).toBeGreaterThanOrEqual(0);
    expect(ticks[ticks.length - 1].t).toBeLessThanOrEqual(10e9);
    const labels = ticks.map((t) => t.label);
    expect(labels[0]).toBe("22:03:51");
    expect(labels).toContain(":53");
    expect(labels).toContain("22:04");
  });

  it("show the date at every day boundary the view spans, and dates when it spans days", () => {
    // 22:00 on Friday 24 April to 02:00 the next day, hourly.
    const night = axisTicks(new TimeScale({ start: -231e9, end: 4 * 3600e9 }, 1000), wall, 6);
    expect(night.filter((t) => t.major).map((t) => t.label)).toEqual(["Sat 25 Apr"]);
    const days = axisTicks(new TimeScale({ start: 0, end: 5 * 86400e9 }, 1000), wall, 6);
    expect(days.map((t) => t.label)).toEqual([
      "Sat 25 Apr",
      "Sun 26 Apr",
      "Mon 27 Apr",
      "Tue 28 Apr",
      "Wed 29 Apr",
    ]);
  });

  it("keep nanosecond ticks exact where d3's millisecond dates stop", () => {
    const ticks = axisTicks(new TimeScale({ start: 508_123_000, end: 508_123_100 }, 1000), wall, 5);
    expect(ticks.map((t) => t.label)).toEqual([
      "51.508123000",
      "51.508123020",
      "51.508123040",
      "51.508123060",
      "51.508123080",
      "51.508123100",
    ]);
  });

  it("label time since the start when asked, at the step's precision", () => {
    const since = { kind: "since" as const, zero: 1e9 };
    const ticks = axisTicks(new TimeScale({ start: 1e9, end: 4e9 }, 1000), since, 6);
    expect(ticks.map((t) => t.label)).toEqual([
      "0",
      "+0.5 s",
      "+1.0 s",
      "+1.5 s",
      "+2.0 s",
      "+2.5 s",
      "+3.0 s",
    ]);
    expect(formatSince(-250e6, 50e6)).toBe("−250 ms");
    expect(formatSince(12_500, 500)).toBe("+12.5 µs");
    expect(formatSince(95e9, 10e9)).toBe("+1 min 35 s");
  });
});
