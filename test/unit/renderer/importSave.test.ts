import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import { ingest } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { buildLaneLod } from "../../../shared/model/lod";
import { importDemo } from "../../../renderer/src/app/actions";
import { currentData } from "../../../renderer/src/app/current";
import { importMarks, markImportStart } from "../../../renderer/src/app/perf";
import { useApp } from "../../../renderer/src/app/store";
import * as datasets from "../../../renderer/src/db/datasets";
import { host } from "../../../renderer/src/host";

vi.mock("../../../renderer/src/db/datasets", async (actual) => {
  const real = await actual<typeof import("../../../renderer/src/db/datasets")>();
  return { ...real, saveDataset: vi.fn(real.saveDataset) };
});

describe("the end of an import", () => {
  it("shows every lane in full detail while the library save is still under way", async () => {
    const outcome = await ingest(generateSkulkDemo().map((f) => memorySource(f.path, f.content)));
    const lods = outcome.lanes.map(buildLaneLod);
    const spans = outcome.lanes.reduce((n, l) => n + l.spans.start.length, 0);
    host.ingestDemo = () => ({ result: Promise.resolve({ ...outcome, lods }), cancel() {} });
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const real = vi.mocked(datasets.saveDataset).getMockImplementation()!;
    vi.mocked(datasets.saveDataset).mockImplementationOnce(async (...args) => {
      await gate;
      return real(...args);
    });
    // The page asks before it is left while the import is read or saved (unloadGuard.ts).
    const listeners = new Set<unknown>();
    vi.stubGlobal(
      "addEventListener",
      (type: string, fn: unknown) => type === "beforeunload" && listeners.add(fn),
    );
    vi.stubGlobal(
      "removeEventListener",
      (type: string, fn: unknown) => type === "beforeunload" && listeners.delete(fn),
    );
    markImportStart();
    const done = importDemo();
    await vi.waitFor(() => expect(useApp.getState().ingest.status).toBe("saving"));
    expect(listeners.size).toBe(1);
    const leave = { preventDefault: vi.fn(), returnValue: undefined as unknown };
    (listeners.values().next().value as (e: unknown) => void)(leave);
    expect(leave.preventDefault).toHaveBeenCalled();
    // Saving: the lanes on screen are the whole result, and the import counts as drawn.
    const shown = currentData().lanes;
    expect(shown.length).toBe(outcome.lanes.length);
    expect(shown.reduce((n, v) => n + v.data.spans.start.length, 0)).toBe(spans);
    expect(importMarks.fullAt).not.toBeNull();
    expect(useApp.getState().datasets.length).toBe(0);
    release();
    await done;
    expect(useApp.getState().ingest.status).toBe("done");
    expect(listeners.size).toBe(0); // saved: leaving loses nothing
    vi.unstubAllGlobals();
    expect(useApp.getState().datasets.map((d) => d.id)).toEqual([useApp.getState().current!.id]);
    expect(currentData().lanes.reduce((n, v) => n + v.data.spans.start.length, 0)).toBe(spans);
  });
});
