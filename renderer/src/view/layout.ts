import { SOURCE_LABEL } from "../../../shared/model/runs";
import type { LaneInfo } from "../../../shared/model/types";

export const GROUP_HEIGHT = 24;
export const LANE_HEIGHT = 48;
export const BAND_TOP = 4;
export const BAND_HEIGHT = 18;
export const SUB_TOP = BAND_TOP + BAND_HEIGHT + 1;
export const SUB_HEIGHT = 4;
export const MEM_TOP = SUB_TOP + SUB_HEIGHT + 2;
export const MEM_HEIGHT = LANE_HEIGHT - MEM_TOP - 3;

export type Row =
  | { kind: "group"; key: string; label: string; y: number; h: number; count: number }
  | { kind: "lane"; key: string; lane: number; y: number; h: number };

export function groupLabel(info: LaneInfo): string {
  const group = info.group.replace(/^[a-z]+:/, "");
  const model = info.modelId ? ` · ${info.modelId}` : "";
  return `${SOURCE_LABEL[info.source] ?? info.source} · ${group}${model}`;
}

/**
 * Rows top to bottom: a header per group, then its lanes (already sorted by rank). `prefix`
 * tags the groups of compared runs ("A · …").
 */
export function buildRows(
  lanes: LaneInfo[],
  prefix: Map<string, string> | null = null,
): { rows: Row[]; height: number } {
  const rows: Row[] = [];
  let y = 0;
  let group: string | null = null;
  let header: Extract<Row, { kind: "group" }> | null = null;
  lanes.forEach((info, i) => {
    const tag = prefix?.get(info.id);
    const key = `${tag ?? ""}|${info.source}|${info.group}`;
    if (key !== group) {
      group = key;
      const label = tag ? `${tag.slice(0, 1)} · ${groupLabel(info)}` : groupLabel(info);
      header = { kind: "group", key, label, y, h: GROUP_HEIGHT, count: 0 };
      rows.push(header);
      y += GROUP_HEIGHT;
    }
    header!.count++;
    rows.push({ kind: "lane", key: info.id, lane: i, y, h: LANE_HEIGHT });
    y += LANE_HEIGHT;
  });
  return { rows, height: y };
}

/** Rows intersecting [top, top + height): binary search, so 10,000 lanes cost nothing. */
export function visibleRows(rows: Row[], top: number, height: number): Row[] {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].y + rows[mid].h <= top) lo = mid + 1;
    else hi = mid;
  }
  const out: Row[] = [];
  for (let i = lo; i < rows.length && rows[i].y < top + height; i++) out.push(rows[i]);
  return out;
}
