import { readJsonRecords } from "../../ingest/records";
import { baseName } from "../../ingest/source";
import type { LaneBuilder } from "../../model/builder";
import { MarkerKind, SpanFlag, type LaneInfo, type MarkerKindValue } from "../../model/types";
import type { DirectoryFormat, Format, JsonObject, ParseContext } from "../types";
import { firstNonSpace, hasKeys, isObject, num, str } from "../types";

interface Thread {
  lane: LaneBuilder;
  /** B events waiting for their E. */
  stack: { name: string; start: number; args: JsonObject | null; line: number }[];
  /** X spans, depth assigned once the thread's spans are known (files need not be sorted). */
  spans: { start: number; end: number; name: string; args: JsonObject | null; line: number; flags: number }[];
}

const KIND_BY_NAME: Record<string, MarkerKindValue> = {
  info: MarkerKind.Info,
  warning: MarkerKind.Warning,
  error: MarkerKind.Error,
  exception: MarkerKind.Exception,
  cancel: MarkerKind.Cancel,
  crash: MarkerKind.Crash,
  peak: MarkerKind.Peak,
  critical: MarkerKind.Critical,
};

/**
 * One Chrome trace file: lanes per (pid, tid), named by thread_name/process_name metadata
 * (Skulk's `trace_{task_id}.json` names threads "Rank N" and carries rank and node in args).
 */
class TraceReader {
  private readonly threads = new Map<string, Thread>();
  private readonly processNames = new Map<number, string>();
  private readonly threadNames = new Map<string, string>();
  private readonly identities = new Map<string, Partial<LaneInfo>>();

  constructor(
    private readonly ctx: ParseContext,
    private readonly path: string,
  ) {}

  private thread(pid: number, tid: number, hint?: JsonObject | null): Thread {
    const key = `${pid}:${tid}`;
    let t = this.threads.get(key);
    if (!t) {
      const rank = hint && typeof hint.rank === "number" ? hint.rank : null;
      const node = hint ? str(hint.node_id) : null;
      const lane = this.ctx.builder.lane({
        id: `trace:${this.path}:${pid}:${tid}`,
        label: node && rank !== null ? `${node} · rank ${rank}` : `thread ${tid}`,
        source: "trace",
        group: `trace:${baseName(this.path)}${pid ? `:${pid}` : ""}`,
        node,
        rank,
        modelId: hint ? str(hint.model_id) : null,
      });
      t = { lane, stack: [], spans: [] };
      this.threads.set(key, t);
    }
    return t;
  }

  event(raw: unknown, line: number): void {
    if (!isObject(raw)) return this.ctx.report.error(line, "trace event is not an object");
    const ph = str(raw.ph);
    const pid = num(raw.pid) ?? 0;
    const tid = num(raw.tid) ?? 0;
    const name = str(raw.name) ?? "";
    const args = isObject(raw.args) ? raw.args : null;
    if (!ph) return this.ctx.report.error(line, 'trace event has no "ph"');
    if (ph === "M") return this.metadata(name, pid, tid, args);
    const ts = num(raw.ts);
    if (ts === null) return this.ctx.report.error(line, `${ph} event "${name}" has no numeric "ts"`);
    this.ctx.report.records++;
    const t = this.ctx.builder.time.fromUs(ts);
    const thread = this.thread(pid, tid, args);
    switch (ph) {
      case "X": {
        const dur = num(raw.dur) ?? 0;
        const flags =
          (args?.open ? SpanFlag.Open : 0) |
          (args?.truncatedStart ? SpanFlag.TruncatedStart : 0) |
          (args?.inferred ? SpanFlag.Inferred : 0) |
          (args?.error ? SpanFlag.Error : 0);
        thread.spans.push({
          start: t,
          end: t + Math.max(dur, 0) * 1e3,
          name,
          args: stripFlags(args),
          line,
          flags,
        });
        return;
      }
      case "B":
        thread.stack.push({ name, start: t, args, line });
        return;
      case "E": {
        const open = thread.stack.pop();
        if (!open)
          return this.ctx.report.warnOnce(
            "unmatched-E",
            `line ${line}: an "E" event without its "B" (ignored)`,
          );
        thread.spans.push({
          start: open.start,
          end: t,
          name: open.name || name,
          args: open.args,
          line: open.line,
          flags: 0,
        });
        return;
      }
      case "i":
      case "I":
      case "n": {
        const kind =
          KIND_BY_NAME[str(args?.kind) ?? ""] ??
          (/error|fail|exception/i.test(name) ? MarkerKind.Error : MarkerKind.Info);
        const { kind: _kind, ...rest } = args ?? {};
        void _kind;
        thread.lane.marker({ t, name, kind, args: rest, line });
        return;
      }
      case "C": {
        const cat = str(raw.cat);
        const entries = Object.entries(args ?? {}).filter(([, v]) => typeof v === "number") as [
          string,
          number,
        ][];
        for (const [k, v] of entries) {
          // Rankscope's own export names a series by `cat`; others by name (and key when several).
          const series =
            cat && entries.length === 1 && k === "value" && this.identities.has(`${pid}:${tid}`)
              ? cat
              : entries.length === 1
                ? name
                : `${name}.${k}`;
          thread.lane.counter(series, t, v);
        }
        return;
      }
      default:
        this.ctx.report.warnOnce(`ph:${ph}`, `line ${line}: "${ph}" events are not shown (first here)`);
    }
  }

  private metadata(name: string, pid: number, tid: number, args: JsonObject | null): void {
    const value = str(args?.name);
    if (name === "process_name" && value) this.processNames.set(pid, value);
    if (name === "thread_name" && value) this.threadNames.set(`${pid}:${tid}`, value);
    if (name === "thread_name" && isObject(args?.rankscope))
      this.identities.set(`${pid}:${tid}`, args.rankscope as Partial<LaneInfo>);
    if (name === "thread_name") this.thread(pid, tid, args);
  }

  finish(): void {
    for (const [key, t] of this.threads) {
      const [pid] = key.split(":").map(Number);
      const info = t.lane.info;
      const ident = this.identities.get(key);
      if (ident) Object.assign(info, ident, { source: ident.source ?? "trace" });
      else {
        info.label = this.threadNames.get(key) ?? info.label;
        const pname = this.processNames.get(pid);
        if (pname) info.group = `trace:${pname}`;
        if (info.rank == null) {
          const m = /rank\s*(\d+)/i.exec(info.label);
          if (m) info.rank = Number(m[1]);
        }
      }
      for (const open of t.stack) t.spans.push({ ...open, end: open.start, flags: SpanFlag.Open });
      // Depth from nesting: a span inside the one before it is one level deeper.
      t.spans.sort((a, b) => a.start - b.start || b.end - a.end);
      const ends: number[] = [];
      for (const s of t.spans) {
        while (ends.length && ends[ends.length - 1] <= s.start) ends.pop();
        const depth =
          typeof s.args?.depth === "number" ? (s.args.depth as number) : Math.min(ends.length, 255);
        const { depth: _d, ...args } = s.args ?? {};
        void _d;
        t.lane.span({ start: s.start, end: s.end, name: s.name, depth, flags: s.flags, args, line: s.line });
        ends.push(s.end);
      }
    }
  }
}

function stripFlags(args: JsonObject | null): JsonObject | null {
  if (!args) return null;
  const { open: _o, truncatedStart: _t, inferred: _i, error: _e, ...rest } = args;
  void _o;
  void _t;
  void _i;
  void _e;
  return rest;
}

export const chromeTrace: Format = {
  id: "chrome-trace",
  family: "trace",
  detect(head) {
    const c = firstNonSpace(head.text);
    if (c === "{" && hasKeys(head.text, "traceEvents")) return 0.95;
    if (c === "[" && /"ph"\s*:\s*"[XBEiICMn]"/.test(head.text) && hasKeys(head.text, "ts", "pid"))
      return 0.85;
    return 0;
  },
  async parse(source, ctx) {
    const reader = new TraceReader(ctx, source.path);
    await readJsonRecords(source, ctx.report, { keys: ["traceEvents"], signal: ctx.signal }, (v, line) =>
      reader.event(v, line),
    );
    reader.finish();
  },
};

export const chromeFormats: Format[] = [chromeTrace];
export const chromeDirectoryFormats: DirectoryFormat[] = [];
