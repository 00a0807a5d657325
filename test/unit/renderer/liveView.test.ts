import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../../shared/model/builder";
import { TimeBase } from "../../../shared/model/time";
import { MarkerKind } from "../../../shared/model/types";
import { gapBands, laneGaps } from "../../../renderer/src/view/gaps";
import {
  LIVE_AIR,
  LIVE_WINDOW_NS,
  liveEdgeInView,
  liveEdgeView,
  stillFollowing,
} from "../../../renderer/src/view/liveEdge";
import { TimeScale } from "../../../renderer/src/view/timeScale";

describe("following the live edge", () => {
  it("keeps the view's width and puts the newest data at its right edge", () => {
    // 20 s wide, the data has grown from 60 s to 64 s.
    const v = liveEdgeView({ start: 40e9, end: 60e9 }, { start: 0, end: 64e9 });
    expect(v.end - v.start).toBeCloseTo(20e9, 0);
    expect(v.end).toBeCloseTo(64e9 + 20e9 * LIVE_AIR, 0);
    expect(liveEdgeInView(v, { start: 0, end: 64e9 })).toBe(true);
  });

  it("grows with the history while the view shows all of it, up to five minutes", () => {
    // The view was fitted to 0..10 s; the data now runs to 14 s.
    const fitted = { start: -0.1e9, end: 10.2e9 };
    expect(liveEdgeView(fitted, { start: 0, end: 14e9 }, { start: 0, end: 10e9 })).toEqual({
      start: -0.14e9,
      end: 14.28e9,
    });
    // Past LIVE_WINDOW_NS it slides at the width it had.
    const wide = { start: -3e9, end: 297e9 };
    const next = liveEdgeView(
      wide,
      { start: 0, end: LIVE_WINDOW_NS + 4e9 },
      { start: 0, end: LIVE_WINDOW_NS },
    );
    expect(next.end - next.start).toBeCloseTo(300e9, 0);
    expect(next.end).toBeCloseTo(LIVE_WINDOW_NS + 4e9 + 300e9 * LIVE_AIR, 0);
    // A view zoomed into the data keeps its width even while the history is short.
    const zoomed = liveEdgeView({ start: 6e9, end: 8e9 }, { start: 0, end: 14e9 }, { start: 0, end: 10e9 });
    expect(zoomed.end - zoomed.start).toBeCloseTo(2e9, 0);
  });

  it("stops following once the view is not the one it set", () => {
    const set = { start: 44e9, end: 64.6e9 };
    expect(stillFollowing({ ...set }, set)).toBe(true);
    expect(stillFollowing({ start: 40e9, end: 60.6e9 }, set)).toBe(false); // panned
    expect(stillFollowing({ start: 44e9, end: 54e9 }, set)).toBe(false); // zoomed
    expect(stillFollowing(set, null)).toBe(false);
    expect(liveEdgeInView({ start: 10e9, end: 30e9 }, { start: 0, end: 64e9 })).toBe(false);
  });
});

function laneWithGaps(gaps: { t: number; durationNs: unknown }[]) {
  const b = new ModelBuilder();
  const time = new TimeBase(1_777_000_000);
  const lane = b.lane({ id: "l", label: "l", source: "skulk", group: "g" }, time);
  lane.marker({ t: 1e9, name: "runner_ready", kind: MarkerKind.Info });
  for (const g of gaps)
    lane.marker({ t: g.t, name: "history gap", kind: MarkerKind.Gap, args: { durationNs: g.durationNs } });
  return b.build()[0];
}

describe("gap bands", () => {
  it("come from the lane's gap markers, lasting their durationNs", () => {
    const lane = laneWithGaps([
      { t: 20e9, durationNs: 4_500_125_000 },
      { t: 5e9, durationNs: 250_000_000 },
    ]);
    expect(laneGaps(lane).map((g) => [g.start, g.end])).toEqual([
      [5e9, 5.25e9],
      [20e9, 24.500125e9],
    ]);
  });

  it("sit where the gap is on screen, with its length, at least 3 px wide, and only in view", () => {
    const lane = laneWithGaps([
      { t: 5e9, durationNs: 1e6 },
      { t: 20e9, durationNs: 4.5e9 },
      { t: 90e9, durationNs: 1e9 },
    ]);
    // 0..50 s over 1000 px: 50 ms per px.
    const scale = new TimeScale({ start: 0, end: 50e9 }, 1000);
    const [short, long, ...rest] = gapBands(laneGaps(lane), scale, 1000);
    // 5 s + 1 ms: 100.02 px; drawn 3 px wide around its middle.
    expect([short.x0, short.x1, short.label]).toEqual([
      expect.closeTo(98.51, 9),
      expect.closeTo(101.51, 9),
      "gap 1.00 ms",
    ]);
    expect(long).toEqual({ x0: 400, x1: 490, label: "gap 4.50 s" });
    expect(rest).toEqual([]);
    // A gap that began before the view still covers its left part.
    const later = new TimeScale({ start: 22e9, end: 32e9 }, 1000);
    expect(gapBands(laneGaps(lane), later, 1000)).toEqual([{ x0: 0, x1: 250, label: "gap 4.50 s" }]);
  });

  it("ignore a gap marker without a usable length", () => {
    const lane = laneWithGaps([{ t: 5e9, durationNs: "soon" }]);
    expect(laneGaps(lane).map((g) => [g.start, g.end])).toEqual([[5e9, 5e9]]);
  });
});
