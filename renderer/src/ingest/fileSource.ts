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
    // The next slice is read while this one is parsed: read one after another, a worker
    // waited for each (a tenth of a big trace's parse).
    async *chunks() {
      const read = (at: number) => file.slice(at, Math.min(file.size, at + CHUNK)).arrayBuffer();
      let next = file.size > 0 ? read(0) : null;
      try {
        for (let at = 0; next; at += CHUNK) {
          const buf = await next;
          next = at + CHUNK < file.size ? read(at + CHUNK) : null;
          yield new Uint8Array(buf);
        }
      } finally {
        // A reader that stopped early leaves a read under way: its failure is nobody's.
        next?.catch(() => {});
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
  /** The bytes [from + start, from + end) of the file, as one response. */
  const get = async (start = 0, end = size) => {
    const ranged = from + start > 0 || from + end < f.size;
    const headers = ranged ? { ...f.headers, range: `bytes=${from + start}-${from + end - 1}` } : f.headers;
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
        // A reader that stops early: without this the rest of the file would still download.
        void reader.cancel().catch(() => {});
      }
    },
    // Only the bytes asked for: a head read as the start of the whole file's download cost as
    // much as megabytes of it (the server sends ahead of what is read before the cancel lands).
    async head(n) {
      const take = Math.min(n, size);
      if (take <= 0) return new Uint8Array(0);
      return new Uint8Array(await (await get(0, take)).arrayBuffer());
    },
    async bytes() {
      return new Uint8Array(await (await get()).arrayBuffer());
    },
  };
}
