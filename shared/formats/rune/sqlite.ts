import type { SqlJsStatic, SqlValue } from "sql.js";

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

const WAL_MAGIC = 0x377f0682; // | 1 when the checksums read words big-endian
const WAL_VERSION = 3007000;
const HEADER = 32;
const FRAME_HEADER = 24;
/** Bigger images than this are not built in memory (and no real job store comes near it). */
const MAX_IMAGE = 2 ** 31;

export interface WalApplied {
  /** What SQLite would read: the main file with every frame up to the last valid commit applied. */
  bytes: Uint8Array;
  /** Frames applied: 0 when the WAL was ignored or holds no valid commit. */
  frames: number;
  /** What was ignored and why, one sentence each, for the file's warnings. */
  notes: string[];
}

/**
 * SQLite's cumulative WAL checksum over `len` bytes (a multiple of 8) from `at`, continuing
 * from (s0, s1). The byte order of the words is the WAL's, named by its magic.
 */
function checksum(dv: DataView, at: number, len: number, s: [number, number], little: boolean): void {
  let [s0, s1] = s;
  for (let i = at, end = at + len; i < end; i += 8) {
    s0 = (s0 + dv.getUint32(i, little) + s1) >>> 0;
    s1 = (s1 + dv.getUint32(i + 4, little) + s0) >>> 0;
  }
  s[0] = s0;
  s[1] = s1;
}

/** A copy of the main file that opens on its own: file format versions 2 (WAL) become 1. */
function standalone(db: Uint8Array): Uint8Array {
  const out = db.slice();
  if (out.length >= 20) out[18] = out[19] = 1;
  return out;
}

/** The page size a database file's header declares, or null for a file too short to say. */
function dbPageSize(db: Uint8Array): number | null {
  if (db.length < 100) return null;
  const v = (db[16] << 8) | db[17];
  return v === 1 ? 65536 : v;
}

function ignored(db: Uint8Array, name: string, why: string): WalApplied {
  return { bytes: standalone(db), frames: 0, notes: [`${name} ignored: ${why}; the main file read alone`] };
}

const range = (a: number, b: number) => (a === b ? `WAL frame ${a}` : `WAL frames ${a}-${b}`);

/**
 * The database as SQLite reads it with its `-wal` beside it (sqlite.org/fileformat2.html, "WAL
 * file format"; wal.c walIndexRecover). A header that fails its checksum, or names an
 * impossible page size, leaves the WAL unused. Frames are valid while their salts equal the
 * header's and their cumulative checksum matches; the first invalid one ends the log, and of
 * the valid ones only those up to the last commit frame count. Works on a copy: the user's
 * files are never written.
 */
export function applyWal(db: Uint8Array, wal: Uint8Array, name = "the WAL"): WalApplied {
  if (wal.length < HEADER)
    return ignored(db, name, `shorter than the 32-byte WAL header (${wal.length} bytes)`);
  const dv = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = dv.getUint32(0);
  if ((magic & ~1) >>> 0 !== WAL_MAGIC)
    return ignored(db, name, `not a SQLite WAL (magic 0x${magic.toString(16).padStart(8, "0")})`);
  const little = (magic & 1) === 0;
  const pageSize = dv.getUint32(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    return ignored(db, name, `its header names page size ${pageSize}, not a power of two from 512 to 65536`);
  const sum: [number, number] = [0, 0];
  checksum(dv, 0, 24, sum, little);
  if (sum[0] !== dv.getUint32(24) || sum[1] !== dv.getUint32(28))
    return ignored(db, name, "its header fails its checksum");
  // SQLite refuses to open the database at all here; the main file's rows are still good.
  const version = dv.getUint32(4);
  if (version !== WAL_VERSION) return ignored(db, name, `WAL format version ${version}, not ${WAL_VERSION}`);
  const mainPageSize = dbPageSize(db);
  if (mainPageSize !== null && mainPageSize !== pageSize)
    return ignored(db, name, `its page size ${pageSize} is not the database's ${mainPageSize}`);

  const salt1 = dv.getUint32(16);
  const salt2 = dv.getUint32(20);
  const frameSize = FRAME_HEADER + pageSize;
  const whole = Math.floor((wal.length - HEADER) / frameSize);
  const torn = (wal.length - HEADER) % frameSize !== 0;
  let committed = 0;
  let dbPages = 0;
  let stop: string | null = null;
  for (let k = 1; k <= whole; k++) {
    const at = HEADER + (k - 1) * frameSize;
    if (dv.getUint32(at + 8) !== salt1 || dv.getUint32(at + 12) !== salt2) {
      stop = `salt mismatch at frame ${k} (not of this WAL's generation)`;
      break;
    }
    if (dv.getUint32(at) === 0) {
      stop = `page number 0 at frame ${k}`;
      break;
    }
    checksum(dv, at, 8, sum, little);
    checksum(dv, at + FRAME_HEADER, pageSize, sum, little);
    if (sum[0] !== dv.getUint32(at + 16) || sum[1] !== dv.getUint32(at + 20)) {
      stop = `checksum mismatch at frame ${k}`;
      break;
    }
    const commitSize = dv.getUint32(at + 4);
    if (commitSize) {
      committed = k;
      dbPages = commitSize;
    }
  }
  const last = whole + (torn ? 1 : 0);
  stop ??= torn ? `the file ends inside frame ${last}` : null;
  const notes: string[] = [];
  if (committed < last)
    notes.push(
      `${name}: ${range(committed + 1, last)} ignored: ${stop ?? `no commit frame after frame ${committed}`}`,
    );
  if (!committed) return { bytes: standalone(db), frames: 0, notes };
  if (dbPages * pageSize > MAX_IMAGE)
    return ignored(db, name, `its last commit makes the database ${dbPages} pages of ${pageSize} bytes`);

  const out = new Uint8Array(dbPages * pageSize);
  out.set(db.subarray(0, Math.min(db.length, out.length)));
  for (let k = 1; k <= committed; k++) {
    const at = HEADER + (k - 1) * frameSize;
    const page = dv.getUint32(at);
    if (page <= dbPages) out.set(wal.subarray(at + FRAME_HEADER, at + frameSize), (page - 1) * pageSize);
  }
  out[18] = out[19] = 1; // as standalone(): the image opens without a WAL
  return { bytes: out, frames: committed, notes };
}

/** What Rankscope takes from a job store: its tables, and the rows of `jobs` and `workflow_events`. */
export interface JobStore {
  tables: Set<string>;
  /** job_id, tenant_id, kind, status */
  jobs: SqlValue[][];
  /** id, job_id, event, status, duration_ms, error_type, labels_json, recorded_at */
  events: SqlValue[][];
}

/** Reads every row before anything is drawn, so a store that turns out corrupt half-way adds nothing. */
function query(SQL: SqlJsStatic, bytes: Uint8Array): JobStore {
  const db = new SQL.Database(bytes);
  try {
    const names = db.exec("SELECT name FROM sqlite_master WHERE type='table'")[0]?.values ?? [];
    const tables = new Set(names.map((r) => String(r[0])));
    const rows = (sql: string) => db.exec(sql)[0]?.values ?? [];
    return {
      tables,
      jobs: tables.has("jobs") ? rows("SELECT job_id, tenant_id, kind, status FROM jobs") : [],
      events: tables.has("workflow_events")
        ? rows(
            "SELECT id, job_id, event, status, duration_ms, error_type, labels_json, recorded_at FROM workflow_events ORDER BY recorded_at",
          )
        : [],
    };
  } finally {
    db.close();
  }
}

/**
 * The job store as SQLite reads it with its `-wal` (when there is one), on copies. The main
 * file's rows are never lost to a bad WAL: when the image with the WAL's valid frames applied
 * still does not read (a frame of another database, a page damaged before it was checksummed),
 * the main file is read alone, with a warning.
 */
export async function readJobStore(
  main: Uint8Array,
  wal: { name: string; bytes: Uint8Array } | null,
): Promise<{ store: JobStore | null; warnings: string[]; error?: string }> {
  const SQL = await sqlJs();
  const warnings: string[] = [];
  if (wal) {
    const applied = applyWal(main, wal.bytes, wal.name);
    if (applied.frames > 0) {
      try {
        const store = query(SQL, applied.bytes);
        const read = `read with ${wal.name} (${applied.frames} committed WAL frames applied, on a copy)`;
        return { store, warnings: [read, ...applied.notes] };
      } catch (e) {
        warnings.push(
          ...applied.notes,
          `with the ${applied.frames} committed frames of ${wal.name} applied the database does not read (${(e as Error).message}); the main file read alone`,
        );
      }
    } else warnings.push(...applied.notes);
  }
  try {
    return { store: query(SQL, standalone(main)), warnings };
  } catch (e) {
    return { store: null, warnings, error: `not a readable SQLite database: ${(e as Error).message}` };
  }
}
