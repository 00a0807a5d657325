import type { Rec } from "./record";

/** One CSV line (RFC 4180 quoting: "" inside quotes is a quote). */
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

/**
 * A CSV row as the record `gpumemprof --format csv` wrote: empty cells are null, integers
 * exact (beyond 2^53 as NUL-marked strings, like the JSON path), JSON cells (metadata) parsed.
 */
export function csvRecord(header: string[], cells: string[]): Rec {
  const r: Rec = {};
  header.forEach((key, i) => {
    const raw = cells[i];
    let v: unknown = raw;
    if (raw === "" || raw === undefined) v = null;
    else if (/^-?\d+$/.test(raw)) v = raw.replace("-", "").length >= 16 ? `\u0000${raw}` : Number(raw);
    else if (/^-?\d*\.\d+(e[+-]?\d+)?$/i.test(raw)) v = Number(raw);
    else if (raw === "True" || raw === "true") v = true;
    else if (raw === "False" || raw === "false") v = false;
    else if ((raw.startsWith("{") && raw.endsWith("}")) || (raw.startsWith("[") && raw.endsWith("]"))) {
      try {
        v = JSON.parse(raw);
      } catch {
        v = raw;
      }
    }
    r[key] = v;
  });
  if (r.metadata === null && "metadata" in r) r.metadata = {};
  return r;
}
