import { rng } from "../../../shared/demo/random";
import { ModelBuilder } from "../../../shared/model/builder";
import type { LaneData } from "../../../shared/model/types";
import { SpanFlag } from "../../../shared/model/types";

/**
 * Skulk-like ranks with known clocks: every barrier releases all ranks of an instance at one
 * true instant; each rank logs its exit up to `jitterNs` later on its own node's clock.
 */
export interface SyntheticInstance {
  id: string;
  /** The node of each rank, by rank. */
  ranks: string[];
}

export interface SyntheticOptions {
  /** Node → its clock minus true time, ns. */
  offsets: Record<string, number>;
  instances: SyntheticInstance[];
  tasks: number;
  /** Largest delay between a barrier's release and a rank's logged exit. */
  jitterNs: number;
  /** Ranks arrive at a barrier spread over this window (true time). */
  arrivalSpreadNs?: number;
  seed?: number;
  /** One rank reaching one task's prefill barrier this much later than the window. */
  late?: { instance: string; task: number; rank: number; byNs: number };
  /** Exits delayed far beyond the jitter (a rank descheduled right after the release). */
  outliers?: { instance: string; task: number; rank: number; byNs: number }[];
  /** From the last arrival to the release (the barrier's own work); 100 µs by default. */
  releaseGapNs?: number;
  /** The last task's decode barrier: this rank enters it and never leaves. */
  stuck?: { instance: string; rank: number };
}

export const laneIdOf = (instance: string, rank: number) => `skulk:${instance}-r${rank}`;

export function syntheticLanes(o: SyntheticOptions): LaneData[] {
  const rand = rng(o.seed ?? 1);
  const spread = o.arrivalSpreadNs ?? 2e6;
  const builder = new ModelBuilder();
  for (const [k, inst] of o.instances.entries()) {
    const lanes = inst.ranks.map((node, rank) =>
      builder.lane({
        id: laneIdOf(inst.id, rank),
        label: `${node} · rank ${rank}`,
        source: "skulk",
        group: `skulk:${inst.id}`,
        node,
        rank,
        worldSize: inst.ranks.length,
        instanceId: inst.id,
      }),
    );
    const local = (rank: number, t: number) => Math.round(t + o.offsets[inst.ranks[rank]]);
    for (let task = 1; task <= o.tasks; task++) {
      const taskId = `task-${task}`;
      const t0 = 10e9 + task * 1e9 + k * 1e8;
      const last = task === o.tasks;
      for (const phase of ["prefill_barrier", "decode_barrier"]) {
        const base = phase === "prefill_barrier" ? t0 : t0 + 300e6;
        const arrive = inst.ranks.map((_, rank) => {
          const late = o.late;
          const extra =
            late &&
            late.instance === inst.id &&
            late.task === task &&
            late.rank === rank &&
            phase === "prefill_barrier"
              ? late.byNs
              : 0;
          return base + rand() * spread + extra;
        });
        const release = Math.max(...arrive) + (o.releaseGapNs ?? 100e3);
        for (const [rank, lane] of lanes.entries()) {
          // Work between the barriers: not a barrier, must not count.
          lane.span({
            name: "prefill_pipeline",
            start: local(rank, base - 50e6),
            end: local(rank, arrive[rank]),
          });
          const stuck = last && phase === "decode_barrier" && o.stuck?.instance === inst.id;
          if (stuck && o.stuck!.rank !== rank) continue;
          const out = o.outliers?.find((x) => x.instance === inst.id && x.task === task && x.rank === rank);
          const delay = rand() * o.jitterNs + (out?.byNs ?? 0);
          lane.span({
            name: phase,
            start: local(rank, arrive[rank]),
            end: stuck ? local(rank, release + 60e9) : local(rank, release + delay),
            flags: stuck ? SpanFlag.Open : 0,
            args: {
              taskId,
              detail: phase === "prefill_barrier" ? "prefill_mx_barrier" : "decode_mx_barrier",
            },
          });
        }
      }
    }
  }
  return builder.build();
}

/** Estimated offset minus true offset, relative to the reference node. */
export function errorOf(
  offsets: Record<string, number>,
  reference: string,
  node: string,
  estimate: number,
): number {
  return estimate - (offsets[node] - offsets[reference]);
}
