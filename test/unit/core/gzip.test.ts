import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipAware } from "../../../shared/ingest/gzip";
import { memorySource } from "../../../shared/ingest/source";
import { inspectReport } from "../../../shared/model/summary";
import { ingestFiles } from "../helpers";

const UPSTREAM = path.join(__dirname, "../../fixtures/upstream");
const read = (rel: string) => new Uint8Array(readFileSync(path.join(UPSTREAM, rel)));
const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));

async function collect(it: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts).toString("utf8");
}

/** What a user sees of one input, minus its path. */
async function seen(name: string, bytes: Uint8Array, chunk?: number) {
  const report = inspectReport(await ingestFiles({ [name]: bytes }, chunk));
  // A file's name shows in its report's path and in the run it makes (an OTLP export's run).
  return {
    ...report,
    files: report.files.map(({ path: _p, ...f }) => f),
    runs: report.runs.map(({ id: _i, label: _l, ...r }) => r),
  };
}

describe("gzipped input", () => {
  it("a source reads as its decompressed bytes, in chunks, as a head and whole", async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `{"i":${i}}`).join("\n");
    const src = gzipAware(memorySource("a.bin", gz(new TextEncoder().encode(text)), 0, 97));
    expect(await collect(src.chunks())).toBe(text);
    expect(new TextDecoder().decode(await src.head(10))).toBe(text.slice(0, 10));
    expect(new TextDecoder().decode(await src.bytes())).toBe(text);
    // Plain bytes pass through untouched; path and size stay the file's own.
    const plain = gzipAware(memorySource("b.json", "[1,2]"));
    expect(new TextDecoder().decode(await plain.head(64))).toBe("[1,2]");
    expect([src.path, src.size]).toEqual(["a.bin", gz(new TextEncoder().encode(text)).length]);
  });

  it("a gzipped stormlog export and a gzipped OTLP file read exactly as the plain ones, whatever the name", async () => {
    for (const rel of ["stormlog/generated/rank1.json", "otlp/otlp2parquet-traces.jsonl"]) {
      const plain = read(rel);
      const expected = await seen(path.basename(rel), plain);
      expect(expected.files[0].format).not.toBe("unknown");
      expect(expected.lanes.length).toBeGreaterThan(0);
      // Detected by the magic bytes, not by ".gz"; streamed in small compressed chunks.
      expect(await seen("x.bin", gz(plain), 512)).toEqual(expected);
    }
  });

  it("the report keeps the real path of a .gz file", async () => {
    const m = await ingestFiles({ "runs/rank1.json.gz": gz(read("stormlog/generated/rank1.json")) });
    expect(m.files[0].path).toBe("runs/rank1.json.gz");
    expect(m.files[0].format).toBe("stormlog.events");
    expect(m.files[0].records).toBe(23);
  });

  it("a cut-off gzip keeps the records before the cut, errs on that file, and spares the others", async () => {
    const jsonl = read("otlp/otlp2parquet-traces.jsonl");
    const whole = gz(jsonl);
    const m = await ingestFiles({
      "cut.jsonl.gz": whole.subarray(0, Math.floor(whole.length * 0.6)),
      "ok/rank1.json": read("stormlog/generated/rank1.json"),
    });
    const cut = m.files.find((f) => f.path === "cut.jsonl.gz")!;
    expect(cut.format).toBe("otlp.traces");
    expect(cut.errors.map((e) => e.message).join("\n")).toMatch(/gzip data is damaged or cut off/);
    expect(cut.records).toBeGreaterThan(0);
    expect(cut.records).toBeLessThan(19);
    expect(m.lanes.some((l) => l.info.source === "otlp")).toBe(true);
    expect(m.files.find((f) => f.path === "ok/rank1.json")!.records).toBe(23);
  });

  it("corrupt compressed bytes are an error on the file, never a throw", async () => {
    const bad = gz(read("otlp/otlp2parquet-traces.jsonl"));
    for (let i = 2000; i < 2100; i++) bad[i] ^= 0x5a;
    const m = await ingestFiles({ "bad.gz": bad });
    expect(m.files).toHaveLength(1);
    expect(m.files[0].errors.length).toBeGreaterThan(0);
  });

  it("a gzipped file that is not telemetry says what it holds, not 'binary file'", async () => {
    const m = await ingestFiles({ "notes.gz": gz(new TextEncoder().encode("just some notes\n")) });
    expect(m.files[0].format).toBe("unknown");
    expect(m.files[0].warnings).toEqual(["not a telemetry format Rankscope knows"]);
  });
});
