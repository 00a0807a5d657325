import { describe, expect, it } from "vitest";
import { buildLaneLod } from "../../../shared/model/lod";
import { batchLanes, laneBuffers } from "../../../shared/ingest/transfer";
import type { LaneData } from "../../../shared/model/types";

function lane(id: string, spans: number, shared?: Float64Array): LaneData {
  const f = () => shared ?? new Float64Array(spans);
  const u = () => new Uint32Array(spans);
  const b = () => new Uint8Array(spans);
  return {
    info: { id, label: id, source: "skulk", group: "g" },
    originSec: 0,
    end: 0,
    strings: [""],
    spans: {
      start: f(),
      end: new Float64Array(spans),
      name: u(),
      depth: b(),
      flags: b(),
      args: u(),
      file: u(),
      line: u(),
    },
    markers: {
      t: new Float64Array(0),
      name: new Uint32Array(0),
      kind: new Uint8Array(0),
      args: new Uint32Array(0),
      file: new Uint32Array(0),
      line: new Uint32Array(0),
    },
    counters: [],
  };
}

describe("lanes sent to the window", () => {
  it("go in batches bounded by item count; a lane bigger than a batch goes alone", () => {
    const lanes = [lane("a", 40), lane("b", 40), lane("c", 40), lane("d", 500), lane("e", 10)];
    expect(batchLanes(lanes, 100).map((b) => b.map((l) => l.info.id))).toEqual([
      ["a", "b"],
      ["c"],
      ["d"],
      ["e"],
    ]);
    expect(batchLanes(lanes, 1e9, 2).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batchLanes([])).toEqual([]);
  });

  it("hand over each buffer of the lanes and their levels once (postMessage wants no repeats)", () => {
    const shared = new Float64Array(4);
    const lanes = [lane("a", 4, shared), lane("b", 4, shared), lane("c", 4)];
    const buffers = laneBuffers(lanes);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers.filter((b) => b === shared.buffer)).toHaveLength(1);
    // Lane a: the shared start and 7 other span columns, 6 marker columns; b and c likewise.
    expect(buffers).toHaveLength(14 + 13 + 14);
    const lod = buildLaneLod(lanes[2]);
    const withLod = laneBuffers([lanes[2]], [lod]);
    for (const level of lod.spans) expect(withLod).toContain(level.start.buffer);
  });
});
