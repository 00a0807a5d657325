import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { hangs } from "../../../shared/analysis/stragglers";
import { inspectReport } from "../../../shared/model/summary";
import { SpanFlag } from "../../../shared/model/types";
import { ingestFiles } from "../helpers";

const ctx = (runner: string, rank: number, instance: string) =>
  JSON.stringify({
    nodeId: "node-a",
    runnerId: runner,
    rank,
    worldSize: 2,
    instanceId: instance,
    modelId: "m",
  });
const entry = (at: string, phase: string, event: string, runner: string, rank: number, instance: string) =>
  `{"at":"${at}","phase":"${phase}","event":"${event}","context":${ctx(runner, rank, instance)}}`;

// Day 1: rank 1 enters prefill_barrier at 10:00:10 and never leaves; rank 0 logs until 10:02:00.
const day1 = [
  entry("2026-03-01T10:00:00+00:00", "warmup", "enter", "r0", 0, "job-1"),
  entry("2026-03-01T10:00:00+00:00", "warmup", "enter", "r1", 1, "job-1"),
  entry("2026-03-01T10:00:10+00:00", "prefill_barrier", "enter", "r1", 1, "job-1"),
  entry("2026-03-01T10:00:10+00:00", "warmup", "exit", "r0", 0, "job-1"),
  entry("2026-03-01T10:02:00+00:00", "decode_stream", "enter", "r0", 0, "job-1"),
  "",
].join("\n");
// Three days later, another job on the same cluster.
const day4 = [
  entry("2026-03-04T08:00:00+00:00", "warmup", "enter", "r5", 0, "job-2"),
  entry("2026-03-04T09:00:00+00:00", "warmup", "exit", "r5", 0, "job-2"),
  "",
].join("\n");

describe("a lane ends where its own source ends", () => {
  for (const order of [
    ["day1.jsonl", "day4.jsonl"],
    ["day4.jsonl", "day1.jsonl"],
  ]) {
    it(`an open phase lasts until its capture's last record, not another file's (${order[0]} first)`, async () => {
      const files: Record<string, string> = {};
      for (const f of order) files[f] = f === "day1.jsonl" ? day1 : day4;
      const model = await ingestFiles(files);
      const r1 = model.lanes.find((l) => l.info.id === "skulk:r1")!;
      const barrier = [...r1.spans.flags].findIndex((f, i) => f & SpanFlag.Open && r1.spans.depth[i] === 0);
      expect(r1.strings[r1.spans.name[barrier]]).toBe("prefill_barrier");
      // 10:00:10 → 10:02:00, the last record of day 1's file: 110 s, not 3 days.
      expect(r1.spans.end[barrier] - r1.spans.start[barrier]).toBe(110e9);
      const stuck = hangs(model.lanes).find((h) => h.laneId === "skulk:r1")!;
      expect(stuck.durationNs).toBe(110e9);
      const report = inspectReport(model);
      expect(report.lanes.find((l) => l.id === "skulk:r1")!.endNs).toBe(
        String(Date.UTC(2026, 2, 1, 10, 2) * 1e6),
      );
      expect(report.runs.map((r) => r.id)).toEqual(["skulk:job-1", "skulk:job-2"]);
      expect(report.runs[0].endNs).toBe(String(Date.UTC(2026, 2, 1, 10, 2) * 1e6));
      expect(report.runs[1]).toMatchObject({
        lanes: ["skulk:r5"],
        startNs: String(Date.UTC(2026, 2, 4, 8) * 1e6),
        endNs: String(Date.UTC(2026, 2, 4, 9) * 1e6),
      });
    });
  }

  it("what a collector adds after the last input (a dead process, an open phase) stays its own lane's", async () => {
    const files: Record<string, string | Uint8Array> = {};
    for (const f of generateSkulkDemo()) files[`demo/${f.path}`] = f.content;
    // Read last: a stormlog export of December.
    files["z/rank1.json"] = readFileSync(
      path.join(__dirname, "../../fixtures/upstream/stormlog/generated/rank1.json"),
    );
    const report = inspectReport(await ingestFiles(files));
    const april25 = BigInt(Date.UTC(2026, 3, 25)) * 1_000_000n;
    const skulk = report.lanes.filter((l) => l.source === "skulk");
    expect(skulk.length).toBeGreaterThan(0);
    for (const l of skulk) expect(BigInt(l.endNs!)).toBeLessThan(april25);
    for (const r of report.runs.filter((r) => r.id.startsWith("skulk:")))
      expect(BigInt(r.endNs)).toBeLessThan(april25);
  });
});
