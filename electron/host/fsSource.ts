import { constants, type Stats } from "node:fs";
import { lstat, open, readdir, realpath, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { NotRead } from "../../shared/ingest/report";
import type { FileSource } from "../../shared/ingest/source";

const CHUNK = 4 << 20;

export interface NodeFileSource extends FileSource {
  /** The path to open, as the OS spells it: a name that is not UTF-8 would not survive a string. */
  absolutePath: Buffer;
}

/** A path as a Buffer; worker threads receive Buffers back as plain Uint8Arrays. */
function fsPath(p: string | Uint8Array): string | Buffer {
  return typeof p === "string" || Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

// O_NONBLOCK: a FIFO put where a listed file was returns at once from open() instead of
// waiting for a writer, and fstat then refuses it. O_NOFOLLOW: listed paths are real paths,
// so a link there now was swapped in after the walk. Neither exists on Windows.
const READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export class NotAFileError extends Error {}

/**
 * Opens `p` for reading, refusing anything that is not (or no longer) a regular file.
 * `followLinks` is for paths that are not walk results (the server's own static files).
 */
export async function openRegularFile(
  p: string | Uint8Array,
  followLinks = false,
): Promise<{ fh: FileHandle; st: Stats }> {
  const fh = await open(fsPath(p), followLinks ? READ : READ | NOFOLLOW);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotAFileError(`${kindOf(st)}, not a file`);
    return { fh, st };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** A file on disk as a FileSource; `rel` is the path shown to the user. */
export function nodeFileSource(
  abs: string | Uint8Array,
  rel: string,
  size: number,
  mtimeMs: number,
  from = 0,
): NodeFileSource {
  const p = fsPath(abs);
  return {
    absolutePath: typeof p === "string" ? Buffer.from(p) : p,
    path: rel,
    size,
    lastModified: mtimeMs,
    slice: (start, end) => nodeFileSource(abs, rel, Math.max(0, end - start), mtimeMs, from + start),
    async *chunks() {
      if (size === 0) return;
      const { fh } = await openRegularFile(p);
      // The stream closes the handle when it ends, fails or is abandoned.
      for await (const chunk of fh.createReadStream({
        highWaterMark: CHUNK,
        start: from,
        end: from + size - 1,
      })) {
        const b = chunk as Buffer;
        yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
    },
    async head(n) {
      const { fh } = await openRegularFile(p);
      try {
        const buf = Buffer.alloc(Math.min(n, size));
        const { bytesRead } = await fh.read(buf, 0, buf.length, from);
        return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
      } finally {
        await fh.close();
      }
    },
    async bytes() {
      const { fh } = await openRegularFile(p);
      try {
        if (from > 0 || size < (await fh.stat()).size) {
          const b = Buffer.alloc(size);
          const { bytesRead } = await fh.read(b, 0, size, from);
          return new Uint8Array(b.buffer, b.byteOffset, bytesRead);
        }
        const b = await fh.readFile();
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } finally {
        await fh.close();
      }
    },
  };
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

const SKIP_DIRS = new Set([".git", "node_modules", "__pycache__", ".DS_Store"]);
const SEP = Buffer.from(path.sep);

export interface WalkResult {
  sources: NodeFileSource[];
  /** What was found but not read, with why: unreadable (errors) or skipped on purpose. */
  problems: NotRead[];
}

/** True when real path `p` is `root` or lies under it (both from realpath, as bytes). */
function inside(p: Buffer, root: Buffer): boolean {
  if (p.equals(root)) return true;
  const base = root.at(-1) === SEP[0] ? root : Buffer.concat([root, SEP]);
  return p.length > base.length && p.subarray(0, base.length).equals(base);
}

function join(dir: Buffer, name: Buffer): Buffer {
  return dir.at(-1) === SEP[0] ? Buffer.concat([dir, name]) : Buffer.concat([dir, SEP, name]);
}

/** A name as the user sees it: bytes that are not UTF-8 show as U+FFFD. */
const shown = (b: Buffer) => b.toString("utf8");

interface Link {
  at: Buffer;
  rel: string;
  /** Real path of the folder holding the link. */
  dir: Buffer;
}

/**
 * Every file under the given paths, recursively, as FileSources. Paths are shown relative
 * to the parent of each given path, so "runs/a.json" stays recognisable.
 *
 * Names are read and joined as bytes, so a file whose name is not UTF-8 opens. A symbolic
 * link is followed only when its real target lies inside one of the given paths (their own
 * real paths): a link to /etc or ~ in a shared log folder is listed as skipped, never read.
 * Links are followed after the plain walk, so a file reached both ways keeps its real name,
 * and each file is read once. FIFOs, sockets and devices are listed as skipped and never
 * opened (opening a FIFO would wait for a writer).
 */
export async function walkPaths(paths: string[]): Promise<WalkResult> {
  const sources: NodeFileSource[] = [];
  const problems: NotRead[] = [];
  const seen = new Set<string>();
  const links: Link[] = [];
  const skip = (rel: string, message: string) => problems.push({ path: rel, message, skipped: true });
  const fail = (rel: string, e: unknown) => problems.push({ path: rel, message: (e as Error).message });

  const visit = async (real: Buffer, rel: string): Promise<void> => {
    let st: Stats;
    try {
      // lstat: `real` holds no link, unless one was swapped in since; that one is not followed.
      st = await lstat(real);
    } catch (e) {
      return void fail(rel, e);
    }
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (st.isFile()) return void sources.push(nodeFileSource(real, rel, st.size, st.mtimeMs));
    if (!st.isDirectory()) return void skip(rel, `${kindOf(st)}: skipped, not a file`);
    let entries;
    try {
      entries = await readdir(real, { encoding: "buffer", withFileTypes: true });
    } catch (e) {
      return void fail(rel, e);
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const entry of entries) {
      const name = shown(entry.name);
      if (SKIP_DIRS.has(name)) continue;
      const at = join(real, entry.name);
      const childRel = rel ? `${rel}/${name}` : name;
      if (entry.isSymbolicLink()) links.push({ at, rel: childRel, dir: real });
      else await visit(at, childRel);
    }
  };

  const roots: { real: Buffer; rel: string }[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    const rel = path.basename(abs);
    try {
      // A link the user named themselves is theirs to give: its target becomes the root.
      roots.push({ real: await realpath(abs, { encoding: "buffer" }), rel });
    } catch (e) {
      fail(rel, e);
    }
  }
  for (const root of roots) await visit(root.real, root.rel);
  // Following a link can find more links: the list grows while it is worked through.
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    let target: Buffer;
    try {
      target = await realpath(link.at, { encoding: "buffer" });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ELOOP") skip(link.rel, "a symbolic link loop: not followed");
      else if (code === "ENOENT") skip(link.rel, "a broken symbolic link (its target does not exist)");
      else fail(link.rel, e);
      continue;
    }
    if (!roots.some((r) => inside(target, r.real))) {
      skip(link.rel, `a symbolic link to ${shown(target)}, outside the folders you opened: not followed`);
    } else if (inside(link.dir, target)) {
      skip(link.rel, "a symbolic link to its own folder or one above it (a loop): not followed");
    } else {
      await visit(target, link.rel);
    }
  }
  return { sources, problems };
}
