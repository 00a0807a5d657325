import type { NotRead } from "../../../shared/ingest/report";

/** A dropped or picked file with the path the user will recognise ("run-1/node-a/diag.json"). */
export interface PickedFile {
  file: File;
  path: string;
}

interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?(ok: (f: File) => void, err: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, err: (e: unknown) => void): void };
}

function readAll(dir: EntryLike): Promise<EntryLike[]> {
  const reader = dir.createReader!();
  const out: EntryLike[] = [];
  // readEntries returns at most ~100 entries per call: keep calling until it returns none.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) return resolve(out);
        out.push(...batch);
        next();
      }, reject);
    next();
  });
}

/**
 * Walks `webkitGetAsEntry()` entries recursively (web mode: dropped folders).
 *
 * Symbolic links need no check here, unlike the Node walk (electron/host/fsSource.ts):
 * Chromium's file system for dropped folders follows only a link the user dragged itself.
 * Its DraggedFileUtil (storage/browser/file_system/dragged_file_util.cc, on LocalFileUtil)
 * hides links when listing a folder (IsHiddenItem) and answers "not found" when one is
 * opened, so the page never gets an entry for a link inside a dropped folder, nor for what
 * it points at: only what the user dragged, and what really lies inside it, is reachable.
 */
export async function walkEntries(entries: EntryLike[], problems: NotRead[]): Promise<PickedFile[]> {
  const files: PickedFile[] = [];
  const visit = async (entry: EntryLike): Promise<void> => {
    const path = entry.fullPath.replace(/^\//, "") || entry.name;
    if (entry.isFile && entry.file) {
      try {
        const file = await new Promise<File>((ok, err) => entry.file!(ok, err));
        files.push({ file, path });
      } catch (e) {
        problems.push({ path, message: (e as Error)?.message || "could not be read" });
      }
    } else if (entry.isDirectory) {
      let children: EntryLike[];
      try {
        children = await readAll(entry);
      } catch (e) {
        problems.push({ path, message: (e as Error)?.message || "the folder could not be listed" });
        return;
      }
      children.sort((a, b) => a.name.localeCompare(b.name));
      for (const child of children) await visit(child);
    }
  };
  for (const e of entries) await visit(e);
  return files;
}

/** Files of a drop: folders walked via entries; plain files (or synthetic drops) as they are. */
export async function filesFromDataTransfer(
  dt: DataTransfer,
): Promise<{ files: PickedFile[]; notRead: NotRead[] }> {
  const notRead: NotRead[] = [];
  const entries: EntryLike[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== "file") continue;
    const entry = (item as DataTransferItem & { webkitGetAsEntry?(): EntryLike | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (entries.length) return { files: await walkEntries(entries, notRead), notRead };
  return { files: filesFromList(dt.files), notRead };
}

/** Files from an <input type=file webkitdirectory> or a plain FileList. */
export function filesFromList(list: FileList | File[]): PickedFile[] {
  return Array.from(list).map((file) => ({
    file,
    path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
  }));
}
