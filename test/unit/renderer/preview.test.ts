import { describe, expect, it } from "vitest";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { ingest } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { buildLaneLod, pickLevel } from "../../../shared/model/lod";
import { ModelBuilder } from "../../../shared/model/builder";
import { makePreview, previewMemMax, previewView } from "../../../renderer/src/db/preview";
import { buildLaneView, memoryMax, spansAt } from "../../../renderer/src/view/laneView";

describe("lane previews (reopen draws these first)", () => {
  it("keep the header facts of the full lane", async () => {
    const r = await ingest(generateSkulkDemo().map((f) => memorySource(f.path, f.content)));
    for (const lane of r.lanes) {
      const full = buildLaneView(lane);
      const view = previewView(lane.info, makePreview(full), { ...lane, axisOriginSec: lane.originSec });
      expect(view.open).toEqual(full.open);
      expect(view.errorCount).toBe(full.errorCount);
      expect(view.memory.area.map((c) => c.name)).toEqual(full.memory.area.map((c) => c.name));
    }
  });

  it("draw the same coarse spans, with names, and the same memory ceiling", () => {
    const b = new ModelBuilder();
    const lane = b.lane({ id: "l", label: "l", source: "skulk", group: "g" });
    for (let i = 0; i < 20_000; i++) {
      lane.span({ start: i * 1e6, end: i * 1e6 + 4e5, name: i % 3 ? "decode_stream" : "prefill_barrier" });
      lane.counter("mlx.active", i * 1e6, (i % 977) * 1024);
    }
    const data = b.build()[0];
    const full = buildLaneView(data, buildLaneLod(data));
    const view = previewView(data.info, makePreview(full), { ...data, axisOriginSec: data.originSec });
    const nsPerPx = 20_000e6 / 1600;
    const a = spansAt(full, nsPerPx);
    const p = spansAt(view, nsPerPx);
    expect(pickLevel(view.lod.spans, nsPerPx)).not.toBeNull();
    expect(Array.from(p.start)).toEqual(Array.from(a.start));
    expect(Array.from(p.name).map((n) => view.data.strings[n])).toEqual(
      Array.from(a.name).map((n) => full.data.strings[n]),
    );
    expect(previewMemMax(view)).toBe(memoryMax(full));
  });
});
