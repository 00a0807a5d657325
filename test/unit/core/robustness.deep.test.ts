import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inspectCommand } from "../../../electron/cli/cli";
import { ingest } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { ModelBuilder } from "../../../shared/model/builder";
import { cutDeepValues, deeperThan, serialisableCopy, TOO_DEEP } from "../../../shared/model/depth";
import type { Format } from "../../../shared/formats/types";
import { readJsonRecords } from "../../../shared/ingest/records";
import { FORMATS } from "../../../shared/formats";
import { spans } from "../helpers";

/** `{"a":{"a":…1}}`: `depth` objects, one inside the other. */
const deep = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

const context =
  '{"nodeId":"n","runnerId":"r","pid":1,"instanceId":"i","modelId":"m","rank":0,"worldSize":1,"startLayer":0,"endLayer":1,"nLayers":1}';
const entry = (sec: number, phase: string, attrs: string) =>
  `{"at":"2026-04-24T22:03:5${sec}+00:00","phase":"${phase}","event":"enter","detail":null,"attrs":${attrs},"context":${context},"taskId":null,"commandId":null,"mlxMemory":null}`;

/** A flight recorder whose second entry carries attrs nested 5000 deep. */
const DEEP_JSONL =
  [entry(1, "load_model", "{}"), entry(2, "warmup", deep(5000)), entry(3, "idle", "{}")].join("\n") + "\n";
const OTLP = readFileSync("test/fixtures/upstream/otlp/opentelemetry-proto-example-trace.json");

/** Follows `key` from `v` n times. */
function follow(v: unknown, n: number, key = "a"): unknown {
  for (let i = 0; i < n; i++) v = (v as Record<string, unknown>)[key];
  return v;
}

describe("values nested thousands deep", () => {
  it("a flight-recorder entry 5000 deep loads, cut at 100 levels, with a warning naming its line", async () => {
    const r = await ingest([memorySource("fr.jsonl", DEEP_JSONL), memorySource("trace.json", OTLP)]);
    const fr = r.files.find((f) => f.path === "fr.jsonl")!;
    expect(fr.format).toBe("skulk.flight-recorder");
    expect(fr.records).toBe(3);
    expect(fr.errors).toEqual([]);
    expect(fr.warnings).toEqual(["line 2: values nested deeper than 100 levels were cut, shown as a marker"]);
    const warmup = spans(r.lanes.find((l) => l.info.source === "skulk")!).find((s) => s.name === "warmup")!;
    expect(warmup.line).toBe(2);
    // args (level 1) › attrs (level 2, the first of the 5000) › … › the 99th object at level 100.
    const attrs = warmup.args.attrs;
    expect(typeof follow(attrs, 98)).toBe("object");
    expect(follow(attrs, 99)).toBe(TOO_DEEP);
    // The file beside it is untouched.
    const otlp = r.files.find((f) => f.path === "trace.json")!;
    expect([otlp.format, otlp.records, otlp.errors, otlp.warnings]).toEqual(["otlp.traces", 1, [], []]);
  });

  it("a document with a value 5000 deep is read whole, the value cut", async () => {
    const doc = `{"traceEvents":[{"ph":"X","name":"a","ts":1,"dur":2,"pid":0,"tid":0,"args":${deep(5000)}},{"ph":"X","name":"b","ts":3,"dur":1,"pid":0,"tid":0}]}`;
    const r = await ingest([memorySource("t.json", doc)]);
    expect(r.files[0].records).toBe(2);
    expect(r.files[0].errors).toEqual([]);
    expect(r.files[0].warnings).toEqual([
      '"ts" is not an epoch time (it counts from boot or from zero): the trace starts near 1970-01-01',
      "line 1: values nested deeper than 100 levels were cut, shown as a marker",
    ]);
  });

  const dir = mkdtempSync(path.join(tmpdir(), "rankscope-deep-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("`rankscope inspect` exits 0 and prints every file, the deep one with its warning", async () => {
    writeFileSync(path.join(dir, "fr.jsonl"), DEEP_JSONL);
    writeFileSync(path.join(dir, "example-trace.json"), OTLP);
    let out = "";
    const code = await inspectCommand([dir, "--json"], (s) => (out += s));
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      files: { path: string; format: string; records: number; warnings: string[] }[];
      lanes: { source: string; spans: number }[];
    };
    const base = path.basename(dir);
    expect(report.files.map((f) => [f.path, f.format, f.records])).toEqual([
      [`${base}/example-trace.json`, "otlp.traces", 1],
      [`${base}/fr.jsonl`, "skulk.flight-recorder", 3],
    ]);
    expect(report.files[1].warnings).toEqual([
      "line 2: values nested deeper than 100 levels were cut, shown as a marker",
    ]);
    expect(report.lanes.map((l) => [l.source, l.spans]).sort()).toEqual([
      ["otlp", 1],
      ["skulk", 3],
    ]);
  });
});

describe("a failure inside one file's parse is that file's (or that record's) error", () => {
  const overflow = () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    return recurse(0);
  };
  /** A JSONL format whose record handler overflows the stack on records that say so. */
  const fragile: Format = {
    id: "chrome-trace",
    family: "trace",
    detect: (h) => (h.text.includes('"fragile"') ? 1 : 0),
    async parse(source, ctx) {
      await readJsonRecords(source, ctx.report, { keys: [] }, (v) => {
        if ((v as { boom?: boolean }).boom) overflow();
        ctx.report.records++;
      });
    },
  };

  it("a stack overflow in a record handler costs that record only", async () => {
    const text = '{"fragile":1}\n{"fragile":1,"boom":true}\n{"fragile":1}\n';
    const r = await ingest([memorySource("f.jsonl", text)], { formats: [fragile, ...FORMATS] });
    expect(r.files[0].records).toBe(2);
    expect(r.files[0].errors).toEqual([
      {
        line: 2,
        message:
          "record could not be read: values nested too deeply to read (Maximum call stack size exceeded)",
      },
    ]);
  });

  it("a finish() that throws fails the files that fed it, not the run", async () => {
    const shared: Format = {
      id: "rune.summary",
      family: "rune",
      detect: (h) => (h.text.startsWith("shared") ? 1 : 0),
      async parse(_source, ctx) {
        ctx.report.records = 1;
        ctx.shared("broken", () => ({
          finish() {
            throw undefined;
          },
        }));
      },
    };
    const r = await ingest(
      [
        memorySource("a.txt", "shared a\n"),
        memorySource("t.json", OTLP),
        memorySource("b.txt", "shared b\n"),
      ],
      { formats: [shared, ...FORMATS] },
    );
    expect(r.files.map((f) => [f.path, f.errors])).toEqual([
      ["a.txt", [{ message: "could not be finished: undefined" }]],
      ["t.json", []],
      ["b.txt", [{ message: "could not be finished: undefined" }]],
    ]);
    expect(r.lanes.map((l) => l.info.source)).toEqual(["otlp"]);
  });

  it("a directory format whose claim throws takes nothing; a file whose head cannot be read is reported", async () => {
    const gone = {
      ...memorySource("gone.json", "{}"),
      head: () => Promise.reject(new Error("EACCES: permission denied")),
    };
    const r = await ingest([gone, memorySource("t.json", OTLP)], {
      directoryFormats: [
        {
          id: "stormlog.sink",
          family: "stormlog",
          claim: () => Promise.reject(new RangeError("Maximum call stack size exceeded")),
          parse: async () => {},
        },
      ],
    });
    expect(r.files.map((f) => [f.path, f.format, f.records, f.errors])).toEqual([
      ["gone.json", "unknown", 0, [{ message: "could not be read: EACCES: permission denied" }]],
      ["t.json", "otlp.traces", 1, []],
    ]);
  });
});

describe("args serialisation", () => {
  const argsOf = (args: Record<string, unknown>) => {
    const b = new ModelBuilder();
    b.lane({ id: "l", label: "l", source: "trace", group: "g" }).span({
      start: 0,
      end: 1,
      name: "s",
      args,
      line: 4,
    });
    const lane = b.build()[0];
    return { text: lane.strings[lane.spans.args[0]], cuts: b.argsCuts.get(0) };
  };

  it("keeps 100 levels and marks the 101st", () => {
    const args = JSON.parse(deep(100)) as Record<string, unknown>;
    expect(argsOf(args)).toEqual({ text: deep(100), cuts: undefined });
    const deeper = JSON.parse(deep(101)) as Record<string, unknown>;
    expect(argsOf(deeper)).toEqual({
      text: '{"a":'.repeat(99) + `{"a":${JSON.stringify(TOO_DEEP)}}` + "}".repeat(99),
      cuts: { count: 1, line: 4 },
    });
  });

  it("writes BigInts as decimals and ends cycles instead of failing the file", () => {
    const cyclic: Record<string, unknown> = { n: 12345678901234567890n };
    cyclic.self = cyclic;
    const { text } = argsOf(cyclic);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed.n).toBe("12345678901234567890");
    // The args are level 1: the cycle is followed to level 100 and cut there.
    expect(follow(parsed, 99, "self")).toMatchObject({ n: "12345678901234567890" });
    expect(follow(parsed, 100, "self")).toBe(TOO_DEEP);
  });

  it("cuts in place and copies without recursion, at any depth", () => {
    const wide = JSON.parse(`[${deep(3)},${"[".repeat(200_000)}${"]".repeat(200_000)}]`) as unknown[];
    expect(deeperThan(wide, 4)).toBe(true);
    expect(deeperThan(wide[0], 3)).toBe(false);
    expect(serialisableCopy(wide, 3).cuts).toBe(2);
    expect(cutDeepValues(wide, 3)).toBe(2);
    expect(JSON.stringify(wide)).toBe(
      `[{"a":{"a":${JSON.stringify(TOO_DEEP)}}},[[${JSON.stringify(TOO_DEEP)}]]]`,
    );
  });
});
