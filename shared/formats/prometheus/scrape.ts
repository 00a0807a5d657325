import { baseName, dirName, type FileSource } from "../../ingest/source";
import type { Line } from "../../ingest/text";
import type { ParseContext } from "../types";
import { parseExpositionLine, timestampNs, type ExpositionLine, type Labels } from "./line";

type Sample = Extract<ExpositionLine, { kind: "sample" }>;

/** Labels that say which target a series came from: they pick the lane, not the series. */
const TARGET_LABELS = new Set(["worker", "worker_id", "instance", "job"]);

/** Families whose `<family>_created` sample is a creation time, not a value of its own. */
const CREATED_TYPES = new Set(["counter", "histogram", "gaugehistogram", "summary"]);

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** `name{a="x",b="y"}` with labels sorted and escaped as Prometheus prints a series. */
export function seriesName(name: string, labels: Labels): string {
  if (!labels.length) return name;
  const sorted = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${name}{${sorted.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

/**
 * What one scrape file becomes: one counter sample per series, at the sample's own timestamp
 * or the file's mtime, on a lane per target: its `job` and `worker`/`instance` labels, or,
 * for a scrape without them, its folder (a folder of one target's scrapes over time is one
 * lane; scrapes of two runs in two folders are two).
 *
 * Not drawn, and said so once per file: histogram buckets (a curve per `le` bound says
 * little on a timeline; `_sum` and `_count` are drawn), `_created` samples (each is the
 * Unix time its counter was created or reset: drawn as a value it would be a flat line near
 * 1.7e9 beside the counter, and placed as an instant it would stretch every lane back to the
 * process start), exemplars (single observations; their value is in the series already),
 * and NaN/±Inf values (a summary with no observations yet).
 */
export class Scrape {
  private readonly fileT: number;
  private readonly folder: string;
  private eofLine = 0;
  private afterEof = false;
  private readonly types = new Map<string, string>();
  private readonly seen = new Set<string>();
  /** Integer timestamps read as Prometheus text's milliseconds. */
  private msTimestamps = 0;
  private readonly skipped = { buckets: 0, created: 0, exemplars: 0, nonFinite: 0 };

  constructor(
    private readonly ctx: ParseContext,
    source: FileSource,
    /** OpenMetrics: timestamps are seconds, and `# EOF` must end the file. */
    private readonly openMetrics: boolean,
  ) {
    this.fileT = ctx.builder.time.fromMs(source.lastModified);
    this.folder = dirName(source.path);
  }

  line(line: Line): void {
    const { report } = this.ctx;
    if (this.eofLine) {
      if (line.text.trim() && !this.afterEof) {
        this.afterEof = true;
        report.error(line.number, `text after "# EOF" (line ${this.eofLine}) is not read`);
      }
      return;
    }
    let parsed: ExpositionLine;
    try {
      parsed = parseExpositionLine(line.text);
    } catch (e) {
      if (!line.terminated)
        return report.warn(`line ${line.number}: torn last line dropped (the scrape was cut short)`);
      return report.error(line.number, `${(e as Error).message}: ${line.text.trim().slice(0, 80)}`);
    }
    if (parsed.kind === "sample" && !line.terminated) {
      // The format ends every line with a newline: without one the value may be cut short.
      return report.warn(`line ${line.number}: torn last line dropped (no newline after it)`);
    }
    if (parsed.kind === "type") this.types.set(parsed.name, parsed.type);
    else if (parsed.kind === "eof") this.eofLine = line.number;
    else if (parsed.kind === "sample") this.sample(parsed, line.number);
  }

  private isCreated(name: string): boolean {
    if (!name.endsWith("_created")) return false;
    const stem = name.slice(0, -"_created".length);
    // OpenMetrics types the family (stem); Prometheus clients emit `_created` beside the
    // `_total`, `_count` or `_sum` it belongs to.
    if (CREATED_TYPES.has(this.types.get(stem) ?? "")) return true;
    return ["_total", "_count", "_sum", ""].some((s) => this.seen.has(stem + s));
  }

  private sample(s: Sample, lineNumber: number): void {
    const { builder, report } = this.ctx;
    let t = this.fileT;
    if (s.ts !== null) {
      const ns = timestampNs(s.ts, this.openMetrics);
      if (ns === null) return report.error(lineNumber, `bad timestamp "${s.ts.slice(0, 40)}"`);
      t = builder.time.fromNs(ns);
      if (!this.openMetrics && !/[.eE]/.test(s.ts)) this.msTimestamps++;
    }
    if (s.exemplar && s.exemplar.ts !== null && timestampNs(s.exemplar.ts, true) === null)
      return report.error(lineNumber, `bad exemplar timestamp "${s.exemplar.ts.slice(0, 40)}"`);
    report.records++;
    if (s.exemplar) this.skipped.exemplars++;
    if (s.name.endsWith("_bucket") && s.labels.some(([k]) => k === "le")) {
      this.skipped.buckets++;
      return;
    }
    if (this.isCreated(s.name)) {
      this.skipped.created++;
      return;
    }
    this.seen.add(s.name);
    if (!Number.isFinite(s.value)) {
      this.skipped.nonFinite++;
      return;
    }
    const label = (k: string) => s.labels.find(([n]) => n === k)?.[1];
    const job = label("job");
    const who = label("worker") ?? label("worker_id") ?? label("instance") ?? null;
    const target = job ?? (who ? "metrics" : baseName(this.folder) || "metrics");
    const lane = builder.lane({
      id: job || who ? `prometheus:${target}:${who ?? ""}` : `prometheus:folder:${this.folder}`,
      label: who ? `${target} · ${who}` : target,
      source: "prometheus",
      group: `prometheus:${target}`,
      // A folder of scrapes over time is one run, whatever targets it holds.
      run: `prometheus:${this.folder || "."}`,
      node: who,
    });
    lane.counter(
      seriesName(
        s.name,
        s.labels.filter(([k]) => !TARGET_LABELS.has(k)),
      ),
      t,
      s.value,
    );
  }

  /** After the last line: a missing `# EOF`, and what was read but not drawn. */
  end(): void {
    const { report } = this.ctx;
    if (this.openMetrics && !this.eofLine)
      report.warn('no "# EOF" line: the OpenMetrics scrape may have been cut short');
    // Only a scrape whose first 64 KiB show no OpenMetrics sign gets here with an # EOF.
    if (!this.openMetrics && this.eofLine && this.msTimestamps)
      report.warn(
        `${this.msTimestamps} integer timestamps were read as milliseconds (Prometheus text), but "# EOF" on line ${this.eofLine} says OpenMetrics, whose timestamps are seconds`,
      );
    const { buckets, created, exemplars, nonFinite } = this.skipped;
    const parts = [
      buckets && `${buckets} histogram bucket samples (their _sum and _count are drawn)`,
      created && `${created} _created samples (creation times of counters, not values)`,
      exemplars && `${exemplars} exemplars (single observations)`,
      nonFinite && `${nonFinite} NaN or infinite values`,
    ].filter(Boolean);
    if (parts.length) report.warn(`read but not drawn: ${parts.join(", ")}`);
  }
}
