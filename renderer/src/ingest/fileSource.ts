import type { FileSource } from "../../../shared/ingest/source";

const CHUNK = 4 << 20;

/** A browser File as a FileSource: read in slices, never whole (files may exceed 512 MB). */
export function browserFileSource(file: File, path: string): FileSource {
  return {
    path,
    size: file.size,
    lastModified: file.lastModified,
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
