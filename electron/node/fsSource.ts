import { createReadStream } from "node:fs";
import { open, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { FileSource } from "../../shared/ingest/source";

const CHUNK = 4 << 20;

export interface NodeFileSource extends FileSource {
  absolutePath: string;
}

/** A file on disk as a FileSource; `rel` is the path shown to the user. */
export function nodeFileSource(abs: string, rel: string, size: number, mtimeMs: number): NodeFileSource {
  return {
    absolutePath: abs,
    path: rel,
    size,
    lastModified: mtimeMs,
    async *chunks() {
      for await (const chunk of createReadStream(abs, { highWaterMark: CHUNK })) {
        const b = chunk as Buffer;
        yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
    },
    async head(n) {
      const fh = await open(abs, "r");
      try {
        const buf = Buffer.alloc(Math.min(n, size));
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
      } finally {
        await fh.close();
      }
    },
    async bytes() {
      const b = await readFile(abs);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
  };
}

const SKIP_DIRS = new Set([".git", "node_modules", "__pycache__", ".DS_Store"]);

export interface WalkResult {
  sources: NodeFileSource[];
  /** Paths that could not be read (permissions, broken links), with why. */
  problems: { path: string; message: string }[];
}

/**
 * Every file under the given paths, recursively, as FileSources. Paths are shown relative
 * to the parent of each given path, so "runs/a.json" stays recognisable. Never follows a
 * symlink out of a loop.
 */
export async function walkPaths(paths: string[]): Promise<WalkResult> {
  const sources: NodeFileSource[] = [];
  const problems: WalkResult["problems"] = [];
  const seen = new Set<string>();
  const visit = async (abs: string, rel: string): Promise<void> => {
    let st;
    try {
      st = await stat(abs);
    } catch (e) {
      problems.push({ path: rel, message: (e as Error).message });
      return;
    }
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = (await readdir(abs)).sort();
      } catch (e) {
        problems.push({ path: rel, message: (e as Error).message });
        return;
      }
      for (const name of names) {
        if (SKIP_DIRS.has(name)) continue;
        await visit(path.join(abs, name), rel ? `${rel}/${name}` : name);
      }
    } else if (st.isFile()) {
      sources.push(nodeFileSource(abs, rel, st.size, st.mtimeMs));
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    await visit(abs, path.basename(abs));
  }
  return { sources, problems };
}
