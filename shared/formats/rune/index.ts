import { readJsonDocument } from "../../ingest/records";
import { forEachLine } from "../../ingest/text";
import { baseName, type FileSource } from "../../ingest/source";
import type { LaneBuilder } from "../../model/builder";
import { MarkerKind, SpanFlag } from "../../model/types";
import { SseParser, looksLikeSse } from "../omnirt/sse";
import type { DirectoryFormat, Format, ParseContext } from "../types";
import { firstNonSpace, hasKeys, isObject, num, str } from "../types";
import { readJobStore } from "./sqlite";

const SQLITE_MAGIC = "SQLite format 3\u0000";

interface Job {
  tenant: string | null;
  kind: string | null;
  status: string | null;
}

function laneFor(ctx: ParseContext, jobId: string | null, job: Job | undefined): LaneBuilder {
  return ctx.builder.lane({
    id: `rune:${jobId ?? "no-job"}`,
    label: jobId ? `${job?.kind ?? "job"} ${jobId}` : "events without a job",
    source: "rune",
    group: `rune:${job?.tenant ?? job?.kind ?? "jobs"}`,
    state: job ? { tenant: job.tenant, kind: job.kind, status: job.status } : undefined,
  });
}

/** One workflow event: `recorded_at` (unix s) is its END; start = end − duration. */
function span(
  ctx: ParseContext,
  lane: LaneBuilder,
  e: {
    event: string;
    status: string;
    duration_ms: number | null;
    error_type: string | null;
    labels: unknown;
    recorded_at: number;
    id?: unknown;
  },
  line: number,
): void {
  const end = ctx.builder.time.fromSec(e.recorded_at);
  const start = end - Math.max(e.duration_ms ?? 0, 0) * 1e6;
  const failed = e.status !== "ok" && e.status !== "success";
  const args = {
    status: e.status,
    ...(e.error_type ? { error_type: e.error_type } : {}),
    ...(isObject(e.labels) ? { labels: e.labels } : {}),
    ...(e.id != null ? { id: e.id } : {}),
  };
  lane.span({ start, end, name: e.event, flags: failed ? SpanFlag.Error : 0, args, line });
  if (failed)
    lane.marker({
      t: end,
      name: `${e.event} ${e.error_type ?? e.status}`,
      kind: MarkerKind.Error,
      args,
      line,
    });
  ctx.report.records++;
}

export const runeSqlite: Format = {
  id: "rune.sqlite",
  family: "rune",
  detect(head) {
    if (/-(wal|shm|journal)$/.test(head.name)) return 0;
    const magic = String.fromCharCode(...head.bytes.subarray(0, 16));
    return magic === SQLITE_MAGIC ? 0.9 : 0;
  },
  async parse(source, ctx) {
    const walFile = ctx.sibling(`${baseName(source.path)}-wal`);
    const wal =
      walFile && walFile.size > 0 ? { name: baseName(walFile.path), bytes: await walFile.bytes() } : null;
    const read = await readJobStore(await source.bytes(), wal);
    for (const w of read.warnings) ctx.report.warn(w);
    const store = read.store;
    if (!store) return ctx.report.error(undefined, read.error ?? "not a readable SQLite database");
    if (!store.tables.has("workflow_events"))
      return ctx.report.error(
        undefined,
        `a SQLite database without a workflow_events table (tables: ${[...store.tables].join(", ") || "none"}): not a RUNE job store`,
      );
    const jobs = new Map<string, Job>();
    for (const r of store.jobs)
      jobs.set(String(r[0]), {
        tenant: r[1] == null ? null : String(r[1]),
        kind: r[2] == null ? null : String(r[2]),
        status: r[3] == null ? null : String(r[3]),
      });
    for (const [id, jobId, event, status, duration, errorType, labels, recorded] of store.events) {
      if (typeof recorded !== "number") {
        ctx.report.error(undefined, `workflow_events row ${String(id)} has no recorded_at`);
        continue;
      }
      let parsed: unknown = null;
      if (typeof labels === "string" && labels) {
        try {
          parsed = JSON.parse(labels);
        } catch {
          parsed = { raw: labels };
        }
      }
      const job = jobId == null ? null : String(jobId);
      span(
        ctx,
        laneFor(ctx, job, job ? jobs.get(job) : undefined),
        {
          id,
          event: String(event),
          status: String(status),
          duration_ms: typeof duration === "number" ? duration : null,
          error_type: errorType == null ? null : String(errorType),
          labels: parsed,
          recorded_at: recorded,
        },
        0,
      );
    }
  },
};

export const runeSse: Format = {
  id: "rune.sse",
  family: "rune",
  detect: (h) =>
    looksLikeSse(h.text, "recorded_at", "duration_ms") && /^event:\s*log\s*$/m.test(h.text) ? 0.92 : 0,
  async parse(source, ctx) {
    const parser = new SseParser((b) => {
      if (b.event === "end") return;
      let d: unknown;
      try {
        d = JSON.parse(b.data);
      } catch (e) {
        return ctx.report.error(b.line, `data is not JSON: ${(e as Error).message}`);
      }
      if (!isObject(d) || num(d.recorded_at) === null || !str(d.event))
        return ctx.report.error(b.line, 'a log event needs "event" and a numeric "recorded_at"');
      const job =
        (isObject(d.labels) && str(d.labels.job_id)) || baseName(source.path).replace(/\.[^.]*$/, "");
      span(
        ctx,
        laneFor(ctx, job, undefined),
        {
          event: str(d.event)!,
          status: str(d.status) ?? "ok",
          duration_ms: num(d.duration_ms),
          error_type: str(d.error_type),
          labels: d.labels,
          recorded_at: num(d.recorded_at)!,
          id: d.id,
        },
        b.line,
      );
    });
    await forEachLine(source, (l) => parser.line(l.text, l.number), ctx.signal);
    parser.flush();
  },
};

export const runeSummary: Format = {
  id: "rune.summary",
  family: "rune",
  detect: (h) => (firstNonSpace(h.text) === "{" && hasKeys(h.text, "events", "avg_ms", "total") ? 0.9 : 0),
  async parse(source, ctx) {
    const doc = await readJsonDocument(source, ctx.report, { signal: ctx.signal });
    if (!doc) return;
    const events = Array.isArray(doc.events) ? doc.events.filter(isObject) : [];
    ctx.report.records = events.length;
    // Aggregates carry no time: they are counted and listed, not drawn.
    const line = events
      .map(
        (e) =>
          `${str(e.event)}: ${num(e.total) ?? 0} (${num(e.error) ?? 0} errors, avg ${num(e.avg_ms) ?? "?"} ms)`,
      )
      .join("; ");
    ctx.report.warn(`a metrics summary has no timestamps, so nothing is drawn: ${line.slice(0, 400)}`);
  },
};

const RESULT_PATH = /(?:^|\/)results\/([^/]+)\/([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\.json$/;

/**
 * A result pushed to S3/SeaweedFS as results/{tenant}/{kind}/{date}/{job_id}.json: the one
 * format whose identity is in its path. Drawn as a span from created_at to the last of
 * updated_at/finished_at when the JSON has them (unix seconds or ISO), else a marker at
 * the start of its date.
 */
export const runeResult: Format = {
  id: "rune.result",
  family: "rune",
  detect: (h) => (RESULT_PATH.test(h.path) && firstNonSpace(h.text) === "{" ? 0.6 : 0),
  async parse(source: FileSource, ctx) {
    const [, tenant, kind, date, jobId] = RESULT_PATH.exec(source.path)!;
    const o = await readJsonDocument(source, ctx.report, { signal: ctx.signal });
    if (!o) return;
    const lane = laneFor(ctx, jobId, { tenant, kind, status: str(o.status) });
    const when = (v: unknown) =>
      typeof v === "number"
        ? ctx.builder.time.fromSec(v)
        : typeof v === "string"
          ? ctx.builder.time.fromIso(v)
          : null;
    const start = when(o.created_at) ?? when(o.started_at);
    const end = when(o.finished_at) ?? when(o.updated_at) ?? when(o.completed_at);
    ctx.report.records = 1;
    const args = { tenant, kind, date, status: o.status ?? null };
    if (start !== null && end !== null)
      lane.span({ start, end: Math.max(end, start), name: kind, flags: o.error ? SpanFlag.Error : 0, args });
    else {
      const t = ctx.builder.time.fromIso(`${date}T00:00:00Z`)!;
      lane.marker({ t, name: `${kind} result`, kind: o.error ? MarkerKind.Error : MarkerKind.Info, args });
      ctx.report.warn("no created/finished times in the result: shown as a marker at the start of its date");
    }
  },
};

export const runeFormats: Format[] = [runeSqlite, runeSse, runeSummary, runeResult];
export const runeDirectoryFormats: DirectoryFormat[] = [];
