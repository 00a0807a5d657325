import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { generateCluster } from "../../bench/generate";
import { dropFolder, freshPage } from "./support";

interface Drawn {
  k: number;
  count: number;
  names: string[];
  spans: { name: string; depth: number; start: number; end: number }[];
}

type Hooks = {
  state(): { ingest: string };
  paging(): { pagedLanes: string[]; reads: number };
  drawnSpans(laneId: string): Drawn | null;
  phases(laneId: string): { name: string; start: number; end: number }[];
  setView(v: { start: number; end: number }): void;
};
type W = { __rankscope: Hooks };

const ingest = (page: Page) => page.evaluate(() => (window as never as W).__rankscope.state().ingest);
const paging = (page: Page) => page.evaluate(() => (window as never as W).__rankscope.paging());
const drawnSpans = (page: Page, id: string) =>
  page.evaluate((l) => (window as never as W).__rankscope.drawnSpans(l), id);
const phases = (page: Page, id: string) =>
  page.evaluate((l) => (window as never as W).__rankscope.phases(l), id);

const LANE = "skulk:runner-0-0";

/** Zooms to [start, end] and waits until the lane draws its raw spans there (tiles read). */
async function zoomToRaw(page: Page, view: { start: number; end: number }): Promise<Drawn> {
  await page.evaluate((v) => (window as never as W).__rankscope.setView(v), view);
  await expect.poll(async () => (await drawnSpans(page, LANE))?.k).toBe(-1);
  return (await drawnSpans(page, LANE))!;
}

test("a paged lane zoomed in draws its raw spans from tiles, and a clicked step shows its details", async ({
  page,
}) => {
  // Two ranks of 6000 flight-recorder entries: ~3000 spans and ~9000 samples each.
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-e2e-")), "paged-run");
  await generateCluster(dir, { nodes: 1, ranksPerNode: 2, entriesPerRank: 6000, seed: 5 });
  await freshPage(page, "?pageItems=1000");
  await dropFolder(page, dir);
  await expect.poll(() => ingest(page), { timeout: 60_000 }).toBe("done");
  expect((await paging(page)).pagedLanes).toEqual([LANE, "skulk:runner-0-1"]);

  // Zoomed out, a level of detail is drawn (not the raw spans).
  const whole = (await drawnSpans(page, LANE))!;
  expect(whole.k).toBeGreaterThanOrEqual(0);

  // The third decode_stream phase: its generator steps are depth-1 spans, in tiles only.
  const stream = (await phases(page, LANE)).filter((p) => p.name === "decode_stream")[2];
  const view = { start: stream.start + 1e6, end: stream.start + 1e6 + 100e6 };
  const drawn = await zoomToRaw(page, view);
  const steps = drawn.spans.filter((s) => s.depth === 1);
  expect(drawn.names).toContain("decode_stream");
  expect(steps.length).toBeGreaterThanOrEqual(3);
  expect(steps.every((s) => s.name === "generator_step")).toBe(true);
  const reads = (await paging(page)).reads;
  expect(reads).toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/paging-zoomed.png" });

  // Click the middle of the second step's strip: Details of that step, from its tile.
  const step = steps[1];
  const canvas = (await page.getByTestId("lanes-canvas").boundingBox())!;
  const row = (await page.locator(".lane-header-slot").first().boundingBox())!;
  const x = canvas.x + (((step.start + step.end) / 2 - view.start) / (view.end - view.start)) * canvas.width;
  await page.mouse.click(x, row.y + 25);
  const details = page.getByTestId("details");
  await expect(details.locator("h3")).toHaveText("generator_step");
  await expect(details).toContainText("depth 1");
  await expect(details).toContainText("step");
  await expect(page.getByTestId("details-source")).toContainText(/rank-0\.jsonl:\d+/);

  // Zoomed out again (the step's tile may go), the selection still shows that step.
  await page.keyboard.press("f");
  await expect(details.locator("h3")).toHaveText("generator_step");
  await expect(details).toContainText("depth 1");

  // Reopened from the library: the raw spans come from the stored tiles again.
  await page.reload();
  await expect.poll(async () => (await paging(page)).pagedLanes.length, { timeout: 30_000 }).toBe(2);
  const again = await zoomToRaw(page, view);
  expect(again.spans).toEqual(drawn.spans);
});
