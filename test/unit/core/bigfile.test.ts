import { describe, expect, it } from "vitest";
import { ingest } from "../../../shared/ingest/pipeline";
import type { FileSource } from "../../../shared/ingest/source";

const PAD = "x".repeat(2000);

function record(i: number): string {
  const us = String(i % 1_000_000).padStart(6, "0");
  const sec = String(Math.floor(i / 1_000_000)).padStart(2, "0");
  return JSON.stringify({
    at: `2026-04-24T22:00:${sec}.${us}+00:00`,
    phase: i % 2 ? "decode_stream" : "prefill_stream",
    event: "enter",
    detail: null,
    attrs: {},
    context: {
      nodeId: "n",
      runnerId: "r",
      pid: 1,
      instanceId: "i",
      modelId: "m",
      rank: 0,
      worldSize: 1,
      startLayer: 0,
      endLayer: 1,
      nLayers: 1,
    },
    taskId: null,
    commandId: null,
    mlxMemory: null,
    // Fields Rankscope does not keep: the file is big, the model is not.
    padding: PAD,
  });
}

/** A `{"entries": [...]}` document of `n` records, generated chunk by chunk, never held whole. */
function bigDocument(n: number): FileSource {
  const enc = new TextEncoder();
  const size = n * (record(0).length + 1) + 20;
  return {
    path: "huge/timeline-entries.json",
    size,
    lastModified: 0,
    async *chunks() {
      yield enc.encode('{"entries": [\n');
      let parts: string[] = [];
      for (let i = 0; i < n; i++) {
        parts.push(record(i) + (i < n - 1 ? ",\n" : "\n"));
        if (parts.length === 2000) {
          yield enc.encode(parts.join(""));
          parts = [];
        }
      }
      parts.push("]}\n");
      yield enc.encode(parts.join(""));
    },
    async head(k) {
      return enc.encode('{"entries": [\n' + record(0) + ",\n" + record(1)).subarray(0, k);
    },
    async bytes() {
      throw new Error("a file this size is never read whole");
    },
  };
}

describe("files beyond V8's string limit", () => {
  it("a 600 MB JSON document loads every record, streamed", { timeout: 120_000 }, async () => {
    const n = 290_000;
    const source = bigDocument(n);
    expect(source.size).toBeGreaterThan(2 ** 29 + 50 * 2 ** 20);
    const r = await ingest([source]);
    expect(r.files[0].format).toBe("skulk.flight-recorder");
    expect(r.files[0].errors).toEqual([]);
    expect(r.files[0].records).toBe(n);
    // Every enter opens a phase: n spans, the last open at the end of the data.
    expect(r.lanes[0].spans.start.length).toBe(n);
  });
});

/** A JSON Lines source whose middle line is one ~315 MB record, generated as it is read. */
function hugeRecordLines(): FileSource {
  const enc = new TextEncoder();
  const [before, after] = record(1).split(`"padding":"${PAD}"`);
  const head = enc.encode(record(0) + "\n" + before + '"padding":"');
  const block = enc.encode("x".repeat(1 << 20));
  const tail = enc.encode(`"${after}\n${record(2)}\n`);
  const blocks = 300;
  return {
    path: "huge/one-record.jsonl",
    size: head.length + blocks * block.length + tail.length,
    lastModified: 0,
    async *chunks() {
      yield head;
      for (let i = 0; i < blocks; i++) yield block;
      yield tail;
    },
    async head(k) {
      return head.subarray(0, k);
    },
    async bytes() {
      throw new Error("a file this size is never read whole");
    },
  };
}

describe("one record of 300 MB", () => {
  it(
    "is refused by its line without being assembled; the records around it load",
    { timeout: 30_000 },
    async () => {
      // Before: the line was re-scanned as it grew (40 s) and then parsed (4 GB).
      const r = await ingest([hugeRecordLines()]);
      const f = r.files[0];
      expect(f.format).toBe("skulk.flight-recorder");
      expect(f.records).toBe(2);
      expect(f.errors).toEqual([
        { line: 2, message: "record of 315 MB at line 2 exceeds the 64 MiB record limit; skipped" },
      ]);
    },
  );
});
