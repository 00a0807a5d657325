import { forEachLine } from "../../ingest/text";
import type { DirectoryFormat, Format, Head } from "../types";

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/;

/** Label pairs of `{a="x",b="y\"z"}` with escapes (\\, \", \n) undone. */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  return out;
}

export function parseValue(v: string): number {
  if (v === "+Inf" || v === "Inf") return Infinity;
  if (v === "-Inf") return -Infinity;
  return Number(v);
}

function looksLikeExposition(head: Head): boolean {
  const lines = head.text
    .split("\n", 50)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) return false;
  let samples = 0;
  let bad = 0;
  for (const l of lines) {
    if (l.startsWith("# TYPE ") || l.startsWith("# HELP ")) samples++;
    else if (l.startsWith("#")) continue;
    else if (SAMPLE.test(l) && !Number.isNaN(parseValue(SAMPLE.exec(l)![4]))) samples++;
    else bad++;
  }
  return samples >= 2 && bad <= samples / 10;
}

/**
 * Prometheus text scrapes (`/metrics`): one sample per series at the sample's own timestamp
 * or the file's mtime, so a folder of scrapes becomes counter tracks over time. Lanes per
 * `worker`/`instance` label (else one per scrape source); histogram buckets are skipped
 * (their _sum and _count are kept).
 */
export const prometheusText: Format = {
  id: "prometheus.text",
  family: "prometheus",
  detect: (h) => (looksLikeExposition(h) ? 0.85 : 0),
  async parse(source, ctx) {
    const fileT = ctx.builder.time.fromMs(source.lastModified);
    await forEachLine(
      source,
      (line) => {
        const text = line.text.trim();
        if (!text || text.startsWith("#")) return;
        const m = SAMPLE.exec(text);
        if (!m) return ctx.report.error(line.number, `not a sample line: ${text.slice(0, 80)}`);
        const [, name, , labelText, value, ts] = m;
        if (name.endsWith("_bucket")) return;
        const v = parseValue(value);
        if (Number.isNaN(v) && value !== "NaN") return ctx.report.error(line.number, `bad value "${value}"`);
        ctx.report.records++;
        const labels = labelText ? parseLabels(labelText) : {};
        const who = labels.worker ?? labels.worker_id ?? labels.instance ?? null;
        const rest = Object.entries(labels)
          .filter(([k]) => k !== "worker" && k !== "worker_id" && k !== "instance" && k !== "job")
          .map(([k, x]) => `${k}="${x}"`)
          .join(",");
        const lane = ctx.builder.lane({
          id: `prometheus:${labels.job ?? "metrics"}:${who ?? ""}`,
          label: who ? `${labels.job ?? "metrics"} · ${who}` : (labels.job ?? "metrics"),
          source: "prometheus",
          group: `prometheus:${labels.job ?? name.split("_")[0]}`,
          node: who,
        });
        lane.counter(rest ? `${name}{${rest}}` : name, ts ? ctx.builder.time.fromMs(Number(ts)) : fileT, v);
      },
      ctx.signal,
    );
  },
};

export const prometheusFormats: Format[] = [prometheusText];
export const prometheusDirectoryFormats: DirectoryFormat[] = [];
