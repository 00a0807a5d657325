/**
 * `gpumemprof track --format csv`: pandas `to_csv` of the event dicts, one column per field.
 * pandas writes what Python holds, not JSON: an object cell is `str(value)` (a dict's repr,
 * single quotes, `True`/`None`), a nullable int column that holds a null becomes float64
 * (`85045870592.0`), and null, NaN and "" are all an empty cell. So cells are read by what
 * the column is in stormlog's schema, then validated exactly as JSON records are.
 */
import type { FileSource } from "../../ingest/source";
import { forEachLine } from "../../ingest/text";
import { parsePythonLiteral } from "./pyrepr";
import type { Rec } from "./record";

/** Integer fields of v2/v3/v4 and of legacy records. */
const INT_COLUMNS = new Set([
  "schema_version",
  "timestamp_ns",
  "sampling_interval_ms",
  "pid",
  "rank",
  "local_rank",
  "world_size",
  "device_id",
  "allocator_allocated_bytes",
  "allocator_reserved_bytes",
  "allocator_active_bytes",
  "allocator_inactive_bytes",
  "allocator_change_bytes",
  "device_used_bytes",
  "device_free_bytes",
  "device_total_bytes",
  "memory_allocated",
  "memory_reserved",
  "memory_change",
  "total_memory",
  "device_total",
  "total_bytes",
]);

/** Text fields: kept as text even when they look like numbers (a job id "42"). */
const STRING_COLUMNS = new Set([
  "session_id",
  "event_type",
  "collector",
  "host",
  "job_id",
  "context",
  "type",
  "message",
  "device",
  "backend",
]);

/** One CSV record's cells (RFC 4180: "" inside quotes is a quote; quoted cells may hold newlines). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export interface CsvRow {
  cells: string[];
  /** Line the record starts on. */
  line: number;
  /** False when the file ended inside this record (torn mid-write). */
  complete: boolean;
}

/** CSV records of a source, a quoted cell's newlines included, line by line. */
export async function forEachCsvRow(
  source: FileSource,
  onRow: (row: CsvRow) => void,
  signal?: AbortSignal,
): Promise<void> {
  let pending = "";
  let start = 0;
  let quotes = 0;
  await forEachLine(
    source,
    (line) => {
      if (!pending && !line.text.trim()) return;
      if (!pending) start = line.number;
      pending = pending ? `${pending}\n${line.text}` : line.text;
      for (let i = 0; i < line.text.length; i++) if (line.text.charCodeAt(i) === 34) quotes++;
      // An odd count of quotes so far: a quoted cell is still open, the record goes on.
      if (quotes % 2 === 1 && line.terminated) return;
      onRow({ cells: parseCsvLine(pending), line: start, complete: line.terminated && quotes % 2 === 0 });
      pending = "";
      quotes = 0;
    },
    signal,
  );
  if (pending) onRow({ cells: parseCsvLine(pending), line: start, complete: false });
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer cell: `42`, `85045870592.0` (a float64 column), or exact beyond 2^53. */
function intCell(raw: string): unknown {
  const m = /^(-?\d+)(?:\.0*)?$/.exec(raw);
  if (m) {
    const n = BigInt(m[1]);
    return n > MAX_SAFE || n < -MAX_SAFE ? `\u0000${n}` : Number(n);
  }
  const f = Number(raw);
  if (raw.trim() && Number.isInteger(f)) return Number.isSafeInteger(f) ? f : `\u0000${BigInt(f)}`;
  // Not an integer: kept as written, so validation names the field.
  return Number.isFinite(f) && raw.trim() ? f : raw;
}

function objectCell(raw: string, key: string, onLoose?: (message: string) => void): unknown {
  try {
    return parsePythonLiteral(raw);
  } catch (python) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      const why = (python as Error).message;
      // str() of a dict that holds an object with no literal form (a datetime): still a
      // dict, so the record and its counters stand, with the text kept for the user.
      if (/^\{[\s\S]*\}$/.test(raw)) {
        onLoose?.(`${key} kept as text: it holds a value with no Python literal form (${why})`);
        return { repr: raw };
      }
      throw new Error(`${key} cannot be read: ${why}`);
    }
  }
}

/** Cells of a column stormlog's schema does not name (legacy extras, `metadata_*`). */
function looseCell(raw: string): unknown {
  if (/^-?\d+$/.test(raw)) return intCell(raw);
  if (/^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(raw)) return Number(raw);
  if (raw === "True" || raw === "true") return true;
  if (raw === "False" || raw === "false") return false;
  if (/^[[{(]/.test(raw)) {
    try {
      return parsePythonLiteral(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * A CSV row as the record the tracker had in memory. Columns with an empty name (a pandas
 * index written with `index=True`) are not fields. Throws when an object cell cannot be
 * read; `onLoose` hears of a dict read only as text.
 */
export function csvRecord(header: string[], cells: string[], onLoose?: (message: string) => void): Rec {
  const r: Rec = {};
  header.forEach((key, i) => {
    if (!key) return;
    const raw = cells[i];
    if (raw === "" || raw === undefined) r[key] = null;
    else if (STRING_COLUMNS.has(key)) r[key] = raw;
    else if (INT_COLUMNS.has(key)) r[key] = intCell(raw);
    else if (key === "metadata") r[key] = objectCell(raw, key, onLoose);
    else r[key] = looseCell(raw);
  });
  // pandas writes an empty dict as "{}", but a NaN (a record without metadata) as nothing.
  if (r.metadata === null && "metadata" in r) r.metadata = {};
  return r;
}
