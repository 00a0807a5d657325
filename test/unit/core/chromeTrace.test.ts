import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mkdir, writeFile } from "node:fs/promises";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../../electron/cli/cli";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { toChromeTrace } from "../../../shared/export/chromeTrace";
import { detectFormat } from "../../../shared/formats";
import { readHead } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { ingestFiles, markers, spans } from "../helpers";

const skulkTrace = {
  traceEvents: [
    { ph: "M", name: "thread_name", pid: 0, tid: 0, args: { name: "Rank 0" } },
    { ph: "M", name: "thread_name", pid: 0, tid: 1, args: { name: "Rank 1" } },
    {
      name: "prefill",
      cat: "skulk",
      ph: "X",
      ts: 1777068231000000,
      dur: 120000,
      pid: 0,
      tid: 0,
      args: { rank: 0, node_id: "node-a", model_id: "m", task_kind: "chat", tags: [], attrs: {} },
    },
    {
      name: "forward",
      cat: "skulk",
      ph: "X",
      ts: 1777068231010000,
      dur: 50000,
      pid: 0,
      tid: 0,
      args: { rank: 0, node_id: "node-a" },
    },
    {
      name: "prefill",
      cat: "skulk",
      ph: "X",
      ts: 1777068231002000,
      dur: 150000,
      pid: 0,
      tid: 1,
      args: { rank: 1, node_id: "node-b" },
    },
    { name: "decode", ph: "B", ts: 1777068231200000, pid: 0, tid: 1 },
    { name: "decode", ph: "E", ts: 1777068231300000, pid: 0, tid: 1 },
    { name: "first_token", ph: "i", s: "t", ts: 1777068231210000, pid: 0, tid: 1 },
    { name: "queue", ph: "C", ts: 1777068231000000, pid: 0, tid: 0, args: { depth: 3 } },
    { name: "queue", ph: "C", ts: 1777068231100000, pid: 0, tid: 0, args: { depth: 1 } },
  ],
};

describe("Chrome trace import", () => {
  it("reads X, B/E, i, C and M events into named, nested lanes", async () => {
    const m = await ingestFiles({ "trace_task-1.json": JSON.stringify(skulkTrace) });
    expect(m.files[0].format).toBe("chrome-trace");
    expect(m.lanes.map((l) => l.info.label)).toEqual(["Rank 0", "Rank 1"]);
    const [r0, r1] = m.lanes;
    expect(r0.info.rank).toBe(0);
    const s0 = spans(r0);
    expect(s0.map((s) => [s.name, s.depth, s.end - s.start])).toEqual([
      ["prefill", 0, 120e6],
      ["forward", 1, 50e6],
    ]);
    expect(
      spans(r1).find((s) => s.name === "decode")!.end - spans(r1).find((s) => s.name === "decode")!.start,
    ).toBe(100e6);
    expect(markers(r1).map((x) => x.name)).toEqual(["first_token"]);
    expect(r0.counters[0].name).toBe("queue");
    expect(Array.from(r0.counters[0].v)).toEqual([3, 1]);
  });

  it("is detected with the name hidden, and only traces are", async () => {
    expect(detectFormat(await readHead(memorySource("x", JSON.stringify(skulkTrace)))).format?.id).toBe(
      "chrome-trace",
    );
    expect(
      detectFormat(await readHead(memorySource("x", JSON.stringify(skulkTrace.traceEvents)))).format?.id,
    ).toBe("chrome-trace");
    expect(detectFormat(await readHead(memorySource("x", '{"events": [{"ts": 1}]}'))).format?.id).not.toBe(
      "chrome-trace",
    );
  });
});

describe("Chrome trace export", () => {
  it("round-trips: export, import the export, same lanes, spans, markers and counters", async () => {
    const files = Object.fromEntries(generateSkulkDemo().map((f) => [f.path, f.content]));
    const model = await ingestFiles(files);
    const trace = toChromeTrace(model);
    expect(trace.traceEvents.some((e) => e.ph === "X")).toBe(true);
    const back = await ingestFiles({ "export.json": JSON.stringify(trace) });
    expect(back.files[0].format).toBe("chrome-trace");
    expect(
      back.lanes.map((l) => [
        l.info.id,
        l.info.label,
        l.info.rank,
        l.info.worldSize,
        l.info.node,
        l.info.group,
      ]),
    ).toEqual(
      model.lanes.map((l) => [
        l.info.id,
        l.info.label,
        l.info.rank,
        l.info.worldSize,
        l.info.node,
        l.info.group,
      ]),
    );
    const absUs = (originSec: number, ns: number) => originSec * 1e6 + ns / 1e3;
    model.lanes.forEach((lane, i) => {
      const a = spans(lane);
      const b = spans(back.lanes[i]);
      expect(b.map((s) => [s.name, s.depth, s.flags])).toEqual(a.map((s) => [s.name, s.depth, s.flags]));
      b.forEach((s, j) => {
        expect(Math.abs(absUs(back.originSec, s.start) - absUs(model.originSec, a[j].start))).toBeLessThan(1);
        if (!(a[j].flags & 1))
          expect(Math.abs(absUs(back.originSec, s.end) - absUs(model.originSec, a[j].end))).toBeLessThan(1);
      });
      expect(markers(back.lanes[i]).map((m) => [m.name, m.kind])).toEqual(
        markers(lane).map((m) => [m.name, m.kind]),
      );
      expect(back.lanes[i].counters.map((c) => [c.name, c.v.length, Array.from(c.v)])).toEqual(
        lane.counters.map((c) => [c.name, c.v.length, Array.from(c.v)]),
      );
    });
  });

  it("`rankscope export --chrome-trace` writes a file viewers open", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-export-")), "demo");
    for (const f of generateSkulkDemo()) {
      await mkdir(path.dirname(path.join(dir, f.path)), { recursive: true });
      await writeFile(path.join(dir, f.path), f.content);
    }
    const out = path.join(dir, "..", "trace.json");
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const code = await main(["export", dir, "--chrome-trace", out]);
    write.mockRestore();
    expect(code).toBe(0);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    const names = doc.traceEvents
      .filter((e: { ph: string; name: string }) => e.ph === "M" && e.name === "thread_name")
      .map((e: { args: { name: string } }) => e.args.name);
    expect(names).toHaveLength(6);
    for (const e of doc.traceEvents) expect(["M", "X", "i", "C"]).toContain(e.ph);
  });
});
