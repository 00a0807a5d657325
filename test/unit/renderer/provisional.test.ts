import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../../shared/model/builder";
import { TimeBase } from "../../../shared/model/time";
import { showProvisional } from "../../../renderer/src/app/actions";
import { useApp } from "../../../renderer/src/app/store";
import { fitView } from "../../../renderer/src/view/timeScale";

/** Two ranks of one Skulk instance, read up to `seconds`. */
function lanesUpTo(seconds: number) {
  const b = new ModelBuilder();
  const time = new TimeBase(1_777_000_000);
  for (const rank of [0, 1]) {
    const lane = b.lane(
      {
        id: `r${rank}`,
        label: `rank ${rank}`,
        source: "skulk",
        group: "skulk:instance-1",
        rank,
        worldSize: 2,
      },
      time,
    );
    for (let t = 0; t < seconds; t++)
      lane.span({ start: t * 1e9, end: t * 1e9 + 5e8, name: "decode_stream" });
  }
  return b.build();
}

const show = (seconds: number) =>
  showProvisional({ id: "import", name: "import", lanes: lanesUpTo(seconds), files: [], notes: [] });

describe("an import's pictures as they grow", () => {
  it("keep the view fitted to what is read so far, until the user moves it", () => {
    show(4);
    const first = useApp.getState().bounds;
    expect(useApp.getState().view).toEqual(fitView(first));
    show(60);
    const later = useApp.getState().bounds;
    expect(later.end).toBeGreaterThan(first.end * 10);
    expect(useApp.getState().view).toEqual(fitView(later));
    // The user zooms in while it reads on: the next picture leaves the view alone.
    const chosen = { start: 10e9, end: 12e9 };
    useApp.getState().setView(chosen);
    show(120);
    expect(useApp.getState().bounds.end).toBeGreaterThan(later.end);
    expect(useApp.getState().view).toEqual(chosen);
  });
});
