import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../shared/formats";
import { HEAD_BYTES, headIsEnough, MAX_HEAD_BYTES, readHead } from "../../../shared/ingest/head";
import { MAX_RECORD_CHARS } from "../../../shared/ingest/limits";
import { ingest } from "../../../shared/ingest/pipeline";
import { memorySource, type FileSource } from "../../../shared/ingest/source";
import { forEachLine, type Line } from "../../../shared/ingest/text";
import { spans } from "../helpers";

const enc = new TextEncoder();
const MiB = 1 << 20;

/** Text pieces, some repeated many times: a file of any size, generated as it is read. */
type Piece = string | { repeat: string; times: number };

function generated(path: string, pieces: Piece[]): FileSource {
  const bytesOf = (p: Piece) => (typeof p === "string" ? p.length : p.repeat.length * p.times);
  async function* chunks() {
    for (const p of pieces) {
      if (typeof p === "string") yield enc.encode(p);
      else {
        const block = enc.encode(p.repeat);
        for (let i = 0; i < p.times; i++) yield block;
      }
    }
  }
  return {
    path,
    size: pieces.reduce((n, p) => n + bytesOf(p), 0),
    lastModified: 0,
    chunks,
    async head(n) {
      const out = new Uint8Array(n);
      let at = 0;
      for await (const c of chunks()) {
        const take = Math.min(c.length, n - at);
        out.set(c.subarray(0, take), at);
        at += take;
        if (at >= n) break;
      }
      return out.subarray(0, at);
    },
    async bytes() {
      throw new Error("never read whole");
    },
  };
}

const context =
  '"context":{"nodeId":"n","runnerId":"r","pid":1,"instanceId":"i","modelId":"m","rank":0,"worldSize":1,"startLayer":0,"endLayer":1,"nLayers":1}';
const two = (n: number) => String(n).padStart(2, "0");
/** The i-th second's flight-recorder entry; `pad` goes last, after every key detection looks for. */
const entry = (i: number, phase: string, pad = "") =>
  `{"at":"2026-04-24T${two(10 + Math.floor(i / 3600))}:${two(Math.floor(i / 60) % 60)}:${two(i % 60)}+00:00","phase":"${phase}","event":"enter","detail":null,"attrs":{},${context},"taskId":null,"commandId":null,"mlxMemory":null${pad}}`;
const PHASES = ["load_model", "warmup", "prefill_stream", "decode_stream", "idle"];
const OTLP = readFileSync("test/fixtures/upstream/otlp/opentelemetry-proto-example-trace.json");
const X_MiB = { repeat: "x".repeat(MiB), times: 70 };

describe("a record over the 64 MiB limit is refused unassembled; the rest loads", () => {
  it("in JSON Lines: line 3 of 5 is 70 MiB", { timeout: 60_000 }, async () => {
    const file = generated("big.jsonl", [
      entry(1, "load_model") + "\n" + entry(2, "warmup") + "\n",
      entry(3, "prefill_stream", ',"pad":"').slice(0, -1),
      X_MiB,
      '"}\n' + entry(4, "decode_stream") + "\n" + entry(5, "idle") + "\n",
    ]);
    const r = await ingest([file, memorySource("t.json", OTLP)]);
    const big = r.files[0];
    const chars = entry(3, "prefill_stream", ',"pad":"').length - 1 + 70 * MiB + 2;
    expect(big.format).toBe("skulk.flight-recorder");
    expect(big.records).toBe(4);
    expect(big.errors).toEqual([
      {
        line: 3,
        message: `record of ${Math.round(chars / 1e6)} MB at line 3 exceeds the 64 MiB record limit; skipped`,
      },
    ]);
    expect(r.files[1].records).toBe(1);
  });

  it("in a JSON array: the second element", { timeout: 60_000 }, async () => {
    const file = generated("big.json", [
      "[\n" + entry(1, "load_model") + ",\n",
      entry(2, "warmup", ',"pad":"').slice(0, -1),
      X_MiB,
      '"},\n' + entry(3, "idle") + "\n]\n",
    ]);
    const r = await ingest([file]);
    expect(r.files[0].records).toBe(2);
    expect(r.files[0].errors.map((e) => e.line)).toEqual([3]);
    expect(r.files[0].errors[0].message).toMatch(
      /^record of 73 MB at line 3 exceeds the 64 MiB record limit/,
    );
  });

  it(
    "a single 70 MiB record, its first line over the head, then more lines",
    { timeout: 60_000 },
    async () => {
      const file = generated("one.jsonl", [
        entry(1, "load_model", ',"pad":"').slice(0, -1),
        X_MiB,
        '"}\n' + entry(2, "warmup") + "\n" + entry(3, "idle") + "\n",
      ]);
      const r = await ingest([file]);
      expect(r.files[0].format).toBe("skulk.flight-recorder");
      expect(r.files[0].records).toBe(2);
      expect(r.files[0].errors.map((e) => e.line)).toEqual([1]);
    },
  );

  it("a line-based text format stops at the long line with the line named", async () => {
    const scrape = (w: number) => `omnirt_queue_depth{instance="w${w}",job="omnirt"} 1.0\n`;
    const file = generated("metrics.prom", [
      scrape(0) + scrape(1),
      { repeat: "# " + "x".repeat(MiB - 2), times: 70 },
      "\n" + scrape(2),
    ]);
    const r = await ingest([file, memorySource("t.json", OTLP)]);
    expect(r.files[0].format).toBe("prometheus.text");
    expect(r.files[0].records).toBe(2);
    expect(r.files[0].errors).toEqual([
      {
        message:
          "could not be read: line 3 is 73 MB long, over the 64 MiB line limit; the lines after it were not read",
      },
    ]);
    expect(r.files[1].records).toBe(1);
  });
});

describe("detection sees the first record whole, wherever it ends", () => {
  const padded = (sec: number, phase: string, kib: number) =>
    entry(sec, phase, `,"pad":"${"x".repeat(kib << 10)}"`);

  it("a JSON Lines file whose first record is 100 KiB", async () => {
    const rest = Array.from({ length: 2000 }, (_, i) => entry(i + 1, PHASES[(i + 1) % 5]));
    const text = [padded(0, "load_model", 100), ...rest].join("\n") + "\n";
    // 64 KiB holds not even the first record; 256 KiB holds it and the line after it.
    const head = await readHead(memorySource("x", text));
    expect(head.bytes.length).toBe(4 * HEAD_BYTES);
    expect(detectFormat(head).format?.id).toBe("skulk.flight-recorder");
    const r = await ingest([memorySource("fr.jsonl", text)]);
    expect([r.files[0].format, r.files[0].records, r.files[0].errors]).toEqual([
      "skulk.flight-recorder",
      2001,
      [],
    ]);
  });

  it("a JSON Lines file whose first record's keys come after 100 KiB", async () => {
    const first = `{"pad":"${"x".repeat(100 << 10)}",` + entry(0, "load_model").slice(1);
    const text = [first, ...PHASES.slice(1).map((p, i) => entry(i + 1, p))].join("\n") + "\n";
    const r = await ingest([memorySource("fr.jsonl", text)]);
    expect([r.files[0].format, r.files[0].records]).toEqual(["skulk.flight-recorder", 5]);
  });

  it("a JSON Lines file after 250 KB of blank lines", async () => {
    const text = "\n \r\n\t".repeat(50_000) + PHASES.map((p, i) => entry(i, p)).join("\n") + "\n";
    const head = await readHead(memorySource("x", text));
    expect(head.text.startsWith('\t{"at"')).toBe(true);
    const r = await ingest([memorySource("fr.jsonl", text)]);
    expect([r.files[0].format, r.files[0].records, r.files[0].errors]).toEqual([
      "skulk.flight-recorder",
      5,
      [],
    ]);
    // Lines are still the file's own: two newlines per blank unit, so the first record is on line 100001.
    expect(r.lanes[0].spans.line[0]).toBe(100_001);
  });

  it(
    "a JSON Lines file whose first record is 20 MiB, longer than any head",
    { timeout: 30_000 },
    async () => {
      const text = [
        padded(0, "load_model", 20 << 10),
        ...PHASES.slice(1).map((p, i) => entry(i + 1, p)),
      ].join("\n");
      const r = await ingest([memorySource("fr.jsonl", text + "\n")]);
      expect([r.files[0].format, r.files[0].records, r.files[0].errors]).toEqual([
        "skulk.flight-recorder",
        5,
        [],
      ]);
    },
  );

  it("OTLP JSON Lines whose first batch is 20 MiB: every span once", { timeout: 30_000 }, async () => {
    const batch = (i: number, value: string) =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    spanId: `s${i}`,
                    name: "op",
                    startTimeUnixNano: `${1776988800 + i}000000000`,
                    endTimeUnixNano: `${1776988800 + i}500000000`,
                    attributes: [{ key: "blob", value: { stringValue: value } }],
                  },
                ],
              },
            ],
          },
        ],
      });
    const text = [batch(0, "x".repeat(20 * MiB)), batch(1, "a"), batch(2, "b")].join("\n") + "\n";
    const r = await ingest([memorySource("traces.jsonl", text)]);
    expect(r.files[0].format).toBe("otlp.traces");
    expect(r.files[0].errors).toEqual([]);
    expect(r.lanes.map((l) => l.spans.start.length)).toEqual([3]);
    expect([...r.lanes[0].spans.line]).toEqual([1, 2, 3]);
  });

  it("a pretty-printed document's head stays 64 KiB; a huge first element is read whole", async () => {
    const doc = JSON.stringify({ entries: PHASES.map((p, i) => JSON.parse(entry(i, p))) }, null, 2);
    const big = doc + " ".repeat(200 << 10);
    expect((await readHead(memorySource("x", big))).bytes.length).toBe(HEAD_BYTES);
    const records = [
      JSON.parse(padded(0, "load_model", 300)),
      ...Array.from({ length: 4000 }, (_, i) => JSON.parse(entry(i + 1, "idle"))),
    ];
    const head = await readHead(memorySource("x", JSON.stringify(records, null, 2)));
    // 64 and 256 KiB end inside the 300 KiB first element; 1 MiB holds it.
    expect(head.bytes.length).toBe(16 * HEAD_BYTES);
    expect(detectFormat(head).format?.id).toBe("skulk.flight-recorder");
  });

  it("reads on at most 16 MiB, and binary files not at all", async () => {
    expect(MAX_HEAD_BYTES).toBe(16 * MiB);
    const endless = generated("x", ['{"a":"', { repeat: "x".repeat(MiB), times: 40 }]);
    expect((await readHead(endless)).bytes.length).toBe(MAX_HEAD_BYTES);
    const binary = new Uint8Array(1 * MiB).fill(0x41);
    binary[10] = 0;
    expect((await readHead(memorySource("x", binary))).bytes.length).toBe(HEAD_BYTES);
  });

  it("headIsEnough: content, two whole lines, or a JSON document's first record", () => {
    expect(headIsEnough("  \n\n")).toBe(false);
    expect(headIsEnough("# HELP x\n")).toBe(false);
    expect(headIsEnough("# HELP x\nx 1\n")).toBe(true);
    expect(headIsEnough('{"a":1}\n')).toBe(false);
    expect(headIsEnough('{"a":1}\n{"a":')).toBe(false);
    expect(headIsEnough('{"a":1}\n{"a":2}\n')).toBe(true);
    expect(headIsEnough('{"traceEvents":[{"ph":"X","name":"a}"}')).toBe(true);
    expect(headIsEnough('{"traceEvents":[{"ph":"X","name":"a}\\"')).toBe(false);
    expect(headIsEnough('[\n  {\n    "at": "2026"')).toBe(false);
    expect(headIsEnough('[\n  {\n    "at": "2026"\n  },')).toBe(true);
  });

  it("the record limit is 64 MiB", () => {
    expect(MAX_RECORD_CHARS).toBe(64 * MiB);
  });
});

describe("lines", () => {
  const lines = async (content: string | Uint8Array, chunk: number, maxLineChars?: number) => {
    const out: (Line | { tooLong: number; chars: number })[] = [];
    await forEachLine(memorySource("x", content, 0, chunk), (l) => out.push(l), undefined, {
      maxLineChars,
      onTooLong: (number, chars) => out.push({ tooLong: number, chars }),
    });
    return out;
  };

  it("are whole across any chunking, CR LF split between chunks included", async () => {
    const text = "alpha\r\nbeta is longer than a chunk\r\n\r\ngamma";
    for (const chunk of [1, 2, 3, 7, 100])
      expect(await lines(text, chunk)).toEqual([
        { text: "alpha", number: 1, terminated: true },
        { text: "beta is longer than a chunk", number: 2, terminated: true },
        { text: "", number: 3, terminated: true },
        { text: "gamma", number: 4, terminated: false },
      ]);
  });

  it("over the limit are counted, not built, and the next line is read", async () => {
    expect(await lines("short\n0123456789AB\nnext\n0123456789ABC", 4, 12)).toEqual([
      { text: "short", number: 1, terminated: true },
      { text: "0123456789AB", number: 2, terminated: true },
      { text: "next", number: 3, terminated: true },
      { tooLong: 4, chars: 13 },
    ]);
  });

  it("without a handler, a long line ends the read with its number", async () => {
    const seen: number[] = [];
    const read = forEachLine(
      memorySource("x", "ok\n" + "y".repeat(40) + "\nlater\n", 0, 8),
      (l) => seen.push(l.number),
      undefined,
      {
        maxLineChars: 16,
      },
    );
    await expect(read).rejects.toThrow("line 2 is 40 bytes long, over the 16 bytes line limit");
    expect(seen).toEqual([1]);
  });
});

describe("bytes that are not UTF-8", () => {
  const bytes = (...parts: (string | number[])[]) => {
    const out: number[] = [];
    for (const p of parts) out.push(...(typeof p === "string" ? enc.encode(p) : p));
    return Uint8Array.from(out);
  };

  it("inside a string are read as U+FFFD; outside one, that record is the error; the file says how many", async () => {
    const withDetail = (i: number, phase: string, detail: string) =>
      entry(i, phase).replace('"detail":null', `"detail":"${detail}"`);
    const parts: (string | number[])[] = [
      ...splitAt(withDetail(1, "load_model", "a@b"), [0xff]),
      "\n",
      // A truncated three-byte sequence: one replacement.
      ...splitAt(withDetail(2, "warmup", "c@d"), [0xe2, 0x82]),
      "\n",
      // A stray continuation byte between tokens: not JSON.
      ...splitAt("{@" + entry(3, "idle").slice(1), [0x80]),
      "\n",
      withDetail(4, "decode_stream", "née ✓"),
      "\n",
    ];
    // Three-byte chunks split "é" and "✓" across chunk boundaries: they still decode.
    const r = await ingest([memorySource("fr.jsonl", bytes(...parts), 0, 3)]);
    const fr = r.files[0];
    expect([fr.format, fr.records]).toEqual(["skulk.flight-recorder", 3]);
    expect(fr.errors).toHaveLength(1);
    expect(fr.errors[0].line).toBe(3);
    expect(fr.errors[0].message).toMatch(/^malformed JSON/);
    expect(fr.warnings).toEqual([
      "3 invalid UTF-8 sequence(s) read as U+FFFD (the text around them may be garbled)",
    ]);
    const details = spans(r.lanes[0]).map((sp) => sp.args?.detail);
    expect(details).toEqual(["a\uFFFDb", "c\uFFFDd", "née ✓"]);
  });
});

/** The text around "@", with the bytes in its place. */
function splitAt(text: string, raw: number[]): (string | number[])[] {
  const [a, b] = text.split("@");
  return [a, raw, b];
}
