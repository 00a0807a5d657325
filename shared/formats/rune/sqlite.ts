import type { SqlJsStatic } from "sql.js";

let loader: () => Promise<SqlJsStatic> = async () => {
  const init = (await import("sql.js")).default;
  return init();
};
let cached: Promise<SqlJsStatic> | null = null;

/** Hosts that bundle sql.js (the web worker) say where its wasm is; Node needs nothing. */
export function setSqlJsLoader(load: () => Promise<SqlJsStatic>): void {
  loader = load;
  cached = null;
}

export function sqlJs(): Promise<SqlJsStatic> {
  cached ??= loader();
  return cached;
}

const WAL_MAGIC = [0x377f0682, 0x377f0683];

/**
 * The database as SQLite would see it with its `-wal` beside it: committed WAL frames
 * (those up to the last commit frame whose salts match the WAL header) are copied over their
 * pages, and the header is switched out of WAL mode so sql.js reads it alone. Works on a
 * copy: the user's files are never written. Frame checksums are not verified; a frame whose
 * salts do not match the header ends the log, as in SQLite.
 */
export function applyWal(db: Uint8Array, wal: Uint8Array): { bytes: Uint8Array; frames: number } {
  const dv = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  if (wal.length < 32 || !WAL_MAGIC.includes(dv.getUint32(0))) throw new Error("not a SQLite WAL file");
  const pageSize = dv.getUint32(8) || 65536;
  const salt1 = dv.getUint32(16);
  const salt2 = dv.getUint32(20);
  const frameSize = 24 + pageSize;
  const frames: { page: number; at: number }[] = [];
  let committed = 0;
  let dbPages = Math.ceil(db.length / pageSize);
  for (let off = 32; off + frameSize <= wal.length; off += frameSize) {
    if (dv.getUint32(off + 8) !== salt1 || dv.getUint32(off + 12) !== salt2) break;
    frames.push({ page: dv.getUint32(off), at: off + 24 });
    const commitSize = dv.getUint32(off + 4);
    if (commitSize) {
      committed = frames.length;
      dbPages = commitSize;
    }
  }
  const out = new Uint8Array(dbPages * pageSize);
  out.set(db.subarray(0, Math.min(db.length, out.length)));
  for (const f of frames.slice(0, committed))
    if (f.page >= 1 && f.page <= dbPages)
      out.set(wal.subarray(f.at, f.at + pageSize), (f.page - 1) * pageSize);
  // File format read/write versions: 2 means WAL; 1 lets a reader open the file alone.
  out[18] = 1;
  out[19] = 1;
  return { bytes: out, frames: committed };
}
