import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../../shared/model/builder";
import { finalizeModel } from "../../../shared/model/dataset";
import { formatInspect, inspectReport, lanePhases } from "../../../shared/model/summary";
import type { SourceFamily } from "../../../shared/model/types";

function lane(source: SourceFamily, spans: [string, number, number, number][]) {
  const b = new ModelBuilder();
  const l = b.lane({ id: source, label: source, source, group: source });
  for (const [name, start, end, depth] of spans) l.span({ name, start, end, depth });
  return b.build()[0];
}

describe("a lane's phases", () => {
  it("Skulk: outermost spans only; a generator step inside a phase is not a phase", () => {
    const l = lane("skulk", [
      ["prefill_barrier", 0, 10, 0],
      ["decode_stream", 10, 50, 0],
      ["generator_step", 12, 14, 1],
      ["prefill_barrier", 50, 60, 0],
    ]);
    expect(lanePhases(l)).toEqual(["prefill_barrier", "decode_stream"]);
  });

  it("stormlog: nested phase scopes are phases too, in order of first appearance", () => {
    const l = lane("stormlog", [
      ["train", 0, 100, 0],
      ["forward", 1, 40, 1],
      ["backward", 41, 90, 1],
      ["evaluate", 100, 120, 0],
    ]);
    expect(lanePhases(l)).toEqual(["train", "forward", "backward", "evaluate"]);
  });

  it("the human inspect output lists them", () => {
    const l = lane("stormlog", [
      ["train", 0, 100, 0],
      ["forward", 1, 40, 1],
    ]);
    const text = formatInspect(inspectReport(finalizeModel({ lanes: [l], files: [], notes: [] })));
    expect(text).toContain("stormlog: 2 spans, 0 markers, phases train, forward");
  });
});
