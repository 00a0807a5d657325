import { decodeHead, forEachLine } from "../../ingest/text";
import type { DirectoryFormat, Format, Head } from "../types";
import { parseExpositionLine } from "./line";
import { Scrape } from "./scrape";

const HEAD_BYTES = 64 * 1024;

/**
 * What only OpenMetrics has: `# EOF`, `# UNIT`, its own types, an exemplar after a value,
 * or a timestamp with a fraction (Prometheus text timestamps are integer milliseconds).
 */
export function looksOpenMetrics(text: string): boolean {
  return (
    /^# EOF\s*$/m.test(text) ||
    /^# UNIT /m.test(text) ||
    /^# TYPE \S+ (?:unknown|gaugehistogram|stateset|info)\s*$/m.test(text) ||
    /^[^#\n][^\n]*\s#\s+\{/m.test(text) ||
    /^[a-zA-Z_:][^\s{]*(?:\{[^\n]*\})?\s+\S+\s+-?\d+\.\d*\s*$/m.test(text)
  );
}

/** Lines of the head that parse as exposition lines, against those that do not. */
function looksLikeExposition(head: Head): { good: number; bad: number; eof: boolean } {
  const lines = head.text.split("\n");
  // The head may end mid-line (64 KiB cut, or a torn file): that line proves nothing.
  if (!head.text.endsWith("\n")) lines.pop();
  let good = 0;
  let bad = 0;
  let eof = false;
  for (const l of lines.slice(0, 200)) {
    try {
      const p = parseExpositionLine(l);
      if (p.kind === "eof") eof = true;
      if (p.kind !== "blank" && p.kind !== "comment") good++;
    } catch {
      bad++;
    }
    if (good + bad >= 60) break;
  }
  return { good, bad, eof };
}

/**
 * Prometheus text scrapes (`/metrics`) and OpenMetrics scrapes (the same endpoint under
 * content negotiation), one format id: a folder of them becomes counter tracks over time.
 * See `Scrape` for what becomes a series.
 */
export const prometheusText: Format = {
  id: "prometheus.text",
  family: "prometheus",
  detect(head) {
    const { good, bad, eof } = looksLikeExposition(head);
    if (good < 2 || bad > good / 10) return 0;
    return eof ? 0.95 : 0.85;
  },
  async parse(source, ctx) {
    const head = decodeHead((await source.head(HEAD_BYTES)).subarray(0, HEAD_BYTES));
    const scrape = new Scrape(ctx, source, looksOpenMetrics(head));
    await forEachLine(source, (line) => scrape.line(line), ctx.signal);
    scrape.end();
  },
};

export const prometheusFormats: Format[] = [prometheusText];
export const prometheusDirectoryFormats: DirectoryFormat[] = [];
