import type { AnnotationRow } from "../db/db";
import { db } from "./database";
import { useApp } from "./store";

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
