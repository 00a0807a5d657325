/**
 * Gzipped inputs of any format (`*.pt.trace.json.gz`, a compressed JSONL log), recognised by
 * their magic bytes rather than their name, and read through the standard
 * `DecompressionStream` (a global in browsers and in Node >= 18, so shared/ can use it).
 * Decompression streams: the whole file is never held, compressed or not.
 */
import type { FileSource } from "./source";

/** RFC 1952: every gzip member starts with ID1 = 0x1f, ID2 = 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The decompressed bytes of gzip chunks. A damaged or cut-off stream yields everything that
 * decompressed before the damage, then throws an error saying so (the format reading it has
 * kept those records; the file's report gets the error).
 */
export async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const input = chunks[Symbol.asyncIterator]();
  let stopped = false;
  // Fed concurrently with reading: the transform holds little, so a writer that waited for
  // the reader (or the reverse) would stall.
  const pump = (async () => {
    for (;;) {
      const next = await input.next();
      if (next.done || stopped) break;
      await writer.write(next.value as Uint8Array<ArrayBuffer>);
    }
    if (!stopped) await writer.close();
  })();
  pump.catch(() => {
    // The same failure reaches the reader below, which reports it.
  });
  let produced = 0;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (e) {
        throw new Error(
          `gzip data is damaged or cut off after ${produced} decompressed bytes ` +
            `(${(e as Error).message}); what came before it was read`,
        );
      }
      if (next.done) break;
      produced += next.value.length;
      yield next.value;
    }
  } finally {
    // A reader that stops early (a head, a cancel) releases the input and the stream.
    stopped = true;
    await reader.cancel().catch(() => {});
    await writer.abort().catch(() => {});
    await input.return?.().catch(() => {});
  }
}

/**
 * A source that reads as its decompressed content when its bytes are gzip, and as itself
 * otherwise; path and size stay the file's own (the report names the real file, progress
 * counts the bytes on disk). Checking the magic costs one two-byte head, done once.
 */
export function gzipAware(source: FileSource): FileSource {
  let gz: Promise<boolean> | null = null;
  const compressed = () => (gz ??= source.head(2).then(isGzip));
  return {
    ...source,
    async *chunks() {
      if (!(await compressed())) {
        yield* source.chunks();
        return;
      }
      yield* gunzip(source.chunks());
    },
    async head(n) {
      if (!(await compressed())) return source.head(n);
      const parts: Uint8Array[] = [];
      let have = 0;
      try {
        for await (const chunk of gunzip(source.chunks())) {
          parts.push(chunk);
          have += chunk.length;
          if (have >= n) break;
        }
      } catch {
        // A damaged stream still has a head: what decompressed; parsing reports the damage.
      }
      return join(parts, Math.min(have, n));
    },
    async bytes() {
      if (!(await compressed())) return source.bytes();
      const parts: Uint8Array[] = [];
      let have = 0;
      for await (const chunk of gunzip(source.chunks())) {
        parts.push(chunk);
        have += chunk.length;
      }
      return join(parts, have);
    },
  };
}

function join(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0].length === length) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    if (at >= length) break;
    const take = p.subarray(0, Math.min(p.length, length - at));
    out.set(take, at);
    at += take.length;
  }
  return out;
}
