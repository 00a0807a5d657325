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

/** Walks `webkitGetAsEntry()` entries recursively (web mode: dropped folders). */
export async function walkEntries(entries: EntryLike[], problems: string[]): Promise<PickedFile[]> {
  const files: PickedFile[] = [];
  const visit = async (entry: EntryLike): Promise<void> => {
    const path = entry.fullPath.replace(/^\//, "") || entry.name;
    if (entry.isFile && entry.file) {
      try {
        const file = await new Promise<File>((ok, err) => entry.file!(ok, err));
        files.push({ file, path });
      } catch (e) {
        problems.push(`${path}: ${(e as Error)?.message ?? "could not be read"}`);
      }
    } else if (entry.isDirectory) {
      let children: EntryLike[];
      try {
        children = await readAll(entry);
      } catch (e) {
        problems.push(`${path}: ${(e as Error)?.message ?? "folder could not be read"}`);
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
): Promise<{ files: PickedFile[]; problems: string[] }> {
  const problems: string[] = [];
  const entries: EntryLike[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== "file") continue;
    const entry = (item as DataTransferItem & { webkitGetAsEntry?(): EntryLike | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (entries.length) return { files: await walkEntries(entries, problems), problems };
  return { files: filesFromList(dt.files), problems };
}

/** Files from an <input type=file webkitdirectory> or a plain FileList. */
export function filesFromList(list: FileList | File[]): PickedFile[] {
  return Array.from(list).map((file) => ({
    file,
    path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
  }));
}
