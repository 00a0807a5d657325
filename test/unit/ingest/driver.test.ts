import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateCluster } from "../../../bench/generate";
import { build } from "esbuild";
import { ingestPaths, openNodeRef } from "../../../electron/host/ingestThreads";
import { walkPaths } from "../../../electron/host/fsSource";
import { driveIngest, type DriverHost, type UnitWorker } from "../../../shared/ingest/driver";
import { memorySource, type FileSource } from "../../../shared/ingest/source";
import { runJoin, runUnit } from "../../../shared/ingest/task";
import { partTargets, planUnits, type SourceRef } from "../../../shared/ingest/units";
import { readHead } from "../../../shared/ingest/head";
import { finalizeModel } from "../../../shared/model/dataset";
import { inspectReport } from "../../../shared/model/summary";
import type { LaneData } from "../../../shared/model/types";

/** Cut like a big import, at test sizes. */
const SMALL = { parallelMinBytes: 1, splitMinBytes: 40_000, partBytes: 25_000 };

function memoryRefs(files: Record<string, string>): {
  refs: SourceRef[];
  open: (r: SourceRef) => FileSource;
} {
  const sources = Object.entries(files).map(([p, c]) => memorySource(p, c));
  const refs = sources.map((s, index) => ({
    index,
    path: s.path,
    size: s.size,
    lastModified: 0,
    handle: index,
  }));
  return { refs, open: (r) => sources[r.handle as number] };
}

/** Workers that run units on later ticks in this thread, in the order the pool hands them out. */
function fakeThreads(
  open: (r: SourceRef) => FileSource,
  threads: number,
  log: string[] = [],
  gate: Promise<unknown> = Promise.resolve(),
): DriverHost {
  return {
    threads,
    open,
    spawn(): UnitWorker {
      let on: Parameters<UnitWorker["onEvent"]>[0] = () => {};
      let dead = false;
      return {
        run(task) {
          log.push(
            task.unit.kind === "part" ? `part ${task.unit.part}` : `files ${task.unit.files.join(",")}`,
          );
          void gate.then(() => setTimeout(() => void runUnit(task, open, (e) => !dead && on(e)), 1));
        },
        join(task) {
          log.push(`join ${task.groups.length}`);
          setTimeout(() => runJoin(task, (e) => !dead && on(e)), 1);
        },
        onEvent: (fn) => (on = fn),
        onFail: () => {},
        terminate: () => (dead = true),
      };
    },
  };
}

/** A lane's content as plain values with exact absolute ns, for comparing models. */
function plain(lane: LaneData) {
  const abs = (t: number) => (BigInt(lane.originSec) * 1_000_000_000n + BigInt(Math.round(t))).toString();
  const s = lane.spans;
  return {
    info: lane.info,
    spans: [...s.start].map((t, i) => [
      abs(t),
      abs(s.end[i]),
      lane.strings[s.name[i]],
      s.depth[i],
      s.flags[i],
      s.line[i],
    ]),
    markers: [...lane.markers.t].map((t, i) => [
      abs(t),
      lane.strings[lane.markers.name[i]],
      lane.markers.line[i],
    ]),
    counters: lane.counters.map((c) => [c.name, [...c.t].map(abs), [...c.v]]),
  };
}

function modelOf(r: Awaited<ReturnType<typeof driveIngest>>) {
  const m = finalizeModel(r);
  return { lanes: m.lanes.map(plain), report: inspectReport(m) };
}

/** One runner's flight recorder, long enough to split; tasks cross every part boundary. */
function flightRecorder(entries: number): string {
  const ctx = '{"nodeId":"n","runnerId":"r0","rank":0,"worldSize":1,"instanceId":"i","modelId":"m"}';
  const lines: string[] = [];
  let us = 0;
  const at = () => {
    const t = new Date(Date.UTC(2026, 3, 24, 22) + Math.floor(us / 1000)).toISOString().slice(0, 19);
    return `${t}.${String(us % 1_000_000).padStart(6, "0")}+00:00`;
  };
  for (let task = 0; lines.length < entries; task++) {
    for (const phase of ["prefill_barrier", "prefill_pipeline", "decode_barrier"]) {
      lines.push(`{"at":"${at()}","phase":"${phase}","event":"enter","taskId":"t${task}","context":${ctx}}`);
      us += 1_731;
      lines.push(`{"at":"${at()}","phase":"${phase}","event":"exit","taskId":"t${task}","context":${ctx}}`);
    }
    lines.push(
      `{"at":"${at()}","phase":"decode_stream","event":"enter","context":${ctx},"mlxMemory":{"active":{"inBytes":${task}}}}`,
    );
    for (let s = 0; s < 5; s++) {
      lines.push(`{"at":"${at()}","phase":"decode_stream","event":"generator_step_enter","context":${ctx}}`);
      us += 997;
      lines.push(`{"at":"${at()}","phase":"decode_stream","event":"generator_step_exit","context":${ctx}}`);
    }
    lines.push(`{"at":"${at()}","phase":"decode_stream","event":"exit","context":${ctx}}`);
    us += 5_000;
  }
  // Still in a barrier at the end, and one broken line in the middle of a later part.
  lines.splice(Math.floor(lines.length * 0.8), 0, '{"at": broken');
  lines.push(`{"at":"${at()}","phase":"decode_barrier","event":"enter","context":${ctx}}`);
  return lines.join("\n") + "\n";
}

/**
 * A flight recorder as Skulk writes it: each entry carries the runner's mlxMemory snapshot,
 * taken 40 µs before the entry, and consecutive entries often carry the same snapshot.
 */
function recorderWithMemory(entries: number): string {
  const ctx = '{"nodeId":"n","runnerId":"r0","rank":0,"worldSize":1,"instanceId":"i","modelId":"m"}';
  const iso = (us: number) => {
    const t = new Date(Date.UTC(2026, 3, 24, 22) + Math.floor(us / 1000)).toISOString().slice(0, 19);
    return `${t}.${String(us % 1_000_000).padStart(6, "0")}+00:00`;
  };
  const lines: string[] = [];
  let us = 0;
  let snap = "";
  for (let i = 0; lines.length < entries; i++) {
    const phase = ["prompt_build", "kv_cache_lookup", "prefill_barrier", "decode_barrier"][i % 4];
    for (const event of ["enter", "exit"]) {
      if (lines.length % 3 === 0)
        snap = `{"generatedAt":"${iso(us - 40)}","active":{"inBytes":${1000 + (lines.length % 7)}}}`;
      lines.push(
        `{"at":"${iso(us)}","phase":"${phase}","event":"${event}","taskId":"t${i}","context":${ctx},"mlxMemory":${snap}}`,
      );
      us += 1_000 + (i % 5) * 211;
    }
  }
  return lines.join("\n") + "\n";
}

describe("planning units", () => {
  it("one unit for a small import; directories whole and big line files in parts for a big one", async () => {
    const { refs, open } = memoryRefs({
      "a/big.jsonl": flightRecorder(1200),
      "a/diag.json": '{"x": 1}',
      "b/one.jsonl": flightRecorder(20),
    });
    const sources = refs.map(open);
    const headOf = (s: FileSource) => readHead(s);
    expect(await planUnits(sources, 2, headOf)).toEqual([
      { kind: "files", files: [0, 1, 2], bytes: expect.any(Number) },
    ]);
    const units = await planUnits(sources, 2, headOf, SMALL);
    const parts = units.filter((u) => u.kind === "part");
    expect(parts.length).toBeGreaterThan(3);
    const big = sources[0];
    const text = new TextDecoder().decode(await big.bytes());
    let at = 0;
    for (const p of [...parts].sort((x, y) => x.start - y.start)) {
      expect(p.start).toBe(at);
      if (p.start > 0) expect(text[p.start - 1]).toBe("\n");
      at = p.end;
    }
    expect(at).toBe(big.size);
    expect(units.filter((u) => u.kind === "files").map((u) => (u.kind === "files" ? u.files : []))).toEqual(
      expect.arrayContaining([[1], [2]]),
    );
  });

  it("cuts parts of about partBytes, at least one per worker, and the last ones smaller", () => {
    const sizes = (from: number, to: number, workers: number, partBytes: number) => {
      const cuts = [from, ...partTargets(from, to, workers, partBytes), to];
      return cuts.slice(1).map((c, i) => c - cuts[i]);
    };
    // 339 MB for 2 workers in 64 MB parts: four whole ones, then the rest in four.
    const mb = 2 ** 20;
    const trace = sizes(0, 339 * mb, 2, 64 * mb);
    expect(trace.slice(0, 4)).toEqual([64 * mb, 64 * mb, 64 * mb, 64 * mb]);
    expect(trace.slice(4).every((n) => Math.abs(n - (83 * mb) / 4) <= 1)).toBe(true);
    for (const [from, to, workers, part] of [
      [0, 339 * mb, 2, 64 * mb],
      [100, 10_000, 4, 64 * mb],
      [0, 7, 2, 1],
      [5, 5_000_000, 1, 250_000],
    ]) {
      const s = sizes(from, to, workers, part);
      expect(s.every((n) => n > 0)).toBe(true);
      expect(s.reduce((a, b) => a + b, 0)).toBe(to - from);
      expect(s.length).toBeGreaterThanOrEqual(Math.min(workers, to - from));
      expect(Math.max(...s)).toBeLessThanOrEqual(Math.ceil(Math.min(part, (to - from) / workers)));
      expect(s[s.length - 1]).toBeLessThanOrEqual(s[0] + 1);
    }
  });

  it("cuts no file when many big ones keep every worker busy, only one big beside the rest", async () => {
    const files: Record<string, string> = {};
    for (let r = 0; r < 8; r++)
      files[`node-${r % 4}/rank-${r}.jsonl`] = flightRecorder(1200).replaceAll('"r0"', `"r${r}"`);
    const many = memoryRefs(files);
    const headOf = (s: FileSource) => readHead(s);
    const units = await planUnits(many.refs.map(many.open), 2, headOf, SMALL);
    expect(units.map((u) => u.kind)).toEqual(["files", "files", "files", "files"]);
    // The same files beside one eight times their size: that one is cut.
    const big = memoryRefs({ ...files, "trace/huge.jsonl": flightRecorder(9600) });
    const mixed = await planUnits(big.refs.map(big.open), 2, headOf, SMALL);
    const parts = mixed.filter((u) => u.kind === "part");
    expect(parts.length).toBeGreaterThan(3);
    expect(new Set(parts.map((u) => (u.kind === "part" ? u.file : -1)))).toEqual(new Set([8]));
  });
});

describe("the driver", () => {
  it("builds the same model from 1 worker or 2, with a big file split in parts", async () => {
    const files = {
      "run/rank0.jsonl": flightRecorder(3000),
      "run/other/rank1.jsonl": flightRecorder(300).replaceAll('"r0"', '"r1"'),
    };
    const { refs, open } = memoryRefs(files);
    const one = modelOf(await driveIngest(refs, { threads: 1, open }));
    const log: string[] = [];
    const two = modelOf(await driveIngest(refs, fakeThreads(open, 2, log), { limits: SMALL }));
    expect(log.filter((l) => l.startsWith("part")).length).toBeGreaterThan(3);
    expect(two.lanes).toEqual(one.lanes);
    expect(two.report.files).toEqual(one.report.files);
    // The broken line keeps its own line number, though a later part read it.
    const errors = two.report.files[0].errors;
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(
      files["run/rank0.jsonl"].split("\n").findIndex((l) => l === '{"at": broken') + 1,
    );
    // The barrier left open at the end is still open, and one span.
    const lane = two.lanes.find((l) => l.info.id === "skulk:r0")!;
    expect(lane.spans.filter((s) => (s[4] as number) & 1)).toHaveLength(1);
  });

  it("a real recorder cut at any seam: the single reader's model, memory samples included", async () => {
    const { refs, open } = memoryRefs({ "run/rank0.jsonl": recorderWithMemory(3000) });
    const one = modelOf(await driveIngest(refs, { threads: 1, open }));
    const log: string[] = [];
    const two = modelOf(await driveIngest(refs, fakeThreads(open, 2, log), { limits: SMALL }));
    expect(log.filter((l) => l.startsWith("part")).length).toBeGreaterThan(20);
    expect(two.lanes).toEqual(one.lanes);
    expect(one.lanes[0].counters[0][1].length).toBeLessThan(3000);
  });

  it("the same model from real files, split by directory across worker threads' units", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-driver-")), "cluster");
    await generateCluster(dir, { nodes: 2, ranksPerNode: 2, entriesPerRank: 400, seed: 3 });
    const { sources } = await walkPaths([dir]);
    const refs = sources.map((s, index) => ({
      index,
      path: s.path,
      size: s.size,
      lastModified: s.lastModified,
      handle: s.absolutePath,
    }));
    const one = modelOf(await driveIngest(refs, { threads: 1, open: openNodeRef }));
    const two = modelOf(
      await driveIngest(refs, fakeThreads(openNodeRef, 2), { limits: { ...SMALL, splitMinBytes: 1e12 } }),
    );
    expect(two.lanes).toEqual(one.lanes);
    expect(two.report).toEqual(one.report);
  });

  it("runs on real worker threads, with the same model", async () => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-threads-")), "ingestWorker.cjs");
    await build({
      entryPoints: [path.resolve(__dirname, "../../../electron/ingestWorker.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: script,
      external: ["sql.js"],
      logLevel: "warning",
    });
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-driver-")), "run");
    mkdirSync(path.join(dir, "b"), { recursive: true });
    mkdirSync(path.join(dir, "c"), { recursive: true });
    writeFileSync(path.join(dir, "rank0.jsonl"), flightRecorder(3000));
    writeFileSync(path.join(dir, "b", "rank1.jsonl"), flightRecorder(500).replaceAll('"r0"', '"r1"'));
    // A trace of three threads in parts: its lanes are joined on the worker threads.
    writeFileSync(path.join(dir, "c", "trace.json"), chromeTrace(4000));
    const one = await ingestPaths([dir], script, { threads: 1 });
    const two = await ingestPaths([dir], script, { threads: 2, limits: SMALL });
    expect(modelOf(two).lanes).toEqual(modelOf(one).lanes);
    expect(modelOf(two).report).toEqual(modelOf(one).report);
    // Nothing handed to a worker is left in the result: a host can post it on as it is.
    expect(() => structuredClone(two)).not.toThrow();
  });

  it("shows a first picture from the heads, then lanes as units finish, and ends with all of them", async () => {
    const files: Record<string, string> = {};
    for (let r = 0; r < 4; r++)
      files[`d${r}/rank${r}.jsonl`] = flightRecorder(2500).replaceAll('"r0"', `"r${r}"`);
    const { refs, open } = memoryRefs(files);
    const pictures: { lanes: number; items: number; changed: number }[] = [];
    // The workers wait for the first picture, as real ones would still be reading.
    let open1: () => void = () => {};
    const firstPicture = new Promise<void>((ok) => (open1 = ok));
    const result = await driveIngest(refs, fakeThreads(open, 2, [], firstPicture), {
      limits: { ...SMALL, splitMinBytes: 1e12 },
      onLanes: (lanes, _lods, changed) => {
        pictures.push({
          lanes: lanes.length,
          items: lanes.reduce((n, l) => n + l.spans.start.length, 0),
          changed: changed.size,
        });
        open1();
      },
    });
    expect(pictures[0]).toMatchObject({ lanes: 4, changed: 4 });
    expect(pictures.every((p) => p.lanes === 4)).toBe(true);
    const items = result.lanes.reduce((n, l) => n + l.spans.start.length, 0);
    expect(pictures[0].items).toBeLessThan(items);
    expect(pictures.map((p) => p.items)).toEqual([...pictures.map((p) => p.items)].sort((a, b) => a - b));
    expect(result.lanes).toHaveLength(4);
  });

  it("fetches the first picture's heads before the workers start, and starts them anyway when a head hangs", async () => {
    const files: Record<string, string> = {};
    for (let r = 0; r < 4; r++)
      files[`d${r}/rank${r}.jsonl`] = flightRecorder(1500).replaceAll('"r0"', `"r${r}"`);
    const { refs, open } = memoryRefs(files);
    const run = async (hang: boolean) => {
      const log: string[] = [];
      // The heads the driver has read (its thread's sources) are logged; the fake workers' are not.
      const mine = (r: SourceRef): FileSource => {
        const s = open(r);
        return {
          ...s,
          head: (n) =>
            hang && r.index === 2 && n <= 16 * 1024
              ? new Promise<Uint8Array>(() => {})
              : s.head(n).then((bytes) => (log.push(`head ${r.path}`), bytes)),
        };
      };
      const result = await driveIngest(
        refs,
        { ...fakeThreads(open, 2, log), open: mine },
        {
          limits: { ...SMALL, splitMinBytes: 1e12 },
          onLanes: () => {},
        },
      );
      return { log, lanes: result.lanes.length };
    };
    const quick = await run(false);
    const firstRun = quick.log.findIndex((l) => l.startsWith("files"));
    expect(quick.log.slice(0, firstRun).filter((l) => l.startsWith("head"))).toHaveLength(4);
    expect(quick.lanes).toBe(4);
    const stuck = await run(true);
    expect(stuck.log.filter((l) => l.startsWith("files"))).toHaveLength(4);
    expect(stuck.lanes).toBe(4);
  });

  it("draws no picture of a split file once every part is in: the result follows at once", async () => {
    const files = { "run/rank0.jsonl": flightRecorder(3000) };
    const { refs, open } = memoryRefs(files);
    const pictures: number[] = [];
    const result = await driveIngest(refs, fakeThreads(open, 2), {
      limits: SMALL,
      onLanes: (lanes) => pictures.push(lanes.reduce((n, l) => n + l.spans.start.length, 0)),
    });
    const items = result.lanes.reduce((n, l) => n + l.spans.start.length, 0);
    // The heads' picture only: the parts are joined once, for the result.
    expect(pictures.length).toBeGreaterThan(0);
    expect(Math.max(...pictures)).toBeLessThan(items);
  });

  it("cancel stops every worker and returns nothing", async () => {
    const files: Record<string, string> = {};
    for (let r = 0; r < 6; r++)
      files[`d${r}/rank${r}.jsonl`] = flightRecorder(600).replaceAll('"r0"', `"r${r}"`);
    const { refs, open } = memoryRefs(files);
    const abort = new AbortController();
    const log: string[] = [];
    const run = driveIngest(refs, fakeThreads(open, 2, log), {
      limits: { ...SMALL, splitMinBytes: 1e12 },
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(log.length).toBeLessThan(6);
  });

  it("a worker that dies fails the import with its reason", async () => {
    const { refs, open } = memoryRefs({ "a/x.jsonl": flightRecorder(50), "b/y.jsonl": flightRecorder(50) });
    const host: DriverHost = {
      threads: 2,
      open,
      spawn: () => {
        let fail: (m: string) => void = () => {};
        return {
          run: () => setTimeout(() => fail("an ingest worker stopped (exit code 134)"), 1),
          join: () => {},
          onEvent: () => {},
          onFail: (fn) => (fail = fn),
          terminate: () => {},
        };
      },
    };
    await expect(driveIngest(refs, host, { limits: SMALL })).rejects.toThrow(/exit code 134/);
  });
});

/**
 * A Chrome trace as profilers write it: an envelope, then one event per line. Thread 0's
 * events all lie inside one long span, so a part read after the first sees them nested in a
 * span that began in another part.
 */
function chromeTrace(events: number, kinetoBase?: string): string {
  const lines: string[] = [];
  const first = kinetoBase ? "0.000" : "1777000000000000";
  lines.push(`{"ph":"X","name":"run","pid":1,"tid":0,"ts":${first},"dur":${events * 37 + 100}}`);
  for (let i = 0; i < events; i++) {
    const tid = i % 3;
    const ts = kinetoBase ? (i * 37.125).toFixed(3) : (1_777_000_000_000_000 + i * 37).toString();
    if (i % 5 === 4)
      lines.push(
        `{"ph":"C","name":"mem","id":"${tid}","pid":1,"tid":${tid},"ts":${ts},"args":{"bytes":${i}}}`,
      );
    else
      lines.push(
        `{"ph":"X","name":"step ${i % 7}","pid":1,"tid":${tid},"ts":${ts},"dur":30.5,"args":{"i":${i}}}`,
      );
  }
  const meta = '{"ph":"M","name":"thread_name","pid":1,"tid":0,"args":{"name":"main"}}';
  const head = kinetoBase
    ? `{\n"schemaVersion": 1,\n"traceEvents": [\n`
    : `{"displayTimeUnit": "ns", "traceEvents": [\n`;
  const tail = kinetoBase
    ? `\n],\n"baseTimeNanoseconds": ${kinetoBase},\n"traceName": "t.json"\n}\n`
    : "\n]}\n";
  return head + [meta, ...lines].join(",\n") + tail;
}

describe("a big Chrome trace document", () => {
  for (const [name, base] of [
    ["on the epoch clock", undefined],
    ["of Kineto, its base time after the events", "1721065959525586016"],
  ] as const) {
    it(`${name}: cut between events across workers, the same model as one reader`, async () => {
      const { refs, open } = memoryRefs({ "trace.json": chromeTrace(4000, base) });
      const one = modelOf(await driveIngest(refs, { threads: 1, open }));
      const log: string[] = [];
      const two = modelOf(
        await driveIngest(refs, fakeThreads(open, 2, log), { limits: { ...SMALL, splitMinBytes: 100_000 } }),
      );
      expect(log.filter((l) => l.startsWith("part")).length).toBeGreaterThan(3);
      // Its three threads' lanes are joined on both workers, not in the driver's thread.
      expect(log.filter((l) => l.startsWith("join")).sort()).toEqual(["join 1", "join 2"]);
      expect(two.lanes).toEqual(one.lanes);
      expect(two.report.files).toEqual(one.report.files);
      // The thread's name, which only the first part holds, names the merged lane.
      expect(JSON.stringify(two.lanes.map((l) => l.info))).toContain('"main"');
    });
  }

  it("events longer than the first window read at a cut: cut after them, the same model", async () => {
    // Every event is ~150 KB: a cut lands inside one, and its end is past the first 64 KiB.
    const pad = "x".repeat(150_000);
    const events = Array.from(
      { length: 40 },
      (_, i) =>
        `{"ph":"X","name":"s${i % 3}","pid":1,"tid":0,"ts":${1_777_000_000_000_000 + i * 100},"dur":50,"args":{"pad":"${pad}"}}`,
    );
    const { refs, open } = memoryRefs({ "trace.json": `{"traceEvents": [\n${events.join(",\n")}\n]}\n` });
    const one = modelOf(await driveIngest(refs, { threads: 1, open }));
    const log: string[] = [];
    const limits = { parallelMinBytes: 1, splitMinBytes: 100_000, partBytes: 1_000_000 };
    const two = modelOf(await driveIngest(refs, fakeThreads(open, 2, log), { limits }));
    expect(log.filter((l) => l.startsWith("part")).length).toBeGreaterThan(3);
    expect(two.lanes).toEqual(one.lanes);
    expect(two.lanes[0].spans).toHaveLength(40);
  });
});
