import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { attach, type Attachment } from "../../../electron/web/attach";
import type { Timers } from "../../../shared/live/http";
import type { LiveEvent } from "../../../shared/live/session";
import { parseIsoNs } from "../../../shared/model/time";
import { SpanFlag } from "../../../shared/model/types";
import { startFakeSkulk, type FakeSkulk } from "../../fake-skulk/server";
import { ingestFiles, laneBy, spans } from "../helpers";

/** Real timers running 1000x fast: a 2 s poll interval waits 2 ms; now() is cluster-like time. */
function fastTimers(factor = 1000): Timers {
  const realStart = Date.now();
  const virtualStart = Date.UTC(2026, 3, 24, 22, 0, 0);
  return {
    now: () => virtualStart + (Date.now() - realStart) * factor,
    setTimeout: (fn, ms) => setTimeout(fn, ms / factor),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

let fake: FakeSkulk | null = null;
let attached: Attachment | null = null;
let dir: string | null = null;
afterEach(async () => {
  attached?.stop();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = attached = dir = null;
});

describe("live attach against a fake Skulk cluster", () => {
  it("60 polls through a burst, a node outage and a hang: history past the ring, one gap, an open barrier", async () => {
    const marks: { heldNewest?: string; windowOldest?: string } = {};
    fake = await startFakeSkulk({
      nodes: 2,
      runners: 4,
      seed: 3,
      timeLimitMs: 20_000,
      script: {
        // What the 20th answer shows of rank 2 is the newest entry we will hold for it…
        20: (c) => (marks.heldNewest = c.byRank(2).ring.at(-1)!.at),
        // …then it logs 300 entries at once, more than its ring keeps, before the next poll.
        21: (c) => {
          c.burst(2, 300);
          marks.windowOldest = c.byRank(2).ring[0].at;
        },
        30: (c) => c.hang(1),
        40: (c) => c.setNodeDown(1, true),
        41: (c) => c.setNodeDown(1, false),
      },
    });
    const events: LiveEvent[] = [];
    let merged = 0;
    const done = new Promise<void>((resolve) => {
      attached = attach(fake!.url, {
        timers: fastTimers(),
        timeoutMs: 5_000_000, // 5 real seconds at this speed
        clusterTimeoutMs: 5_000_000,
        onEvent: (e) => events.push(e),
        onUpdate: () => {
          if (++merged === 60) {
            attached!.session.pause();
            resolve();
          }
        },
      });
    });
    await done;
    const session = attached!.session;
    const cluster = fake.cluster;
    const [r0, r1, r2, r3] = [0, 1, 2, 3].map((rank) => cluster.byRank(rank));

    // Every entry any answer showed is held exactly once; only the burst's middle was never seen.
    for (const r of [r0, r1, r2, r3]) expect(session.history.count(r.runnerId)).toBe(r.served.size);
    expect(session.history.count(r2.runnerId)).toBeGreaterThan(128);
    expect(r2.log.length - r2.served.size).toBeGreaterThan(0);
    expect(r3.log.length).toBe(r3.served.size);
    expect(session.history.gaps).toEqual([
      {
        runnerId: r2.runnerId,
        nodeId: r2.nodeId,
        from: marks.heldNewest,
        to: marks.windowOldest,
        durationNs: Number(parseIsoNs(marks.windowOldest!)! - parseIsoNs(marks.heldNewest!)!),
        seenIn: expect.any(String),
      },
    ]);
    const nodeEvents = events.filter((e) => e.kind === "node-unreachable" || e.kind === "node-reachable");
    expect(nodeEvents.map((e) => [e.kind, e.nodeId, (e as { name: string }).name])).toEqual([
      ["node-unreachable", cluster.nodes[1].nodeId, "mini-b"],
      ["node-reachable", cluster.nodes[1].nodeId, "mini-b"],
    ]);
    expect(events.filter((e) => e.kind === "poll-failed")).toEqual([]);

    // Save, then read the file back the way a user's drop would.
    dir = await mkdtemp(path.join(tmpdir(), "rankscope-live-"));
    const file = path.join(dir, "snapshot.json");
    const saved = await attached!.save(file);
    const text = await readFile(file, "utf8");
    expect(saved).toMatchObject({ bytes: Buffer.byteLength(text), entries: session.history.size });
    const doc = JSON.parse(text);
    expect(doc.rankscopeGaps).toEqual(session.history.gaps);
    // `at` strings exactly as Skulk wrote them, sorted, whole seconds without a fraction included.
    const served0 = r0.log.filter((e) => r0.served.has(e)).map((e) => e.at);
    const written0 = doc.timeline.filter((e: { runnerId: string }) => e.runnerId === r0.runnerId);
    expect(written0.map((e: { at: string }) => e.at)).toEqual(served0);
    expect(served0.some((at) => /:\d\d\+00:00$/.test(at))).toBe(true);

    const model = await ingestFiles({ "snapshot.json": text });
    expect(model.files.map((f) => [f.format, f.records, f.errors])).toEqual([
      ["skulk.cluster-timeline", session.history.size, []],
    ]);
    expect(model.lanes.map((l) => l.info.runnerId).sort()).toEqual(
      [r0, r1, r2, r3].map((r) => r.runnerId).sort(),
    );
    const lane = laneBy(model, (l) => l.info.runnerId === r1.runnerId);
    expect(lane.info).toMatchObject({ rank: 1, worldSize: 4, instanceId: cluster.instanceId, pid: r1.pid });
    const phases = spans(lane).filter((s) => s.depth === 0);
    const last = phases.at(-1)!;
    const originNs = BigInt(lane.originSec) * 1_000_000_000n;
    expect(last.name).toBe("decode_barrier");
    expect(last.flags & SpanFlag.Open).toBe(SpanFlag.Open);
    expect(last.start).toBe(Number(parseIsoNs(r1.hung!.at)! - originNs));
    expect(last.end).toBe(Number(parseIsoNs(doc.generatedAt)! - originNs));
  });
});
