import { describe, expect, it } from "vitest";
import { snapshotChunks, snapshotText } from "../../../shared/live/snapshot";
import { Stitcher } from "../../../shared/live/stitch";
import { parseIsoNs } from "../../../shared/model/time";
import { SpanFlag } from "../../../shared/model/types";
import { ingestFiles, laneBy, spans } from "../helpers";
import { atOf, entry, poll, runner, steps } from "./timeline";

/** r1's node drops out after the first poll; r0 goes on. */
function twoPolls(): Stitcher {
  const s = new Stitcher();
  s.merge(
    poll(
      atOf(8),
      [...steps("r0", 0, 8), entry("r1", atOf(2), "enter", { phase: "decode_wait_first_token" })],
      // r1's barrier enter was evicted: only its state says it entered at 8 - 0.5 s.
      [runner("r0", "decode_stream", 1.0), runner("r1", "decode_barrier", 0.5)],
    ),
  );
  s.merge(
    poll(
      atOf(16),
      steps("r0", 8, 16),
      [runner("r0", "decode_stream", 3.0)],
      [{ nodeId: "node-of-r1", url: "http://10.0.0.3:52415", error: "ConnectTimeout" }],
    ),
  );
  return s;
}

describe("the snapshot", () => {
  it("is a cluster timeline in Skulk's shape, entries sorted by at, gaps and provenance beside", () => {
    const s = twoPolls();
    const doc = JSON.parse(
      snapshotText(s, { source: "http://10.0.0.2:52415", nodeNames: { "node-of-r0": "studio-a" } }),
    );
    expect(Object.keys(doc)).toEqual([
      "generatedAt",
      "localNodeId",
      "masterNodeId",
      "runners",
      "timeline",
      "unreachableNodes",
      "rankscopeGaps",
      "rankscopeLive",
    ]);
    expect(doc.generatedAt).toBe(atOf(16));
    expect(doc.timeline).toHaveLength(17);
    expect(doc.timeline[0]).toEqual(entry("r0", atOf(0), "generator_step_enter", { attrs: { step: 0 } }));
    const ats = doc.timeline.map((e: { at: string }) => e.at);
    expect(ats.map((at: string) => parseIsoNs(at)!)).toEqual(
      [...ats.map((at: string) => parseIsoNs(at)!)].sort((a, b) => (a < b ? -1 : 1)),
    );
    // A tie at the same instant keeps the runners' order, as Skulk's stable sort does.
    expect(doc.timeline.slice(2, 4).map((e: { runnerId: string; at: string }) => [e.runnerId, e.at])).toEqual(
      [
        ["r0", atOf(2)],
        ["r1", atOf(2)],
      ],
    );
    expect(doc.unreachableNodes).toEqual([
      { nodeId: "node-of-r1", url: "http://10.0.0.3:52415", error: "ConnectTimeout" },
    ]);
    // r1 was last seen 2 s before the snapshot: its time in phase is carried to generatedAt.
    expect(doc.runners).toEqual([runner("r0", "decode_stream", 3.0), runner("r1", "decode_barrier", 2.5)]);
    expect(doc.rankscopeLive).toMatchObject({
      source: "http://10.0.0.2:52415",
      polls: 2,
      firstGeneratedAt: atOf(8),
      lastGeneratedAt: atOf(16),
      entries: 17,
      staleRunners: [{ runnerId: "r1", lastSeenIn: atOf(8) }],
      nodeNames: { "node-of-r0": "studio-a" },
    });
    expect(doc.rankscopeGaps).toEqual([]);
  });

  it("reads back through the ingest: one lane per runner, every entry, the stale runner's phase where Skulk put it", async () => {
    const s = twoPolls();
    const model = await ingestFiles({ "live.json": snapshotText(s) });
    expect(model.files.map((f) => [f.format, f.records, f.errors.length])).toEqual([
      ["skulk.cluster-timeline", 17, 0],
    ]);
    expect(model.lanes.map((l) => l.info.runnerId).sort()).toEqual(["r0", "r1"]);
    expect(model.notes.map((n) => n.kind)).toEqual(["unreachable-node"]);
    const r1 = laneBy(model, (l) => l.info.runnerId === "r1");
    const origin = BigInt(r1.originSec) * 1_000_000_000n;
    const off = (at: string) => Number(parseIsoNs(at)! - origin);
    const last = spans(r1)
      .filter((x) => x.depth === 0)
      .at(-1)!;
    expect(last).toMatchObject({ name: "decode_barrier", start: off(atOf(6)), end: off(atOf(16)) });
    expect(last.flags & SpanFlag.Open).toBe(SpanFlag.Open);
  });

  it("streams in chunks whose concatenation is the document", () => {
    const s = new Stitcher();
    s.merge(poll(atOf(5000), [...steps("r0", 0, 2500), ...steps("r1", 0, 2500)]));
    const chunks = [...snapshotChunks(s)];
    expect(chunks.length).toBeGreaterThan(2);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(
      JSON.stringify(JSON.parse(chunks.join(""))).length / 2,
    );
    expect(JSON.parse(chunks.join("")).timeline).toHaveLength(5000);
  });
});
