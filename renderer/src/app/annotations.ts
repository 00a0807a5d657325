import { formatDuration } from "../../../shared/model/time";
import type { AnnotationRow } from "../db/db";
import { laneShift } from "../view/laneView";
import type { View } from "../view/timeScale";
import { currentData } from "./current";
import { db } from "./database";
import { useApp, type AppState } from "./store";

/** The colour of notes made with M (the others are picked in the Notes tab). */
export const MARK_COLOR = "#79c0ff";

/** Annotations live in IndexedDB with their dataset; the store mirrors the open dataset's. */
export async function loadAnnotations(datasetId: string): Promise<void> {
  const rows = await db.annotations.where("datasetId").equals(datasetId).toArray();
  rows.sort((a, b) => a.start - b.start || a.createdAt - b.createdAt);
  useApp.getState().setAnnotations(rows);
}

export async function addAnnotation(
  a: Omit<AnnotationRow, "id" | "datasetId" | "createdAt">,
): Promise<AnnotationRow | null> {
  const current = useApp.getState().current;
  if (!current) return null;
  const row: AnnotationRow = { ...a, id: crypto.randomUUID(), datasetId: current.id, createdAt: Date.now() };
  await db.annotations.add(row);
  await loadAnnotations(current.id);
  return row;
}

export async function updateAnnotation(
  id: string,
  patch: Partial<Pick<AnnotationRow, "text" | "color" | "start" | "end" | "laneId">>,
): Promise<void> {
  await db.annotations.update(id, patch);
  const current = useApp.getState().current;
  if (current) await loadAnnotations(current.id);
}

export async function deleteAnnotation(id: string): Promise<void> {
  await db.annotations.delete(id);
  const current = useApp.getState().current;
  if (current) await loadAnnotations(current.id);
}

/** What M marks: the selected range, else the selected span or marker, else the pinned instant. */
export function markExtent(s: AppState): View | null {
  if (s.range) return s.range;
  const sel = s.selection;
  const lane = sel && currentData().lanes.find((l) => l.data.info.id === sel.laneId);
  if (sel && lane) {
    const shift = laneShift(lane, s.shifts);
    const { spans, markers } = lane.data;
    // A paged lane's span is kept by its fields (its index is into a tile).
    if (sel.kind === "span" && sel.span) return { start: sel.span.start + shift, end: sel.span.end + shift };
    if (sel.kind === "span" && sel.index < spans.start.length)
      return { start: spans.start[sel.index] + shift, end: spans.end[sel.index] + shift };
    if (sel.kind === "marker" && sel.index < markers.t.length)
      return { start: markers.t[sel.index] + shift, end: markers.t[sel.index] + shift };
  }
  return s.pinned === null ? null : { start: s.pinned, end: s.pinned };
}

/** M (as in Perfetto): keeps what is selected as a note the user can then write into. */
export async function markRange(): Promise<AnnotationRow | null> {
  const s = useApp.getState();
  const r = markExtent(s);
  if (!r) return null;
  const lane = s.range ? null : (s.selection?.laneId ?? null);
  const text = r.end > r.start ? `Marked ${formatDuration(r.end - r.start)}` : "Marked";
  return addAnnotation({ start: r.start, end: r.end, laneId: lane, text, color: MARK_COLOR });
}

/** The JSON sidecar: times as exact epoch nanoseconds (decimal strings), so it outlives the dataset. */
export interface AnnotationSidecar {
  format: "rankscope.annotations";
  version: 1;
  dataset: string;
  annotations: { startNs: string; endNs: string; lane: string | null; text: string; color: string }[];
}

export function toSidecar(rows: AnnotationRow[], datasetName: string, originSec: number): AnnotationSidecar {
  const ns = (offset: number) => (BigInt(originSec) * 1_000_000_000n + BigInt(Math.round(offset))).toString();
  return {
    format: "rankscope.annotations",
    version: 1,
    dataset: datasetName,
    annotations: rows.map((r) => ({
      startNs: ns(r.start),
      endNs: ns(r.end),
      lane: r.laneId,
      text: r.text,
      color: r.color,
    })),
  };
}

/** Parses a sidecar against a dataset's origin; throws with a reason a person can act on. */
export function fromSidecar(
  text: string,
  originSec: number,
): Omit<AnnotationRow, "id" | "datasetId" | "createdAt">[] {
  let doc: AnnotationSidecar;
  try {
    doc = JSON.parse(text) as AnnotationSidecar;
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  if (doc?.format !== "rankscope.annotations" || !Array.isArray(doc.annotations))
    throw new Error('not a Rankscope annotations file (expected "format": "rankscope.annotations")');
  const origin = BigInt(originSec) * 1_000_000_000n;
  return doc.annotations.map((a, i) => {
    if (!/^-?\d+$/.test(a.startNs ?? "") || !/^-?\d+$/.test(a.endNs ?? ""))
      throw new Error(`annotation ${i + 1}: startNs/endNs must be decimal nanoseconds`);
    return {
      start: Number(BigInt(a.startNs) - origin),
      end: Number(BigInt(a.endNs) - origin),
      laneId: a.lane ?? null,
      text: String(a.text ?? ""),
      color: /^#[0-9a-f]{6}$/i.test(a.color) ? a.color : "#ffd666",
    };
  });
}
