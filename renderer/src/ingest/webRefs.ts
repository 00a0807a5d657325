import type { SourceRef } from "../../../shared/ingest/units";
import { memorySource, type FileSource } from "../../../shared/ingest/source";
import type { PickedFile } from "./dropWalk";
import { browserFileSource, remoteFileSource } from "./fileSource";
import type { RemoteFile } from "./protocol";

/** Where a web-mode import's file is: a dropped File, a file the launcher serves, or bytes (the demo). */
export type WebHandle =
  { kind: "file"; file: File } | { kind: "remote"; file: RemoteFile } | { kind: "memory"; bytes: Uint8Array };

export function pickedRefs(files: PickedFile[]): SourceRef[] {
  return files.map((f, index) => ({
    index,
    path: f.path,
    size: f.file.size,
    lastModified: f.file.lastModified,
    handle: { kind: "file", file: f.file } satisfies WebHandle,
  }));
}

export function remoteRefs(files: RemoteFile[]): SourceRef[] {
  return files.map((f, index) => ({
    index,
    path: f.path,
    size: f.size,
    lastModified: f.lastModified,
    handle: { kind: "remote", file: f } satisfies WebHandle,
  }));
}

export function memoryRefs(files: { path: string; content: string }[], lastModified: number): SourceRef[] {
  return files.map((f, index) => {
    const bytes = new TextEncoder().encode(f.content);
    return {
      index,
      path: f.path,
      size: bytes.length,
      lastModified,
      handle: { kind: "memory", bytes } satisfies WebHandle,
    };
  });
}

/** A file of the import, in whichever worker reads it (Files and bytes cross as clones). */
export function openWebRef(ref: SourceRef): FileSource {
  const h = ref.handle as WebHandle;
  if (h.kind === "file") return browserFileSource(h.file, ref.path);
  if (h.kind === "remote") return remoteFileSource(h.file);
  return memorySource(ref.path, h.bytes, ref.lastModified);
}
