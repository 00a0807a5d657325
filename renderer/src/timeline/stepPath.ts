/**
 * Memory curves' step paths, written straight to the context: the same commands d3's
 * area/line with curveStepAfter issue (test/unit/renderer/stepPath.test.ts holds them to
 * it), without a generator and four accessor calls per point. A wide view draws a few
 * thousand corners per curve, three curves a lane, and d3's machinery was most of it.
 */

/** A curve's corners: x, the top and the value under it, and whether it is drawn there. */
export interface StepPoints {
  x: Float64Array;
  top: Float64Array;
  under: Float64Array;
  on: Uint8Array;
}

type PathContext = Pick<CanvasRenderingContext2D, "moveTo" | "lineTo" | "closePath">;

/** Each run of drawn points [from, to) of the first n. */
function runs(p: StepPoints, n: number, each: (from: number, to: number) => void): void {
  for (let i = 0; i < n;) {
    if (p.on[i] !== 1) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && p.on[j] === 1) j++;
    each(i, j);
    i = j;
  }
}

/** The top of a run, stepping after each point (its value holds until the next one's x). */
function topLine(ctx: PathContext, p: StepPoints, from: number, to: number, y: (v: number) => number): void {
  let prev = y(p.top[from]);
  ctx.moveTo(p.x[from], prev);
  for (let k = from + 1; k < to; k++) {
    const next = y(p.top[k]);
    ctx.lineTo(p.x[k], prev);
    ctx.lineTo(p.x[k], next);
    prev = next;
  }
}

/** The filled area between `under` and `top` of every run, as d3's area(curveStepAfter). */
export function stepArea(ctx: PathContext, p: StepPoints, n: number, y: (v: number) => number): void {
  runs(p, n, (from, to) => {
    topLine(ctx, p, from, to, y);
    // The base, back along the run: d3 steps it before each point going backwards.
    ctx.lineTo(p.x[to - 1], y(p.under[to - 1]));
    for (let k = to - 2; k >= from; k--) {
      const v = y(p.under[k]);
      ctx.lineTo(p.x[k + 1], v);
      ctx.lineTo(p.x[k], v);
    }
    ctx.closePath();
  });
}

/** The top line of every run, as d3's line(curveStepAfter) (which closes a run of one point). */
export function stepLine(ctx: PathContext, p: StepPoints, n: number, y: (v: number) => number): void {
  runs(p, n, (from, to) => {
    topLine(ctx, p, from, to, y);
    if (to - from === 1) ctx.closePath();
  });
}
