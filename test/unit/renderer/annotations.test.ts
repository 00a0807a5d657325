import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import {
  addAnnotation,
  deleteAnnotation,
  fromSidecar,
  loadAnnotations,
  toSidecar,
  updateAnnotation,
} from "../../../renderer/src/app/annotations";
import { db } from "../../../renderer/src/app/database";
import { useApp } from "../../../renderer/src/app/store";
import type { DatasetRow } from "../../../renderer/src/db/db";

const origin = 1777068231; // 2026-04-24T22:03:51Z

function open(id: string): void {
  const row: DatasetRow = {
    id,
    name: id,
    createdAt: 1,
    fingerprint: id,
    originSec: origin,
    start: 0,
    end: 60e9,
    files: [],
    notes: [],
    laneCount: 0,
    spanCount: 0,
    markerCount: 0,
    sampleCount: 0,
  };
  useApp.getState().setCurrent(row);
}

describe("annotations", () => {
  it("are stored with their dataset, edited, listed in time order and deleted", async () => {
    open("ds-1");
    await addAnnotation({
      start: 5e9,
      end: 7e9,
      laneId: "skulk:runner-2",
      text: "rank 2 late",
      color: "#ff7b72",
    });
    await addAnnotation({ start: 1e9, end: 1e9, laneId: null, text: "load", color: "#ffd666" });
    expect(useApp.getState().annotations.map((a) => a.text)).toEqual(["load", "rank 2 late"]);
    const late = useApp.getState().annotations[1];
    await updateAnnotation(late.id, { text: "rank 2 late by 94 ms" });
    // Another dataset's notes are separate.
    open("ds-2");
    await loadAnnotations("ds-2");
    expect(useApp.getState().annotations).toEqual([]);
    open("ds-1");
    await loadAnnotations("ds-1");
    expect(useApp.getState().annotations.map((a) => a.text)).toEqual(["load", "rank 2 late by 94 ms"]);
    await deleteAnnotation(late.id);
    expect((await db.annotations.where("datasetId").equals("ds-1").toArray()).map((a) => a.text)).toEqual([
      "load",
    ]);
  });

  it("round-trip through the JSON sidecar with exact nanosecond times", () => {
    const rows = [
      {
        id: "a",
        datasetId: "d",
        start: 508_123_457,
        end: 2_000_000_001,
        laneId: "skulk:r",
        text: "x",
        color: "#7ee787",
        createdAt: 1,
      },
    ];
    const doc = toSidecar(rows, "run", origin);
    expect(doc.annotations[0].startNs).toBe("1777068231508123457");
    const back = fromSidecar(JSON.stringify(doc), origin);
    expect(back).toEqual([
      { start: 508_123_457, end: 2_000_000_001, laneId: "skulk:r", text: "x", color: "#7ee787" },
    ]);
    // Against another dataset's origin the instants stay the same instants.
    expect(fromSidecar(JSON.stringify(doc), origin - 10)[0].start).toBe(10e9 + 508_123_457);
  });

  it("refuse files that are not annotation sidecars, saying why", () => {
    expect(() => fromSidecar("{", origin)).toThrow(/not JSON/);
    expect(() => fromSidecar('{"traceEvents": []}', origin)).toThrow(/not a Rankscope annotations file/);
    expect(() =>
      fromSidecar(
        '{"format":"rankscope.annotations","annotations":[{"startNs":"soon","endNs":"1"}]}',
        origin,
      ),
    ).toThrow(/annotation 1/);
  });
});
