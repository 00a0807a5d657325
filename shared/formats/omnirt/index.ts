import { readJsonDocument } from "../../ingest/records";
import { forEachLine } from "../../ingest/text";
import type { LaneBuilder } from "../../model/builder";
import { MarkerKind, SpanFlag } from "../../model/types";
import type { DirectoryFormat, Format, JsonObject, ParseContext } from "../types";
import { firstNonSpace, hasKeys, isObject, num, str } from "../types";
import { looksLikeSse, SseParser } from "./sse";

const MB = 1024 * 1024;

function lane(ctx: ParseContext, o: JsonObject): LaneBuilder {
  const worker = str(o.worker_id) || "local";
  const model = str(o.model) ?? str((o.request as JsonObject | undefined)?.model as string) ?? null;
  return ctx.builder.lane({
    id: `omnirt:${worker}`,
    label: worker === "local" ? "local worker" : `worker ${worker}`,
    source: "omnirt",
    group: `omnirt:${str(o.backend) ?? model ?? "jobs"}`,
    node: worker === "local" ? null : worker,
    modelId: model,
  });
}

/**
 * A job's stream events (RunReport.stream_events, JobRecord.events, a saved SSE stream):
 * queue wait and job as spans, stages as nested spans, failures and cache hits as markers.
 */
class JobEvents {
  private enqueued: number | null = null;
  private started: number | null = null;
  private readonly stages = new Map<string, { t: number; line: number }>();
  private ended = false;

  constructor(
    private readonly ctx: ParseContext,
    private readonly lane: LaneBuilder,
    private readonly jobId: string,
  ) {}

  event(e: JsonObject, line: number): void {
    const name = str(e.event);
    const ms = num(e.timestamp_ms);
    if (!name || ms === null)
      return this.ctx.report.error(
        line || undefined,
        'stream event needs "event" and a numeric "timestamp_ms"',
      );
    this.ctx.report.records++;
    const t = this.ctx.builder.time.fromMs(ms);
    const stage = str(e.stage) ?? "job";
    const data = isObject(e.data) ? e.data : {};
    const args = { job: this.jobId, stage, ...data };
    switch (name) {
      case "job_enqueued":
        this.enqueued = t;
        return;
      case "job_started":
        this.started = t;
        if (this.enqueued !== null)
          this.lane.span({ start: this.enqueued, end: t, name: "queue", args: { job: this.jobId }, line });
        return;
      case "stage_start":
        this.stages.set(stage, { t, line });
        return;
      case "stage_end": {
        const open = this.stages.get(stage);
        this.stages.delete(stage);
        const elapsed = num(data.elapsed_ms);
        const start = open?.t ?? (elapsed !== null ? t - elapsed * 1e6 : t);
        this.lane.span({
          start,
          end: t,
          name: stage,
          depth: 1,
          flags: open ? 0 : SpanFlag.Inferred,
          args,
          line: open?.line ?? line,
        });
        return;
      }
      case "stage_progress": {
        const step = num(data.step);
        if (step !== null) this.lane.counter(`${stage}.step`, t, step);
        return;
      }
      case "cache_hit":
        this.lane.marker({
          t,
          name: `cache_hit ${str(data.kind) ?? stage}`,
          kind: MarkerKind.Info,
          args,
          line,
        });
        return;
      case "job_finished":
      case "job_failed":
      case "job_cancelled": {
        this.ended = true;
        const failed = name === "job_failed";
        const begin = this.started ?? this.enqueued ?? t;
        this.lane.span({
          start: begin,
          end: t,
          name: `job ${this.jobId}`,
          flags: failed ? SpanFlag.Error : 0,
          args,
          line,
        });
        if (name !== "job_finished")
          this.lane.marker({ t, name, kind: failed ? MarkerKind.Error : MarkerKind.Cancel, args, line });
        for (const [s, open] of this.stages)
          this.lane.span({
            start: open.t,
            end: t,
            name: s,
            depth: 1,
            flags: failed ? SpanFlag.Error : 0,
            args: { job: this.jobId },
            line: open.line,
          });
        this.stages.clear();
        return;
      }
      default:
        this.lane.marker({
          t,
          name,
          kind: /fail|error/.test(name) ? MarkerKind.Error : MarkerKind.Info,
          args,
          line,
        });
    }
  }

  /** A job still running when the file was saved: open spans. */
  finish(end: number | null): void {
    if (this.ended) return;
    const last = end ?? this.started ?? this.enqueued;
    if (last === null) return;
    if (this.started !== null)
      this.lane.span({
        start: this.started,
        end: last,
        name: `job ${this.jobId}`,
        flags: SpanFlag.Open,
        args: { job: this.jobId },
      });
    for (const [s, open] of this.stages)
      this.lane.span({
        start: open.t,
        end: last,
        name: s,
        depth: 1,
        flags: SpanFlag.Open,
        args: { job: this.jobId },
        line: open.line,
      });
  }
}

/** A RunReport (also inside GenerateResult.metadata or JobRecord.result). */
function runReport(ctx: ParseContext, r: JsonObject): void {
  const l = lane(ctx, r);
  const job = str(r.job_id) || str(r.run_id) || "run";
  const events = Array.isArray(r.stream_events) ? r.stream_events.filter(isObject) : [];
  let end: number | null = null;
  if (events.length) {
    const j = new JobEvents(ctx, l, job);
    for (const e of events) j.event(e, 0);
    j.finish(null);
    const last = num(events[events.length - 1].timestamp_ms);
    end = last === null ? null : ctx.builder.time.fromMs(last);
  } else if (isObject(r.timings)) {
    // No events: lay the stage timings end to end from the enqueue time, as inferred spans.
    const enq = num(r.enqueued_at_ms);
    if (enq === null) {
      ctx.report.warn("no stream_events and no enqueued_at_ms: stage timings cannot be placed in time");
    } else {
      ctx.report.warn("no stream_events: stages are laid end to end from the timings (inferred)");
      let t = ctx.builder.time.fromMs(enq + (num(r.queue_wait_ms) ?? 0));
      const start = t;
      for (const [k, v] of Object.entries(r.timings)) {
        if (typeof v !== "number" || !k.endsWith("_ms") || k === "total_ms") continue;
        l.span({
          start: t,
          end: t + v * 1e6,
          name: k.slice(0, -3),
          depth: 1,
          flags: SpanFlag.Inferred,
          args: { job },
        });
        t += v * 1e6;
      }
      l.span({ start, end: t, name: `job ${job}`, flags: SpanFlag.Inferred, args: { job } });
      end = t;
      ctx.report.records++;
    }
  }
  const peak = isObject(r.memory) ? num(r.memory.peak_mb) : null;
  if (peak !== null && end !== null) l.counter("memory.peak", end, peak * MB);
  if (r.error && end !== null)
    l.marker({ t: end, name: "error", kind: MarkerKind.Error, args: { error: r.error } });
}

function json(source: Parameters<Format["parse"]>[0], ctx: ParseContext): Promise<JsonObject | null> {
  return readJsonDocument(source, ctx.report, { signal: ctx.signal });
}

export const omnirtRunReport: Format = {
  id: "omnirt.run-report",
  family: "omnirt",
  detect: (h) =>
    firstNonSpace(h.text) === "{" &&
    hasKeys(h.text, "run_id") &&
    (hasKeys(h.text, "timings") || hasKeys(h.text, "stream_events"))
      ? 0.93
      : 0,
  async parse(source, ctx) {
    const doc = await json(source, ctx);
    if (doc) runReport(ctx, isObject(doc.metadata) ? doc.metadata : doc);
  },
};

export const omnirtJob: Format = {
  id: "omnirt.job",
  family: "omnirt",
  detect: (h) =>
    firstNonSpace(h.text) === "{" &&
    hasKeys(h.text, "id", "state", "enqueued_at_ms") &&
    !hasKeys(h.text, "spans")
      ? 0.9
      : 0,
  async parse(source, ctx) {
    const doc = await json(source, ctx);
    if (!doc) return;
    const id = str(doc.id) ?? "job";
    const l = lane(ctx, doc);
    const j = new JobEvents(ctx, l, id);
    const events = Array.isArray(doc.events) ? doc.events.filter(isObject) : [];
    if (events.length) for (const e of events) j.event(e, 0);
    else {
      for (const [k, ev] of [
        ["enqueued_at_ms", "job_enqueued"],
        ["started_at_ms", "job_started"],
        [
          "finished_at_ms",
          doc.state === "failed"
            ? "job_failed"
            : doc.state === "cancelled"
              ? "job_cancelled"
              : "job_finished",
        ],
      ] as const) {
        const ms = num(doc[k]);
        if (ms !== null) j.event({ event: ev, stage: "job", timestamp_ms: ms, data: {} }, 0);
      }
    }
    j.finish(null);
    if (isObject(doc.result) && isObject(doc.result.metadata))
      runReport(ctx, { worker_id: doc.worker_id, ...doc.result.metadata, stream_events: [] });
  },
};

export const omnirtTrace: Format = {
  id: "omnirt.trace",
  family: "omnirt",
  detect: (h) =>
    firstNonSpace(h.text) === "{" && hasKeys(h.text, "trace_id", "spans") && /"started_at_ms"/.test(h.text)
      ? 0.93
      : 0,
  async parse(source, ctx) {
    const doc = await json(source, ctx);
    if (!doc) return;
    const l = lane(ctx, doc);
    const job = str(doc.job_id) ?? str(doc.trace_id) ?? "job";
    for (const s of Array.isArray(doc.spans) ? doc.spans : []) {
      if (!isObject(s)) continue;
      const a = num(s.started_at_ms);
      const b = num(s.ended_at_ms);
      if (a === null) {
        ctx.report.error(undefined, `span ${str(s.span_id) ?? "?"} has no started_at_ms`);
        continue;
      }
      ctx.report.records++;
      const start = ctx.builder.time.fromMs(a);
      const end = b === null ? start : ctx.builder.time.fromMs(b);
      const status = str(s.status) ?? "ok";
      const name = str(s.stage) ?? str(s.name) ?? "span";
      l.span({
        start,
        end,
        name,
        depth: name === "job" ? 0 : 1,
        flags: (status === "error" ? SpanFlag.Error : 0) | (b === null ? SpanFlag.Open : 0),
        args: { job, span: s.name, status, ...(isObject(s.attributes) ? { attributes: s.attributes } : {}) },
      });
      if (status !== "ok")
        l.marker({
          t: end,
          name: `${name} ${status}`,
          kind: status === "error" ? MarkerKind.Error : MarkerKind.Cancel,
          args: { job },
        });
    }
  },
};

export const omnirtSse: Format = {
  id: "omnirt.sse",
  family: "omnirt",
  detect: (h) => (looksLikeSse(h.text, "stage", "timestamp_ms") ? 0.9 : 0),
  async parse(source, ctx) {
    const jobs = new Map<string, JobEvents>();
    const parser = new SseParser((b) => {
      let data: unknown;
      try {
        data = JSON.parse(b.data);
      } catch (e) {
        return ctx.report.error(b.line, `data is not JSON: ${(e as Error).message}`);
      }
      if (!isObject(data)) return;
      const job = str(data.job_id) ?? source.path;
      let j = jobs.get(job);
      if (!j) jobs.set(job, (j = new JobEvents(ctx, lane(ctx, data), job)));
      j.event({ ...data, event: data.event ?? b.event }, b.line);
    });
    await forEachLine(source, (l) => parser.line(l.text, l.number), ctx.signal);
    parser.flush();
    for (const j of jobs.values()) j.finish(null);
  },
};

export const omnirtFormats: Format[] = [omnirtRunReport, omnirtJob, omnirtTrace, omnirtSse];
export const omnirtDirectoryFormats: DirectoryFormat[] = [];
