import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { generateCluster } from "../../bench/generate";
import { freshPage } from "./support";

/**
 * A run big enough to take a few seconds to import (16 ranks × 6,000 entries, ~55 MB), and
 * the demo open beside it in a fresh library; returns the run's folder.
 */
async function bigRunBesideTheDemo(page: Page, seed: number): Promise<string> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-big-")), "big-run");
  await generateCluster(dir, { nodes: 2, ranksPerNode: 8, entriesPerRank: 6000, seed });
  await freshPage(page, "?demo");
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
  return dir;
}

test("an import shows its progress and Cancel leaves the library as it was", async ({ page }) => {
  const dir = await bigRunBesideTheDemo(page, 5);

  await page.getByTestId("folder-input").setInputFiles(dir);
  const progress = page.getByTestId("progress");
  await expect(progress).toBeVisible();
  await expect(progress).toContainText(/Reading \d+\/16 files/);
  await progress.getByRole("button", { name: "Cancel" }).click();

  await expect(page.getByTestId("banner")).toContainText("Import cancelled: nothing was saved.");
  await expect(progress).toBeHidden();
  // The demo is still open and alone in the library.
  await expect(page.locator(".lane-header")).toHaveCount(6);
  await page.getByRole("button", { name: "Library" }).click();
  await expect(page.getByTestId("library").locator("li")).toHaveCount(1);
  const stored = await page.evaluate(
    () =>
      new Promise<number>((ok) => {
        const req = indexedDB.open("rankscope");
        req.onsuccess = () => {
          const tx = req.result.transaction("blocks", "readonly");
          const c = tx.objectStore("blocks").count();
          c.onsuccess = () => ok(c.result);
        };
      }),
  );
  expect(stored).toBe(6);
});

test("leaving the page while an import runs asks first: staying keeps it, and it is saved", async ({
  page,
}) => {
  const dir = await bigRunBesideTheDemo(page, 6);
  // A browser asks before leaving only a page the user has interacted with.
  await page.getByTestId("dataset-title").click();
  await page.getByTestId("folder-input").setInputFiles(dir);
  await expect(page.getByTestId("progress")).toBeVisible();
  const asked = page.waitForEvent("dialog");
  await page.evaluate(() => setTimeout(() => location.reload(), 0));
  const dialog = await asked;
  expect(dialog.type()).toBe("beforeunload");
  await dialog.dismiss(); // stay
  await expect(page.locator(".lane-header")).toHaveCount(16, { timeout: 60_000 });
  await expect(page.getByTestId("progress")).toBeHidden({ timeout: 60_000 });
  // Saved: a reload now leaves without asking, and the import is in the library.
  page.on("dialog", () => {
    throw new Error("asked to leave after the import was saved");
  });
  await page.reload();
  await page.getByRole("button", { name: "Library" }).click();
  await expect(page.getByTestId("library").locator("li")).toHaveCount(2, { timeout: 30_000 });
});
