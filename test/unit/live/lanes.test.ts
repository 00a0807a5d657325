import { describe, expect, it } from "vitest";
import { LiveLaneBuilder } from "../../../shared/live/lanes";
import { snapshotText } from "../../../shared/live/snapshot";
import { Stitcher } from "../../../shared/live/stitch";
import { MarkerKind, type LaneData } from "../../../shared/model/types";
import { FakeCluster } from "../../fake-skulk/cluster";
import { clusterTimeline } from "../../fake-skulk/payloads";
import { ingestFiles } from "../helpers";

/** A lane with every time as absolute ns (origins differ between the two readings). */
function absolute(lane: LaneData) {
  const abs = (a: Float64Array) => Array.from(a, (t) => BigInt(lane.originSec) * 1_000_000_000n + BigInt(t));
  const text = (ids: Uint32Array) => Array.from(ids, (i) => lane.strings[i]);
  return {
    info: lane.info,
    end: abs(Float64Array.of(lane.end))[0],
    spans: {
      start: abs(lane.spans.start),
      end: abs(lane.spans.end),
      name: text(lane.spans.name),
      args: text(lane.spans.args),
      depth: [...lane.spans.depth],
      flags: [...lane.spans.flags],
    },
    markers: {
      t: abs(lane.markers.t),
      name: text(lane.markers.name),
      args: text(lane.markers.args),
      kind: [...lane.markers.kind],
    },
    counters: lane.counters.map((c) => ({ name: c.name, t: abs(c.t), v: [...c.v] })),
  };
}

/** `polls` timeline answers of a fake cluster, one every 2 s, with a burst and a hang on the way. */
function attach(polls: number, opts: { runners?: number; burstAt?: number; hangAt?: number } = {}) {
  const cluster = new FakeCluster({ nodes: 2, runners: opts.runners ?? 4, seed: 5 });
  const s = new Stitcher();
  for (let i = 1; i <= polls; i++) {
    cluster.advance(2000);
    if (i === opts.burstAt) cluster.burst(2, 300);
    if (i === opts.hangAt) cluster.hang(1);
    s.merge(clusterTimeline(cluster));
  }
  return { cluster, s };
}

describe("live lanes", () => {
  it("are the lanes of the saved snapshot read back: spans, markers, counters, gaps, ends", async () => {
    const { cluster, s } = attach(40, { burstAt: 12, hangAt: 20 });
    expect(s.gaps.map((g) => g.runnerId)).toEqual([cluster.byRank(2).runnerId]);
    const names = { [cluster.nodes[0].nodeId]: "studio-a", [cluster.nodes[1].nodeId]: "mini-b" };
    const live = new LiveLaneBuilder("live.json").build(s, names);
    const read = await ingestFiles({ "live.json": snapshotText(s, { nodeNames: names }) });
    const byId = (lanes: LaneData[]) =>
      Object.fromEntries(
        lanes.map((l) => [l.info.id, absolute(l)]).sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    expect(byId(live.lanes)).toEqual(byId(read.lanes));
    expect(live.files.map((f) => [f.format, f.records, f.errors])).toEqual([
      ["skulk.cluster-timeline", s.size, []],
    ]);
    // The burst's overrun is on rank 2's lane, and rank 1 hangs open in decode_barrier.
    const r2 = live.lanes.find((l) => l.info.rank === 2)!;
    expect([...r2.markers.kind].filter((k) => k === MarkerKind.Gap)).toHaveLength(1);
    expect(live.lanes.find((l) => l.info.rank === 1)!.info.label).toBe("studio-a · rank 1");
  });

  it("rebuilds 64 runners x 2000 entries within the 2 s poll interval", () => {
    const cluster = new FakeCluster({ nodes: 8, runners: 64, seed: 9 });
    const s = new Stitcher();
    while (s.size < 64 * 2000) {
      cluster.advance(2000);
      s.merge(clusterTimeline(cluster));
    }
    const lanes = new LiveLaneBuilder("live");
    lanes.build(s); // the first build parses every entry body once
    cluster.advance(2000);
    s.merge(clusterTimeline(cluster));
    const t0 = performance.now();
    const built = lanes.build(s);
    const ms = performance.now() - t0;
    expect(built.lanes).toHaveLength(64);
    expect(built.files[0].records).toBe(s.size);
    console.log(`live lanes: ${s.size} entries of 64 runners rebuilt in ${ms.toFixed(0)} ms`);
    // The worker spaces its rebuilds by their cost (see live.worker.ts); this is one build.
    expect(ms).toBeLessThan(2000);
  });
});
