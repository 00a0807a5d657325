import { describe, expect, it } from "vitest";
import { batchLanes, transferables } from "../../../electron/ingestJob";
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

  it("transfer their buffers, except one that two batches share (it would arrive detached)", () => {
    const shared = new Float64Array(4);
    const batches = [[lane("a", 4, shared)], [lane("b", 4, shared)], [lane("c", 4)]];
    const t = transferables(batches);
    expect(t[0]).not.toContain(shared.buffer);
    expect(t[1]).not.toContain(shared.buffer);
    expect(t[2]).toContain(batches[2][0].spans.start.buffer);
    expect(t[2]).toHaveLength(14); // 8 span columns and 6 marker columns
    // Every transferred buffer appears once overall, as postMessage requires.
    const all = t.flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
