import type { LaneView } from "./laneView";

/** One rank's total time in one phase in run A and in run B. */
export interface PhaseDiff {
  rank: string;
  phase: string;
  a: number;
  b: number;
  /** b − a: positive when run B spent longer. */
  diff: number;
}

function rankKey(v: LaneView): string {
  const { rank, label } = v.data.info;
  return rank != null ? `rank ${rank}` : label;
}

/** Per rank (all its lanes), the total time in each phase (outermost spans). */
export function phaseTotals(views: LaneView[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const v of views) {
    const key = rankKey(v);
    let phases = out.get(key);
    if (!phases) out.set(key, (phases = new Map()));
    const { spans, strings } = v.data;
    for (let i = 0; i < spans.start.length; i++) {
      if (spans.depth[i] !== 0) continue;
      const name = strings[spans.name[i]];
      phases.set(name, (phases.get(name) ?? 0) + spans.end[i] - spans.start[i]);
    }
  }
  return out;
}

/**
 * The per-phase time difference per rank between two runs, biggest first. A rank or phase
 * seen in one run only counts zero in the other.
 */
export function comparePhases(a: LaneView[], b: LaneView[]): PhaseDiff[] {
  const ta = phaseTotals(a);
  const tb = phaseTotals(b);
  const out: PhaseDiff[] = [];
  for (const rank of new Set([...ta.keys(), ...tb.keys()])) {
    const pa = ta.get(rank) ?? new Map<string, number>();
    const pb = tb.get(rank) ?? new Map<string, number>();
    for (const phase of new Set([...pa.keys(), ...pb.keys()])) {
      const x = pa.get(phase) ?? 0;
      const y = pb.get(phase) ?? 0;
      out.push({ rank, phase, a: x, b: y, diff: y - x });
    }
  }
  const num = (r: string) => Number(/^rank (\d+)$/.exec(r)?.[1] ?? NaN);
  return out.sort(
    (p, q) =>
      Math.abs(q.diff) - Math.abs(p.diff) || num(p.rank) - num(q.rank) || p.phase.localeCompare(q.phase),
  );
}

/** Names a comparison can be aligned on: phases and events both runs hold, in run A's order. */
export function alignableNames(a: LaneView[], b: LaneView[]): string[] {
  const names = (views: LaneView[]) => {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const v of views) {
      const { spans, markers, strings } = v.data;
      const add = (id: number) => {
        const n = strings[id];
        if (n && !seen.has(n)) {
          seen.add(n);
          out.push(n);
        }
      };
      for (let i = 0; i < spans.start.length; i++) if (spans.depth[i] === 0) add(spans.name[i]);
      for (let i = 0; i < markers.t.length; i++) add(markers.name[i]);
    }
    return out;
  };
  const inB = new Set(names(b));
  return names(a).filter((n) => inB.has(n));
}
