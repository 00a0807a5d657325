import { describe, expect, it } from "vitest";
import { parseIsoNs } from "../../../shared/model/time";
import { MarkerKind } from "../../../shared/model/types";
import { ingestFiles, laneBy, markers } from "../helpers";
import { entry, poll, runner } from "./timeline";

/** A live snapshot written by hand: two runners, one gap on r1, names for both nodes. */
function snapshot(extra: Record<string, unknown>) {
  return JSON.stringify({
    ...poll(
      "2026-04-24T22:00:10+00:00",
      [
        entry("r0", "2026-04-24T22:00:01+00:00", "enter", { phase: "warmup" }),
        entry("r1", "2026-04-24T22:00:02.250000+00:00", "enter", { phase: "decode_stream" }),
        // r1's ring overran here: the next entry it showed is 4.500125 s later.
        entry("r1", "2026-04-24T22:00:06.750125+00:00", "generator_step_enter"),
      ],
      [runner("r0", "warmup", 9), runner("r1", "decode_stream", 7.75)],
    ),
    ...extra,
  });
}

describe("reading back what a live snapshot adds", () => {
  it("marks each rankscopeGaps item on its runner's lane, from its start, with its exact length", async () => {
    const text = snapshot({
      rankscopeGaps: [
        {
          runnerId: "r1",
          nodeId: "node-of-r1",
          from: "2026-04-24T22:00:02.250000+00:00",
          to: "2026-04-24T22:00:06.750125+00:00",
          durationNs: 4_500_125_000,
          seenIn: "2026-04-24T22:00:08+00:00",
        },
      ],
      rankscopeLive: { nodeNames: { "node-of-r0": "studio-a", "node-of-r1": "mini-b" } },
    });
    const model = await ingestFiles({ "live.json": text });
    expect(model.files[0]).toMatchObject({ format: "skulk.cluster-timeline", errors: [], warnings: [] });
    const r1 = laneBy(model, (l) => l.info.runnerId === "r1");
    const gaps = markers(r1).filter((m) => m.kind === MarkerKind.Gap);
    expect(gaps.map((g) => [g.name, g.kind, g.line])).toEqual([["history gap", MarkerKind.Gap, 0]]);
    // At the newest entry held before the ring overran, exactly.
    const at = BigInt(r1.originSec) * 1_000_000_000n + BigInt(gaps[0].t);
    expect(at).toBe(parseIsoNs("2026-04-24T22:00:02.250000+00:00"));
    const i = r1.markers.kind.indexOf(MarkerKind.Gap);
    expect(JSON.parse(r1.strings[r1.markers.args[i]])).toEqual({
      durationNs: 4_500_125_000,
      until: "2026-04-24T22:00:06.750125+00:00",
      seenIn: "2026-04-24T22:00:08+00:00",
    });
    const r0 = laneBy(model, (l) => l.info.runnerId === "r0");
    expect(markers(r0).filter((m) => m.kind === MarkerKind.Gap)).toEqual([]);
    // The names the attach learnt from the diagnostics bundle label the lanes.
    expect([r0.info.nodeName, r1.info.nodeName]).toEqual(["studio-a", "mini-b"]);
    expect(r0.info.label).toBe("studio-a · rank 0");
  });

  it("warns about a gap it cannot place and reads everything else", async () => {
    const text = snapshot({
      rankscopeGaps: [
        { runnerId: "r1", from: "yesterday", to: "2026-04-24T22:00:06+00:00" },
        { runnerId: "r1", from: "2026-04-24T22:00:06+00:00", to: "2026-04-24T22:00:02+00:00" },
        "not a gap",
      ],
    });
    const model = await ingestFiles({ "live.json": text });
    expect(model.files[0].errors).toEqual([]);
    expect(model.files[0].warnings).toEqual([
      'rankscopeGaps[0] is not a usable gap (it needs runnerId, and "from" before "to")',
      'rankscopeGaps[1] is not a usable gap (it needs runnerId, and "from" before "to")',
      'rankscopeGaps[2] is not a usable gap (it needs runnerId, and "from" before "to")',
    ]);
    expect(model.files[0].records).toBe(3);
    const r1 = laneBy(model, (l) => l.info.runnerId === "r1");
    expect(markers(r1).some((m) => m.kind === MarkerKind.Gap)).toBe(false);
    // Without rankscopeLive the node ids are all there is.
    expect(r1.info.nodeName).toBeNull();
  });
});
