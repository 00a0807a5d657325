import type { FileSource } from "../../../shared/ingest/source";
import type { RemoteFile } from "./protocol";

const CHUNK = 4 << 20;

/** A browser File as a FileSource: read in slices, never whole (files may exceed 512 MB). */
export function browserFileSource(file: Blob & { lastModified: number }, path: string): FileSource {
  return {
    path,
    size: file.size,
    lastModified: file.lastModified,
    slice: (start, end) =>
      browserFileSource(Object.assign(file.slice(start, end), { lastModified: file.lastModified }), path),
    async *chunks() {
      for (let at = 0; at < file.size; at += CHUNK) {
        const buf = await file.slice(at, Math.min(file.size, at + CHUNK)).arrayBuffer();
        yield new Uint8Array(buf);
      }
    },
    async head(n) {
      return new Uint8Array(await file.slice(0, Math.min(n, file.size)).arrayBuffer());
    },
    async bytes() {
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}

/** Why the server would not give a file, in its own words when it said any. */
async function refused(res: Response, path: string): Promise<Error> {
  const why = (await res.text().catch(() => "")).slice(0, 300);
  return new Error(why ? `could not fetch ${path}: ${why}` : `could not fetch ${path}: HTTP ${res.status}`);
}

/**
 * A file served by web mode's launcher, streamed over HTTP; `from` and `size` select a byte
 * range of it (a part of a big file, read by one of several workers).
 */
export function remoteFileSource(f: RemoteFile, from = 0, size = f.size): FileSource {
  const ranged = from > 0 || size < f.size;
  const get = async () => {
    const headers = ranged ? { ...f.headers, range: `bytes=${from}-${from + size - 1}` } : f.headers;
    const res = await fetch(f.url, { headers, cache: "no-store" });
    if (!res.ok || !res.body || (ranged && res.status !== 206)) throw await refused(res, f.path);
    return res;
  };
  return {
    path: f.path,
    size,
    lastModified: f.lastModified,
    slice: (start, end) => remoteFileSource(f, from + start, Math.max(0, end - start)),
    async *chunks() {
      if (size === 0) return;
      const reader = (await get()).body!.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        // head() stops early: without this the rest of the file would still download.
        void reader.cancel().catch(() => {});
      }
    },
    async head(n) {
      const parts: Uint8Array[] = [];
      let got = 0;
      for await (const chunk of this.chunks()) {
        parts.push(chunk);
        got += chunk.length;
        if (got >= n) break;
      }
      const out = new Uint8Array(Math.min(got, n));
      let at = 0;
      for (const p of parts) {
        const take = Math.min(p.length, out.length - at);
        out.set(p.subarray(0, take), at);
        at += take;
      }
      return out;
    },
    async bytes() {
      return new Uint8Array(await (await get()).arrayBuffer());
    },
  };
}
