import { describe, expect, it } from "vitest";
import { Stitcher } from "../../../shared/live/stitch";
import { atOf, entry, poll, steps } from "./timeline";

const stepsHeld = (s: Stitcher, runnerId: string) =>
  s.entries(runnerId).map((e) => (e.attrs as { step?: number }).step ?? null);

describe("stitching cluster-timeline polls", () => {
  it("counts overlapping entries once and takes what is new", () => {
    const s = new Stitcher();
    const first = s.merge(poll(atOf(5), steps("r0", 0, 5)));
    const second = s.merge(poll(atOf(8), steps("r0", 2, 8)));
    expect(first).toMatchObject({ entries: 5, added: 5, duplicates: 0 });
    expect(second).toMatchObject({ entries: 6, added: 3, duplicates: 3, gaps: [] });
    expect(stepsHeld(s, "r0")).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("the same entry in two polls is one entry, whatever its key order and lifted fields", () => {
    const s = new Stitcher();
    const e = entry("r1", atOf(1), "enter", { phase: "prefill_barrier", attrs: { rank: 1, group_size: 2 } });
    s.merge(poll(atOf(2), [e]));
    // Same content, keys in another order, and the runner's rank re-lifted differently.
    const reordered = Object.fromEntries(Object.entries({ ...e, deviceRank: 3 }).reverse());
    (reordered as { attrs: unknown }).attrs = { group_size: 2, rank: 1 };
    const r = s.merge(poll(atOf(3), [reordered]));
    expect(r).toMatchObject({ added: 0, duplicates: 1 });
    expect(s.count("r1")).toBe(1);
  });

  it("keeps two different entries with the same at, and a true repeat within one poll", () => {
    const s = new Stitcher();
    const at = atOf(4);
    const a = entry("r0", at, "generator_step_exit", { attrs: { step: 1 } });
    const b = entry("r0", at, "generator_step_exit", { attrs: { step: 2 } });
    s.merge(poll(atOf(5), [a, b, b]));
    expect(s.count("r0")).toBe(3);
    // Seen again in the next window: still three, not six and not two.
    const again = s.merge(poll(atOf(6), [b, a, b]));
    expect(again).toMatchObject({ added: 0, duplicates: 3 });
    expect(stepsHeld(s, "r0")).toEqual([1, 2, 2]);
  });

  it("entries out of order, within a poll and across polls, land in time order", () => {
    const s = new Stitcher();
    const [e0, e1, e2, e3, e4, e5] = steps("r2", 0, 6);
    s.merge(poll(atOf(6), [e4, e1, e5]));
    s.merge(poll(atOf(7), [e3, e0, e2, e1]));
    expect(stepsHeld(s, "r2")).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.entries("r2").map((e) => e.at)).toEqual([e0, e1, e2, e3, e4, e5].map((e) => e.at));
  });

  it("grows past the 128-entry ring when every window overlaps the last", () => {
    const s = new Stitcher();
    for (let k = 0; k < 10; k++) {
      const r = s.merge(poll(atOf(50 * k + 128), steps("r0", 50 * k, 50 * k + 128)));
      expect(r.gaps).toEqual([]);
    }
    expect(s.count("r0")).toBe(128 + 9 * 50);
    expect(stepsHeld(s, "r0")).toEqual(Array.from({ length: 578 }, (_, i) => i));
  });

  it("a full window that no longer overlaps is a gap from our newest entry to its oldest", () => {
    const s = new Stitcher();
    s.merge(poll(atOf(128), [...steps("r0", 0, 128), ...steps("r1", 0, 40)]));
    // r0 produced 300 entries between the polls; its ring kept the last 128 (172..299).
    const r = s.merge(poll(atOf(300), [...steps("r0", 172, 300), ...steps("r1", 30, 50)]));
    expect(r.gaps).toEqual([
      {
        runnerId: "r0",
        nodeId: "node-of-r0",
        from: atOf(127),
        to: atOf(172),
        durationNs: 45 * 250e6,
        seenIn: atOf(300),
      },
    ]);
    expect(s.gaps).toEqual(r.gaps);
    expect(s.count("r0")).toBe(256);
    expect(s.count("r1")).toBe(50);
  });

  it("a window that does not overlap but is not full lost nothing: no gap", () => {
    const s = new Stitcher();
    s.merge(poll(atOf(10), steps("r0", 0, 10)));
    // A restarted runner's fresh ring, or a quiet one: everything since is here.
    const r = s.merge(poll(atOf(200), steps("r0", 150, 200)));
    expect(r.gaps).toEqual([]);
    expect(s.count("r0")).toBe(60);
  });

  it("a capped timeline cuts only runners last seen before its oldest entry", () => {
    const s = new Stitcher({ timelineCap: 6 });
    s.merge(poll(atOf(20), [...steps("r0", 0, 2), ...steps("r1", 0, 4)]));
    s.merge(poll(atOf(21), steps("r1", 3, 5)));
    // Six entries, the cap: its oldest is r1's step 4. r0 was last seen before that (step 1),
    // so whatever r0 logged in between was cut; r1 overlaps and lost nothing.
    const r = s.merge(poll(atOf(30), [...steps("r0", 10, 13), ...steps("r1", 4, 7)]));
    expect(r.gaps.map((g) => [g.runnerId, g.from, g.to])).toEqual([["r0", atOf(1), atOf(10)]]);
  });

  it("writes `at` back exactly as received: no fraction, Z, nanoseconds", () => {
    const s = new Stitcher();
    const ats = [
      "2026-04-24T22:03:51+00:00",
      "2026-04-24T22:03:51.000001+00:00",
      "2026-04-24T22:03:51.123456789+00:00",
      "2026-04-24T22:03:51.500000Z",
      "2026-04-24 22:03:52.25",
    ];
    const mem = {
      generatedAt: "2026-04-24T22:03:51.507911+00:00",
      active: { inBytes: 1073741824 },
      cache: { inBytes: 134217728 },
      peak: { inBytes: 2147483648 },
      wiredLimit: null,
      source: "mlx.core",
    };
    const odd = { generatedAt: "2026-04-24T22:03:51Z", active: { inBytes: 5 }, source: "mlx.core", extra: 1 };
    s.merge(
      poll(ats[0], [
        ...ats.map((at, i) => entry("r0", at, `e${i}`)),
        entry("r0", "2026-04-24T22:03:53+00:00", "m1", { mlxMemory: mem }),
        entry("r0", "2026-04-24T22:03:54+00:00", "m2", { mlxMemory: odd }),
      ]),
    );
    const back = s.entries("r0");
    expect(back.map((e) => e.at)).toEqual([...ats, "2026-04-24T22:03:53+00:00", "2026-04-24T22:03:54+00:00"]);
    expect(back[5].mlxMemory).toEqual(mem);
    expect(back[6].mlxMemory).toEqual(odd);
    expect(back[0]).toEqual(entry("r0", ats[0], "e0"));
  });

  it("rejects entries it cannot place, says why, and keeps the rest", () => {
    const s = new Stitcher();
    const r = s.merge(
      poll(atOf(3), [
        ...steps("r0", 0, 2),
        { ...entry("r0", "yesterday"), event: "x" },
        { phase: "idle", event: "x", at: atOf(2) },
        "junk",
      ]),
    );
    expect(r).toMatchObject({ entries: 5, added: 2, rejected: 3 });
    expect(r.firstError).toBe('timeline[2] has no valid "at" ("yesterday")');
    expect(s.count("r0")).toBe(2);
  });

  it("stays compact: entries that repeat share one body", () => {
    const s = new Stitcher();
    const cycle = ["enter", "batch_first_token", "generator_step_enter", "generator_step_exit", "exit"];
    for (let k = 0; k < 40; k++) {
      const timeline = [];
      for (let r = 0; r < 16; r++)
        for (let i = 60 * k; i < 60 * k + 128; i++) timeline.push(entry(`r${r}`, atOf(i), cycle[i % 5]));
      s.merge(poll(atOf(60 * k + 128), timeline));
    }
    expect(s.size).toBe(16 * (128 + 39 * 60));
    expect(s.gaps).toEqual([]);
    // 38k entries, five distinct bodies: the history grows by columns, not by strings.
    expect(s.strings.values).toHaveLength(5);
  });
});
