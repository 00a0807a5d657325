import { area, curveStepAfter, line } from "d3";
import { describe, expect, it } from "vitest";
import { stepArea, stepLine, type StepPoints } from "../../../renderer/src/timeline/stepPath";

/** A context that records the path commands it is given. */
function recorder() {
  const calls: string[] = [];
  const rec =
    (name: string) =>
    (...a: number[]) =>
      calls.push(`${name}(${a.join(",")})`);
  return { calls, ctx: { moveTo: rec("M"), lineTo: rec("L"), closePath: rec("Z") } };
}

/** Corners as drawSeries makes them: steps, gaps (off), runs of one point. */
function corners(seed: number, n: number): StepPoints {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const p = {
    x: new Float64Array(n),
    top: new Float64Array(n),
    under: new Float64Array(n),
    on: new Uint8Array(n),
  };
  let x = 0;
  for (let i = 0; i < n; i++) {
    x += 1 + Math.floor(rnd() * 5);
    p.x[i] = x;
    p.under[i] = Math.floor(rnd() * 50);
    p.top[i] = p.under[i] + Math.floor(rnd() * 100);
    p.on[i] = rnd() < 0.15 ? 0 : 1;
  }
  return p;
}

const y = (v: number) => 40 - v * 0.25;

describe("memory curves' step paths", () => {
  for (const seed of [1, 7, 42, 1234]) {
    it(`issue exactly d3's commands for its area and line (corners ${seed})`, () => {
      const p = corners(seed, 300);
      const n = 297; // not the whole buffer, as drawSeries passes it
      const index = Array.from({ length: n }, (_, i) => i);
      const d3Area = recorder();
      area<number>()
        .x((i) => p.x[i])
        .y0((i) => y(p.under[i]))
        .y1((i) => y(p.top[i]))
        .defined((i) => p.on[i] === 1)
        .curve(curveStepAfter)
        .context(d3Area.ctx as unknown as CanvasRenderingContext2D)(index);
      const mine = recorder();
      stepArea(mine.ctx, p, n, y);
      expect(mine.calls).toEqual(d3Area.calls);

      const d3Line = recorder();
      line<number>()
        .x((i) => p.x[i])
        .y((i) => y(p.top[i]))
        .defined((i) => p.on[i] === 1)
        .curve(curveStepAfter)
        .context(d3Line.ctx as unknown as CanvasRenderingContext2D)(index);
      const mineLine = recorder();
      stepLine(mineLine.ctx, p, n, y);
      expect(mineLine.calls).toEqual(d3Line.calls);
      expect(mine.calls.length).toBeGreaterThan(300);
    });
  }
});
