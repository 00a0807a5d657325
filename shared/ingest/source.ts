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

/**
 * A source whose bytes are `prefix`, then `inner`'s, then `suffix`: a part of a big JSON
 * document read as a document of its own (the envelope around a slice of its record array).
 */
export function wrappedSource(prefix: Uint8Array, inner: FileSource, suffix: Uint8Array): FileSource {
  const size = prefix.length + inner.size + suffix.length;
  const source: FileSource = {
    path: inner.path,
    size,
    lastModified: inner.lastModified,
    async *chunks() {
      if (prefix.length) yield prefix;
      yield* inner.chunks();
      if (suffix.length) yield suffix;
    },
    async head(n) {
      // Through inner.head, not chunks(): a head read must not count as reading the part.
      const inside = n > prefix.length ? await inner.head(n - prefix.length) : new Uint8Array(0);
      const out = new Uint8Array(
        Math.min(n, prefix.length + inside.length + (inside.length >= inner.size ? suffix.length : 0)),
      );
      out.set(prefix.subarray(0, out.length), 0);
      if (out.length > prefix.length) out.set(inside.subarray(0, out.length - prefix.length), prefix.length);
      const rest = out.length - prefix.length - inside.length;
      if (rest > 0) out.set(suffix.subarray(0, rest), prefix.length + inside.length);
      return out;
    },
    async bytes() {
      const out = new Uint8Array(size);
      out.set(prefix, 0);
      out.set(await inner.bytes(), prefix.length);
      out.set(suffix, prefix.length + inner.size);
      return out;
    },
  };
  return source;
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
