/** Diagonal stripes as a canvas fill (a rank still in a phase, a gap in the history), made once each. */
const made = new Map<string, CanvasPattern | null>();

export function stripes(
  ctx: CanvasRenderingContext2D,
  o: { size: number; color: string; width: number; rising: boolean },
): CanvasPattern | null {
  const key = `${o.size}|${o.color}|${o.width}|${o.rising}`;
  if (made.has(key)) return made.get(key)!;
  const c = document.createElement("canvas");
  c.width = c.height = o.size;
  const g = c.getContext("2d")!;
  g.strokeStyle = o.color;
  g.lineWidth = o.width;
  g.beginPath();
  g.moveTo(0, o.rising ? o.size : 0);
  g.lineTo(o.size, o.rising ? 0 : o.size);
  g.stroke();
  const pattern = ctx.createPattern(c, "repeat");
  made.set(key, pattern);
  return pattern;
}

/** Forgets the patterns (tests and hot reload). */
export function resetPatterns(): void {
  made.clear();
}
