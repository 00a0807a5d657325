import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { PNG } from "pngjs";
import { dropFolder, freshPage, skulkFolder } from "./support";

/** Pixels within `tol` of an RGB colour. */
function countColor(png: PNG, [r, g, b]: [number, number, number], tol = 6): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (
      Math.abs(png.data[i] - r) <= tol &&
      Math.abs(png.data[i + 1] - g) <= tol &&
      Math.abs(png.data[i + 2] - b) <= tol
    )
      n++;
  }
  return n;
}

test("pin an instant, write a note, export an annotated PNG of the run", async ({ page }) => {
  await freshPage(page);
  await dropFolder(page, skulkFolder());
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });

  // Findings: rank 2 is the hang; stragglers are listed per barrier, and a click jumps there.
  await page.getByRole("button", { name: "Findings" }).click();
  await expect(page.getByTestId("hangs").locator("li").filter({ hasText: "rank 2" })).toContainText(
    "decode_barrier",
  );
  const firstLate = page.getByTestId("stragglers").locator("li").first();
  await expect(firstLate).toContainText(/late at (prefill|decode)_barrier/);
  const axisBefore = await page.locator(".axis-canvas").screenshot();
  await firstLate.getByRole("button").click();
  expect(Buffer.compare(axisBefore, await page.locator(".axis-canvas").screenshot())).not.toBe(0);

  // Clocks, per run (each instance's barriers): node B's clock runs 35 ms ahead in this data;
  // align instance-1's two node-B ranks, then undo.
  await page.getByRole("button", { name: "Clocks" }).click();
  const runs = page.getByTestId("clock-run");
  await expect(runs).toHaveCount(2);
  for (const run of await runs.all())
    await expect(run.getByTestId("clock-row").filter({ hasText: "Ben's Mac mini" })).toContainText(
      /\+3[45]\.\d ms/,
    );
  await runs.filter({ hasText: "instance-1" }).getByTestId("align-clocks").click();
  await expect(page.getByTestId("offset-badge")).toHaveCount(2);
  await page.getByTestId("undo-shift").click();
  await expect(page.getByTestId("offset-badge")).toHaveCount(0);
  await page.keyboard.press("f");

  // Click on rank 2's lane near the end of the data: pins the cursor, selects the stuck span.
  const canvas = page.getByTestId("lanes-canvas");
  const box = (await canvas.boundingBox())!;
  const rank2 = page.locator(".lane-header-slot", { hasText: "rank 2/4" });
  const laneBox = (await rank2.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.9, laneBox.y + 12);
  await expect(page.getByTestId("details")).toContainText("decode_barrier");
  await expect(page.getByTestId("details")).toContainText("still open at the end of the data");
  await expect(page.getByTestId("details-source")).toContainText(".json");

  // N opens the note editor at the pinned instant; pick the red colour; Enter adds it.
  await page.keyboard.press("n");
  await page.getByLabel("colour #ff7b72").click();
  await page.getByTestId("note-text").fill("rank 2 never leaves decode_barrier");
  await page.getByTestId("note-text").press("Enter");
  await expect(page.getByTestId("note-item")).toHaveCount(1);
  await expect(page.getByTestId("note-item")).toContainText("rank 2 never leaves decode_barrier");

  // Notes survive a reload (IndexedDB, with the dataset).
  await page.reload();
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 15_000 });
  await page.getByRole("button", { name: /Notes/ }).click();
  await expect(page.getByTestId("note-item")).toHaveCount(1);

  // Export the whole run at 1200 px, 2x: a download in web mode.
  await page.getByTestId("export-png").click();
  await page.getByTestId("export-range").selectOption("all");
  await page.getByTestId("export-width").fill("1200");
  await page.getByTestId("export-ratio").selectOption("2");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-save").click(),
  ]);
  const file = await download.path();
  const png = PNG.sync.read(readFileSync(file!));
  expect(png.width).toBe(2400);
  // Caption, legend and axis (120 px) plus 2 group rows and 6 lanes, at 2x.
  expect(png.height).toBe((46 + 22 + 26 + 2 * 24 + 6 * 48) * 2);
  // The note's label box and line are drawn in its colour.
  expect(countColor(png, [0xff, 0x7b, 0x72])).toBeGreaterThan(500);
  await download.saveAs("test-results/annotated-export.png");
});
