/** A file as the ingest core sees it, whichever host provides it (Node fs, browser File). */
export interface FileSource {
  /** Path relative to what the user gave, '/'-separated (e.g. "run-1/node-a/diag.json"). */
  path: string;
  size: number;
  /** Epoch milliseconds; a folder of Prometheus scrapes uses it as the scrape time. */
  lastModified: number;
  /** The bytes in order, in chunks; the file is never held whole. */
  chunks(): AsyncIterable<Uint8Array>;
  /** The first `n` bytes (fewer if the file is shorter). */
  head(n: number): Promise<Uint8Array>;
  /** The whole file, for formats that need random access (SQLite). */
  bytes(): Promise<Uint8Array>;
  /**
   * Bytes [start, end) as a source of their own (same path and time), read without the rest:
   * how a big file is split across workers. Sources that cannot seek leave it out.
   */
  slice?(start: number, end: number): FileSource;
}

export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** An in-memory source: tests, the demo, and anything already in memory. */
export function memorySource(
  path: string,
  content: string | Uint8Array,
  lastModified = 0,
  chunkSize = 1 << 20,
): FileSource {
  const data = typeof content === "string" ? new TextEncoder().encode(content) : content;
  return {
    path,
    size: data.length,
    lastModified,
    slice: (start, end) => memorySource(path, data.subarray(start, end), lastModified, chunkSize),
    async *chunks() {
      for (let i = 0; i < data.length; i += chunkSize)
        yield data.subarray(i, Math.min(data.length, i + chunkSize));
    },
    async head(n) {
      return data.subarray(0, Math.min(n, data.length));
    },
    async bytes() {
      return data;
    },
  };
}

/** Wraps a source so every byte read is counted (progress). */
export function countingSource(source: FileSource, onBytes: (n: number) => void): FileSource {
  return {
    ...source,
    async *chunks() {
      for await (const chunk of source.chunks()) {
        onBytes(chunk.length);
        yield chunk;
      }
    },
    head: (n) => source.head(n),
    async bytes() {
      const b = await source.bytes();
      onBytes(b.length);
      return b;
    },
  };
}
