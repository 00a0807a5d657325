/**
 * Clock offsets between nodes, estimated from the data alone.
 *
 * Skulk nodes stamp entries with their own wall clocks and nothing corrects the skew
 * (FORMATS.md §1), so a rank on a node that runs 35 ms ahead seems to leave every barrier
 * 35 ms after its peers. A barrier releases every rank of an instance at one real instant,
 * so each barrier all nodes passed is one observation of how far their clocks disagree.
 *
 * Why the median of exit differences, and not NTP's minimum-delay filter: a rank logs its
 * exit a little after the release (delay d ≥ 0), so node N's exit minus the reference's is
 * offset + d_N − d_R. NTP's trick works because a round trip bounds the delay from one side;
 * here the difference of two one-sided delays is two-sided, and its minimum is the offset
 * minus the reference's worst delay: biased, and by the noisiest sample. Taking the earliest
 * exit per node per barrier keeps both delays small, and the median of the differences is
 * unbiased when the nodes' delays are alike and ignores a rank descheduled after a release.
 *
 * The one-sided argument is still useful where it holds exactly: no rank can leave a barrier
 * before every rank has entered it. So for nodes N and M, N's exit minus M's enter bounds
 * offset(N) − offset(M) from above and M's exit minus N's enter from below, like NTP's
 * send/receive pairs. The tightest pairs over all barriers give hard bounds; the median is
 * clamped into them, and bounds that cross mean the offset is not constant (drift) or the
 * "barrier" is not one.
 */
import { nodeLabels } from "../model/nodeNames";
import type { LaneData } from "../model/types";
import { barrierOccurrences, mad, median } from "./barriers";

export type Confidence = "high" | "medium" | "low" | "none";

export interface NodeOffset {
  node: string;
  /** How the node is shown (friendly name, or a short id that tells it apart): see nodeNames. */
  label: string;
  /** This node's clock minus the reference's: +35e6 means it reads 35 ms ahead. */
  offsetNs: number;
  /** Barriers the estimate rests on (the fewest along a chain). */
  observations: number;
  /** Median absolute deviation of the observations, summed along a chain. */
  spreadNs: number;
  /** Hard limits on the offset from barrier causality; null when no enters were seen. */
  boundsNs: [number, number] | null;
  confidence: Confidence;
  /** Nodes the estimate was chained through, when it shares no barrier with the reference. */
  via: string[];
  /** Why the estimate is what it is, for the user. */
  reason: string;
}

export interface ClockEstimate {
  reference: string | null;
  nodes: NodeOffset[];
  /** Shift to add to a lane's times to put it on the reference clock (−offset). */
  perLane: Map<string, number>;
}

export interface ClockOptions {
  /** Express offsets against this node instead of the one picked from the data. */
  reference?: string;
}

/** What the barriers say about offset(a) − offset(b). */
interface Edge {
  observations: number[];
  lo: number;
  hi: number;
}

interface Estimate {
  offset: number;
  observations: number;
  spread: number;
  bounds: [number, number] | null;
  consistent: boolean;
}

const HIGH_SPREAD_NS = 1e6;
const MEDIUM_SPREAD_NS = 10e6;

/** Rank 0's node is what users read the timeline against; else the busiest node. */
function pickReference(lanes: LaneData[], nodes: string[]): string | null {
  const score = new Map<string, [number, number]>(nodes.map((n) => [n, [0, 0]]));
  for (const lane of lanes) {
    const s = lane.info.node ? score.get(lane.info.node) : undefined;
    if (!s) continue;
    if (lane.info.rank === 0) s[0]++;
    s[1]++;
  }
  const ordered = [...score].sort(
    ([a, x], [b, y]) => y[0] - x[0] || y[1] - x[1] || a.localeCompare(b, undefined, { numeric: true }),
  );
  return ordered.length ? ordered[0][0] : null;
}

/** Observations and causality bounds for every pair of nodes that shared a barrier. */
function collectEdges(lanes: LaneData[]): { edges: Map<string, Edge>; withExits: Set<string> } {
  const edges = new Map<string, Edge>();
  const withExits = new Set<string>();
  for (const occ of barrierOccurrences(lanes)) {
    if (!occ.exitsTogether) continue;
    // Per node: its earliest exit (least delayed) and its latest enter (tightest bound).
    const perNode = new Map<string, { exit: number; enter: number }>();
    for (const v of occ.visits) {
      const node = v.lane.info.node;
      if (!node || v.exit === null) continue;
      const p = perNode.get(node) ?? { exit: Infinity, enter: -Infinity };
      p.exit = Math.min(p.exit, v.exit);
      if (v.enter !== null) p.enter = Math.max(p.enter, v.enter);
      perNode.set(node, p);
      withExits.add(node);
    }
    const nodes = [...perNode.keys()].sort();
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = perNode.get(nodes[i])!;
        const b = perNode.get(nodes[j])!;
        const key = `${nodes[i]}\u0000${nodes[j]}`;
        let e = edges.get(key);
        if (!e) edges.set(key, (e = { observations: [], lo: -Infinity, hi: Infinity }));
        e.observations.push(a.exit - b.exit);
        // -Infinity enters (none observed) leave these at ±Infinity: no bound.
        e.hi = Math.min(e.hi, a.exit - b.enter);
        e.lo = Math.max(e.lo, a.enter - b.exit);
      }
    }
  }
  return { edges, withExits };
}

/** offset(to) − offset(from), from the edge between them. */
function edgeEstimate(edges: Map<string, Edge>, from: string, to: string): Estimate | null {
  const forward = from > to;
  const e = edges.get(forward ? `${to}\u0000${from}` : `${from}\u0000${to}`);
  if (!e) return null;
  // Stored as offset(first) − offset(second) with the names in sorted order.
  const sign = forward ? 1 : -1;
  const obs = e.observations.map((o) => sign * o);
  const [lo, hi] = forward ? [e.lo, e.hi] : [-e.hi, -e.lo];
  const bounded = Number.isFinite(lo) && Number.isFinite(hi);
  const consistent = !bounded || lo <= hi;
  let offset = median(obs);
  if (bounded && consistent) offset = Math.min(hi, Math.max(lo, offset));
  return {
    offset,
    observations: obs.length,
    spread: mad(obs),
    bounds: bounded ? [lo, hi] : null,
    consistent,
  };
}

function confidenceOf(est: Estimate, chained: boolean): Confidence {
  if (!est.consistent || est.observations < 2) return "low";
  // Errors add up along a chain: never call a chained estimate high.
  if (!chained && est.observations >= 5 && est.spread <= HIGH_SPREAD_NS) return "high";
  if (est.spread <= MEDIUM_SPREAD_NS) return "medium";
  return "low";
}

/**
 * Breadth-first from the reference: the fewest hops first (each hop adds its error), and
 * among equally short parents the one with the most shared barriers.
 */
function chain(edges: Map<string, Edge>, nodes: string[], reference: string) {
  const found = new Map<string, { est: Estimate; via: string[] }>();
  // Infinity observations so the first hop's count is its own (chains take the minimum).
  found.set(reference, {
    est: { offset: 0, observations: Infinity, spread: 0, bounds: [0, 0], consistent: true },
    via: [],
  });
  let frontier = [reference];
  while (frontier.length) {
    const next = new Map<string, { est: Estimate; via: string[] }>();
    for (const node of nodes) {
      if (found.has(node)) continue;
      for (const parent of frontier) {
        const hop = edgeEstimate(edges, parent, node);
        if (!hop) continue;
        const best = next.get(node);
        if (best && best.est.observations >= hop.observations) continue;
        const base = found.get(parent)!.est;
        next.set(node, {
          est: {
            offset: base.offset + hop.offset,
            observations: Math.min(base.observations, hop.observations),
            spread: base.spread + hop.spread,
            bounds:
              base.bounds && hop.bounds
                ? [base.bounds[0] + hop.bounds[0], base.bounds[1] + hop.bounds[1]]
                : null,
            consistent: base.consistent && hop.consistent,
          },
          via: parent === reference ? [] : [...found.get(parent)!.via, parent],
        });
      }
    }
    for (const [node, value] of next) found.set(node, value);
    frontier = [...next.keys()];
  }
  return found;
}

/**
 * Estimates every node's clock offset against a reference node from the barriers its ranks
 * shared with other nodes' ranks. Lanes without a node are ignored; nodes that shared no
 * barrier get offset 0 and confidence "none", with the reason.
 */
export function estimateClockOffsets(lanes: LaneData[], options: ClockOptions = {}): ClockEstimate {
  const nodes = [...new Set(lanes.map((l) => l.info.node).filter((n): n is string => !!n))].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }),
  );
  const reference =
    options.reference && nodes.includes(options.reference) ? options.reference : pickReference(lanes, nodes);
  const perLane = new Map<string, number>();
  if (!reference) return { reference: null, nodes: [], perLane };

  const { edges, withExits } = collectEdges(lanes);
  const found = chain(edges, nodes, reference);
  const labels = nodeLabels(lanes.map((l) => l.info));
  const name = (node: string) => labels.get(node)?.text ?? node;
  const ref = name(reference);
  const result: NodeOffset[] = nodes.map((node) => {
    const hit = found.get(node);
    const label = name(node);
    if (node === reference) {
      return {
        node,
        label,
        offsetNs: 0,
        observations: 0,
        spreadNs: 0,
        boundsNs: [0, 0],
        confidence: "high",
        via: [],
        reason: "reference clock: other nodes are expressed against it",
      };
    }
    if (!hit) {
      return {
        node,
        label,
        offsetNs: 0,
        observations: 0,
        spreadNs: 0,
        boundsNs: null,
        confidence: "none",
        via: [],
        reason: withExits.has(node)
          ? `shares no barrier with ${ref}, directly or through other nodes: left unshifted`
          : "no completed barrier on this node's lanes: left unshifted",
      };
    }
    const { est, via } = hit;
    const confidence = confidenceOf(est, via.length > 0);
    const basis = `median of ${est.observations} barrier exit${est.observations === 1 ? "" : "s"}`;
    const reason = !est.consistent
      ? "barrier order contradicts one fixed offset (clock drift, or a phase that is not a real barrier)"
      : via.length
        ? `${basis}, chained through ${via.map(name).join(" → ")} (no barrier shared with ${ref})`
        : `${basis} shared with ${ref}`;
    return {
      node,
      label,
      offsetNs: Math.round(est.offset),
      observations: est.observations,
      spreadNs: Math.round(est.spread),
      boundsNs: est.bounds,
      confidence,
      via,
      reason,
    };
  });
  const offsetOf = new Map(result.map((n) => [n.node, n.offsetNs]));
  for (const lane of lanes) {
    const node = lane.info.node;
    if (node) perLane.set(lane.info.id, -(offsetOf.get(node) ?? 0) || 0);
  }
  return { reference, nodes: result, perLane };
}
