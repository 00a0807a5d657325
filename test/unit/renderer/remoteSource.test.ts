import { afterEach, describe, expect, it, vi } from "vitest";
import { remoteFileSource } from "../../../renderer/src/ingest/fileSource";

/** A server of one file that honours Range, logging what each request asked for. */
function serve(content: Uint8Array, log: (string | null)[]) {
  vi.stubGlobal("fetch", async (_url: string, init: { headers: Record<string, string> }) => {
    const range = init.headers.range ?? null;
    log.push(range);
    const m = range ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
    const body = m ? content.subarray(Number(m[1]), Number(m[2]) + 1) : content;
    return new Response(new Blob([body.slice()]), { status: m ? 206 : 200 });
  });
}

const file = (size: number) => ({
  path: "node-0/rank-0.jsonl",
  size,
  lastModified: 0,
  url: "http://127.0.0.1/api/file/0",
  headers: { "x-rankscope-key": "k" },
});

describe("a file web mode's launcher serves", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("reads a head as a range of only the bytes asked for, in the whole file or a part", async () => {
    const content = new Uint8Array(100_000).map((_, i) => i % 251);
    const log: (string | null)[] = [];
    serve(content, log);
    const source = remoteFileSource(file(content.length));
    expect(await source.head(1000)).toEqual(content.subarray(0, 1000));
    const part = source.slice!(40_000, 60_000);
    expect(await part.head(500)).toEqual(content.subarray(40_000, 40_500));
    expect(await part.head(1e9)).toEqual(content.subarray(40_000, 60_000));
    expect(log).toEqual(["bytes=0-999", "bytes=40000-40499", "bytes=40000-59999"]);
  });

  it("streams the whole file without a range, and a part with one", async () => {
    const content = new Uint8Array(5000).map((_, i) => i % 7);
    const log: (string | null)[] = [];
    serve(content, log);
    const collect = async (s: ReturnType<typeof remoteFileSource>) => {
      const parts: number[] = [];
      for await (const c of s.chunks()) parts.push(...c);
      return parts;
    };
    expect(await collect(remoteFileSource(file(5000)))).toEqual([...content]);
    expect(await collect(remoteFileSource(file(5000)).slice!(1000, 1500))).toEqual([
      ...content.subarray(1000, 1500),
    ]);
    expect(log).toEqual([null, "bytes=1000-1499"]);
  });
});
