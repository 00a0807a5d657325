import { describe, expect, it } from "vitest";
import { ModelBuilder } from "../../../shared/model/builder";
import { finalizeModel } from "../../../shared/model/dataset";
import { buildLaneView } from "../../../renderer/src/view/laneView";
import { alignableNames, comparePhases } from "../../../renderer/src/view/compare";
import { anchorOf, defaultScope, scopeLanes } from "../../../renderer/src/view/runs";

const DAY = 86400;

/** Two jobs of two ranks each, the second three days later and slower in prefill. */
function twoRuns() {
  const b = new ModelBuilder();
  const job = (group: string, daySec: number, prefillSec: number) => {
    b.setFile(group === "job-a" ? 0 : 1);
    const t0 = b.time.fromSec(1_777_000_000 + daySec);
    for (const rank of [0, 1]) {
      const l = b.lane({ id: `${group}:${rank}`, label: `r${rank}`, source: "skulk", group, rank });
      l.span({ name: "warmup", start: t0, end: t0 + 2e9 });
      l.span({ name: "prefill_barrier", start: t0 + 2e9, end: t0 + (2 + prefillSec + rank) * 1e9 });
      l.marker({ t: t0 + 2e9, name: "batch_first_token", kind: 0 });
    }
  };
  job("job-a", 0, 1);
  job("job-b", 3 * DAY, 4);
  const model = finalizeModel({ lanes: b.build(), files: [], notes: [] });
  const views = model.lanes.map((l) => buildLaneView(l, undefined, model.originSec));
  return { model, views };
}

describe("run scopes", () => {
  it("a run shows its lanes and fits its own extent on the dataset's axis", () => {
    const { model, views } = twoRuns();
    const s = scopeLanes(views, model.runs, model.originSec, { kind: "run", run: "job-b" });
    expect(s.lanes.map((v) => v.data.info.id)).toEqual(["job-b:0", "job-b:1"]);
    expect(s.bounds).toEqual({ start: 3 * DAY * 1e9, end: 3 * DAY * 1e9 + 7e9 });
    expect(s.zero).toBe(3 * DAY * 1e9);
    const all = scopeLanes(views, model.runs, model.originSec, { kind: "all" });
    expect(all.lanes).toHaveLength(4);
    expect(all.bounds).toEqual({ start: 0, end: 3 * DAY * 1e9 + 7e9 });
  });

  it("comparing puts both runs on one time-since-start axis, or aligned on an event", () => {
    const { model, views } = twoRuns();
    const s = scopeLanes(views, model.runs, model.originSec, {
      kind: "compare",
      a: "job-a",
      b: "job-b",
      align: null,
    });
    expect([...s.prefix!.values()]).toEqual([
      "A · Skulk · job-a",
      "A · Skulk · job-a",
      "B · Skulk · job-b",
      "B · Skulk · job-b",
    ]);
    // Both runs' warmups now start at zero.
    for (const v of s.lanes) expect(v.data.spans.start[0] + v.base).toBe(0);
    expect(s.bounds).toEqual({ start: 0, end: 7e9 });
    const aligned = scopeLanes(views, model.runs, model.originSec, {
      kind: "compare",
      a: "job-a",
      b: "job-b",
      align: "prefill_barrier",
    });
    for (const v of aligned.lanes) expect(v.data.spans.start[1] + v.base).toBe(0);
    expect(anchorOf(model.runs[1], views, model.originSec, "nothing-like-this")).toBe(3 * DAY * 1e9);
  });

  it("the per-phase time difference per rank, biggest first", () => {
    const { model, views } = twoRuns();
    const s = scopeLanes(views, model.runs, model.originSec, {
      kind: "compare",
      a: "job-a",
      b: "job-b",
      align: null,
    });
    const a = s.lanes.filter((v) => s.prefix!.get(v.data.info.id)!.startsWith("A"));
    const b = s.lanes.filter((v) => s.prefix!.get(v.data.info.id)!.startsWith("B"));
    expect(comparePhases(a, b)).toEqual([
      { rank: "rank 0", phase: "prefill_barrier", a: 1e9, b: 4e9, diff: 3e9 },
      { rank: "rank 1", phase: "prefill_barrier", a: 2e9, b: 5e9, diff: 3e9 },
      { rank: "rank 0", phase: "warmup", a: 2e9, b: 2e9, diff: 0 },
      { rank: "rank 1", phase: "warmup", a: 2e9, b: 2e9, diff: 0 },
    ]);
    expect(alignableNames(a, b)).toEqual(["warmup", "prefill_barrier", "batch_first_token"]);
  });

  it("opens on every run unless they lie so far apart that each would be a sliver", () => {
    const { model } = twoRuns();
    expect(defaultScope(model.runs, model.originSec)).toEqual({ kind: "run", run: "job-b" });
    expect(defaultScope(model.runs.slice(0, 1), model.originSec)).toEqual({ kind: "all" });
    const near = model.runs.map((r, i) => ({ ...r, originSec: model.originSec + i * 5 }));
    expect(defaultScope(near, model.originSec)).toEqual({ kind: "all" });
    // A later run of counters only (a scrape dated by its file) is not the one opened.
    const { views } = twoRuns();
    const scrape = {
      ...model.runs[1],
      id: "scrape",
      lanes: ["nothing-drawn"],
      originSec: model.originSec + 9 * DAY,
    };
    expect(defaultScope([...model.runs, scrape], model.originSec, views)).toEqual({
      kind: "run",
      run: "job-b",
    });
  });
});
