import { readHead } from "../../ingest/head";
import { readJsonRecords } from "../../ingest/records";
import { baseName, type FileSource } from "../../ingest/source";
import { readText } from "../../ingest/text";
import type { DirectoryFormat, Format, Head, ParseContext } from "../types";
import { firstNonSpace, hasKeys, isObject } from "../types";
import { csvRecord, forEachCsvRow } from "./csv";
import { StormCollector } from "./lanes";
import { BIG_INT_PREPARE, legacySessionId, looksLikeEvent, toEvent, type Rec } from "./record";
import { parseRollups } from "./rollups";

/** Keys that only stormlog records (v2+, or legacy tracker output) carry. */
const V3_KEYS = /"(?:allocator_allocated_bytes|device_used_bytes|sampling_interval_ms)"/;
const LEGACY_KEYS = /"(?:memory_allocated|memory_mb)"/;

function readRecord(
  ctx: ParseContext,
  collector: StormCollector,
  value: unknown,
  line: number,
  defaultSession: string,
  index: number,
): void {
  if (!isObject(value)) return ctx.report.error(line, `Event at index ${index} must be an object`);
  try {
    collector.event(toEvent(value, defaultSession), line);
    ctx.report.records++;
  } catch (e) {
    ctx.report.error(line, (e as Error).message);
  }
}

async function parseJson(source: FileSource, ctx: ParseContext, defaultSession: string): Promise<void> {
  const collector = StormCollector.of(ctx);
  let index = 0;
  const result = await readJsonRecords(
    source,
    ctx.report,
    { keys: ["events"], prepare: BIG_INT_PREPARE, signal: ctx.signal },
    (v, line) => readRecord(ctx, collector, v, line, defaultSession, index++),
  );
  if (result.shape === "single") {
    if (looksLikeEvent(result.envelope)) readRecord(ctx, collector, result.envelope, 1, defaultSession, 0);
    else ctx.report.error(undefined, "JSON payload does not contain telemetry events");
  }
}

async function parseCsv(source: FileSource, ctx: ParseContext, defaultSession: string): Promise<void> {
  const collector = StormCollector.of(ctx);
  let header: string[] | null = null;
  let index = 0;
  await forEachCsvRow(
    source,
    ({ cells, line, complete }) => {
      if (!header) {
        header = cells;
        return;
      }
      // pandas ends every row with a newline: a row without one may have lost part of a cell.
      if (!complete)
        return ctx.report.warn(`line ${line}: torn last line dropped (the file was still being written)`);
      if (cells.length !== header.length)
        return ctx.report.error(line, `expected ${header.length} columns, found ${cells.length}`);
      let record: Rec;
      try {
        record = csvRecord(header, cells, (message) =>
          ctx.report.warnOnce("loose-metadata", `line ${line}: ${message} (and any later rows like it)`),
        );
      } catch (e) {
        index++;
        return ctx.report.error(line, (e as Error).message);
      }
      readRecord(ctx, collector, record, line, defaultSession, index++);
    },
    ctx.signal,
  );
}

const isCsvHeader = (head: Head) => {
  const first = head.text.split("\n", 1)[0];
  return (
    first.includes(",") &&
    /(^|,)"?(timestamp_ns|timestamp)"?(,|$)/.test(first) &&
    /(^|,)"?(event_type|allocator_allocated_bytes|memory_allocated|memory_mb|type)"?(,|$)/.test(first)
  );
};

export const stormlogEvents: Format = {
  id: "stormlog.events",
  family: "stormlog",
  detect(head) {
    const c = firstNonSpace(head.text);
    if (c === "[" || c === "{") {
      if (hasKeys(head.text, "format") && /stormlog\./.test(head.text.slice(0, 2000))) return 0;
      // stormlog's JSON Schemas name every field, but describe records rather than hold them.
      if (/"\$schema"\s*:/.test(head.text.slice(0, 2000))) return 0;
      if (hasKeys(head.text, "timestamp_ns", "event_type") && V3_KEYS.test(head.text)) return 0.95;
      if (hasKeys(head.text, "timestamp") && LEGACY_KEYS.test(head.text)) return 0.8;
      return 0;
    }
    return isCsvHeader(head) ? 0.85 : 0;
  },
  async parse(source, ctx) {
    // stormlog's loader names a file's legacy session by its path and the events key.
    // The head detection saw: past any leading blank lines, whatever their length.
    const csv = !/^\s*[[{]/.test((await readHead(source)).text);
    const session = legacySessionId(source.path, csv ? "csv" : "json");
    await (csv ? parseCsv(source, ctx, session) : parseJson(source, ctx, session));
    StormCollector.of(ctx).endInput();
  },
};

export const stormlogRollups: Format = {
  id: "stormlog.rollups",
  family: "stormlog",
  detect(head) {
    return /"format"\s*:\s*"stormlog\.telemetry_rollups"/.test(head.text) ? 0.99 : 0;
  },
  async parse(source, ctx) {
    await parseRollups(source, ctx);
  },
};

const SEGMENT = /^segment-\d{6}\.jsonl$/;

/**
 * A sink directory (`--telemetry-sink-dir`): `manifest.json` (v1 without sessions, v2 with)
 * and `segment-%06d.jsonl` files, including segments the manifest does not list.
 */
export const stormlogSink: DirectoryFormat = {
  id: "stormlog.sink",
  family: "stormlog",
  async claim(_dir, files, heads) {
    const segments = files.filter((f) => SEGMENT.test(baseName(f.path)));
    const manifest = files.find((f) => baseName(f.path) === "manifest.json");
    const isSinkManifest = manifest
      ? /"format"\s*:\s*"stormlog\.append_only_telemetry_sink"/.test((await heads(manifest)).text)
      : false;
    if (!isSinkManifest && !segments.length) return null;
    return [...(isSinkManifest && manifest ? [manifest] : []), ...segments];
  },
  async parse(dir, files, ctx) {
    const collector = StormCollector.of(ctx);
    const manifestFile = files.find((f) => baseName(f.path) === "manifest.json");
    const hints = new Map<string, string>();
    let listed: Set<string> | null = null;
    if (manifestFile) {
      try {
        const m = JSON.parse(BIG_INT_PREPARE(await readText(manifestFile, ctx.signal))) as Rec;
        if (m.schema_version !== 1 && m.schema_version !== 2)
          ctx.report.warn(`manifest.json: unknown schema_version ${String(m.schema_version)}, read as v2`);
        for (const s of Array.isArray(m.sessions) ? m.sessions : []) if (isObject(s)) collector.session(s);
        listed = new Set();
        for (const seg of Array.isArray(m.segments) ? m.segments : []) {
          if (!isObject(seg) || typeof seg.filename !== "string") continue;
          listed.add(seg.filename);
          if (typeof seg.session_id === "string") hints.set(seg.filename, seg.session_id);
        }
      } catch (e) {
        ctx.report.error(
          undefined,
          `manifest.json could not be read (${(e as Error).message}); segments are read without it`,
        );
      }
    }
    const fallback = legacySessionId(dir || ".", "sink");
    const segments = files
      .filter((f) => SEGMENT.test(baseName(f.path)))
      .sort((a, b) => a.path.localeCompare(b.path));
    for (const seg of segments) {
      const name = baseName(seg.path);
      if (listed && !listed.has(name))
        ctx.report.warn(`${name} is not listed in manifest.json (read anyway)`);
      const before = ctx.report.records;
      await parseJson(seg, ctx, hints.get(name) ?? fallback);
      if (ctx.report.records === before) ctx.report.warnOnce(`empty:${name}`, `${name} holds no events`);
    }
    collector.endInput();
  },
};

export const stormlogFormats: Format[] = [stormlogEvents, stormlogRollups];
export const stormlogDirectoryFormats: DirectoryFormat[] = [stormlogSink];
