import { laneExtent } from "./dataset";
import { formatDuration, formatNs } from "./time";
import type { Diagnostic, FormatId, LaneData, Model, SourceFamily } from "./types";

/** The `rankscope inspect --json` document (DESIGN.md contract). */
export interface InspectReport {
  files: { path: string; format: FormatId; records: number; errors: Diagnostic[]; warnings: string[] }[];
  lanes: {
    id: string;
    label: string;
    group: string;
    source: string;
    node: string | null;
    /** The node's friendly name or hostname, when a file gave one. */
    nodeName: string | null;
    rank: number | null;
    worldSize: number | null;
    spans: number;
    openSpans: number;
    markers: number;
    phases: string[];
    counters: Record<string, { samples: number; min: number; max: number }>;
    startNs: string | null;
    endNs: string | null;
  }[];
  runs: { id: string; label: string; lanes: string[]; startNs: string; endNs: string }[];
  notes: { kind: string; message: string }[];
  startNs: string | null;
  endNs: string | null;
}

/**
 * Sources whose nested spans are phases too: a stormlog `phase_scope` inside another
 * ("train / forward") is a phase of its own. Elsewhere a nested span is a step inside a
 * phase (Skulk's generator steps, a trace's callees), and only outermost spans are phases.
 */
const NESTED_PHASES = new Set<SourceFamily>(["stormlog"]);

/** A lane's phase names, in order of first appearance. */
export function lanePhases(lane: LaneData): string[] {
  const phases: string[] = [];
  const seen = new Set<number>();
  const nested = NESTED_PHASES.has(lane.info.source);
  for (let i = 0; i < lane.spans.name.length; i++) {
    const n = lane.spans.name[i];
    if ((nested || lane.spans.depth[i] === 0) && !seen.has(n)) {
      seen.add(n);
      phases.push(lane.strings[n]);
    }
  }
  return phases;
}

function ns(originSec: number, offset: number): string {
  return (BigInt(originSec) * 1_000_000_000n + BigInt(Math.round(offset))).toString();
}

export function inspectReport(model: Model): InspectReport {
  const runs = model.runs.map((r) => ({
    id: r.id,
    label: r.label,
    lanes: r.lanes,
    startNs: ns(r.originSec, r.start),
    endNs: ns(r.originSec, r.end),
  }));
  const byTime = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  const starts = runs.map((r) => r.startNs).sort(byTime);
  const ends = runs.map((r) => r.endNs).sort(byTime);
  return {
    files: model.files.map((f) => ({
      path: f.path,
      format: f.format,
      records: f.records,
      errors: f.errors,
      warnings: f.warnings,
    })),
    lanes: model.lanes.map((lane) => {
      let open = 0;
      for (let i = 0; i < lane.spans.flags.length; i++) if (lane.spans.flags[i] & 1) open++;
      const counters: InspectReport["lanes"][number]["counters"] = {};
      for (const c of lane.counters) {
        let min = Infinity;
        let max = -Infinity;
        for (const v of c.v) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        counters[c.name] = { samples: c.v.length, min, max };
      }
      const e = laneExtent(lane);
      return {
        id: lane.info.id,
        label: lane.info.label,
        group: lane.info.group,
        source: lane.info.source,
        node: lane.info.node ?? null,
        nodeName: lane.info.nodeName ?? null,
        rank: lane.info.rank ?? null,
        worldSize: lane.info.worldSize ?? null,
        spans: lane.spans.start.length,
        openSpans: open,
        markers: lane.markers.t.length,
        phases: lanePhases(lane),
        counters,
        startNs: e ? ns(lane.originSec, e[0]) : null,
        endNs: e ? ns(lane.originSec, Math.max(e[1], lane.end)) : null,
      };
    }),
    runs,
    notes: model.notes.map((n) => ({ kind: n.kind, message: n.message })),
    startNs: starts[0] ?? null,
    endNs: ends[ends.length - 1] ?? null,
  };
}

/** The human form of the same report. */
export function formatInspect(r: InspectReport): string {
  const out: string[] = [];
  out.push(`${r.files.length} input(s), ${r.lanes.length} lane(s), ${r.runs.length} run(s)`);
  for (const f of r.files) {
    out.push(`  ${f.format.padEnd(24)} ${String(f.records).padStart(8)} records  ${f.path}`);
    for (const e of f.errors) out.push(`      error${e.line ? ` (line ${e.line})` : ""}: ${e.message}`);
    for (const w of f.warnings) out.push(`      warning: ${w}`);
  }
  for (const n of r.notes) out.push(`  note: ${n.message}`);
  out.push("runs:");
  for (const run of r.runs) {
    const start = BigInt(run.startNs);
    const span = formatDuration(Number(BigInt(run.endNs) - start));
    out.push(
      `  ${formatNs(start).slice(0, 19).replace("T", " ")} UTC  ${span.padEnd(12)} ${run.lanes.length} lane(s)  ${run.label}`,
    );
  }
  let group = "";
  for (const l of r.lanes) {
    if (l.group !== group) {
      group = l.group;
      out.push(`${group}`);
    }
    const rank = l.rank !== null ? ` rank ${l.rank}${l.worldSize !== null ? `/${l.worldSize}` : ""}` : "";
    const counters = Object.keys(l.counters).join(", ");
    const shown = l.phases.slice(0, 12).join(", ");
    const phases = l.phases.length > 12 ? `${shown}, … (${l.phases.length} in all)` : shown;
    out.push(
      `  ${l.label}${rank}: ${l.spans} spans${l.openSpans ? ` (${l.openSpans} open)` : ""}, ${l.markers} markers${phases ? `, phases ${phases}` : ""}${counters ? `, counters ${counters}` : ""}`,
    );
  }
  return out.join("\n");
}
