import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { PNG } from "pngjs";
import { dropFolder, freshPage, twoDaysFolder } from "./support";

const axisLabels = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __rankscope: { axisLabels(): string[] } }).__rankscope.axisLabels(),
  );

test("two runs from different days: each on its own, dates on the axis, own open phases, compared, exported", async ({
  page,
}) => {
  await freshPage(page);
  await dropFolder(page, twoDaysFolder());
  // Runs two days apart would be slivers side by side: the latest opens, the list shows all.
  const runs = page.getByTestId("runs");
  await expect(runs).toBeVisible({ timeout: 30_000 });
  await expect(runs.getByTestId("run")).toHaveCount(4);
  await expect(page.locator(".lane-header")).toHaveCount(4);
  await expect(page.getByTestId("axis-context")).toContainText("2026-04-26 UTC");
  await page.screenshot({ path: "test-results/runs-latest.png" });

  // The first day's instance-1: its rank 2 has been in decode_barrier for its own 45 s.
  await runs.getByTestId("run").filter({ hasText: "instance-1" }).locator(".run-name").click();
  await expect(page.locator(".lane-header")).toHaveCount(4);
  await expect(page.getByTestId("axis-context")).toContainText("2026-04-24 UTC");
  const stuck = page.locator(".lane-header", { hasText: "rank 2/4" }).getByTestId("open-phase");
  await expect(stuck).toContainText(/decode_barrier 4\d(\.\d)? s/);
  await page.getByRole("button", { name: "Findings" }).click();
  await expect(page.getByTestId("hangs")).toContainText(/rank 2 in decode_barrier for 4\d(\.\d)? s/);
  await expect(page.getByTestId("hangs")).not.toContainText(/ h /);
  await expect(runs.getByTestId("run").filter({ hasText: "instance-1" })).toContainText(
    "2026-04-24 22:00:32 UTC",
  );
  await page.screenshot({ path: "test-results/runs-day1.png" });

  // All runs: the view spans the days between, and the axis names them.
  await page.getByTestId("run-all").click();
  await expect(page.locator(".lane-header")).toHaveCount(12);
  expect((await axisLabels(page)).join(" ")).toMatch(/Sat 25 Apr|Sun 26 Apr/);
  // Time since start instead of wall clock.
  await page.getByTestId("clock-mode").click();
  await expect(page.getByTestId("axis-context")).toContainText("time since start");
  expect((await axisLabels(page))[0]).toMatch(/^(0|[+−]\d)/);
  await page.getByTestId("clock-mode").click();

  // Compare the same instance on both days, one above the other from their starts.
  await runs.getByTestId("run").filter({ hasText: "instance-1" }).locator("input").check();
  await runs.getByTestId("run").filter({ hasText: "instance-7" }).locator("input").check();
  await page.getByTestId("compare-runs").click();
  await expect(page.locator(".lane-header")).toHaveCount(8);
  await expect(page.locator(".group-header").first()).toContainText("A · Skulk · instance-1");
  await expect(page.locator(".group-header").nth(1)).toContainText("B · Skulk · instance-7");
  await expect(page.getByTestId("axis-context")).toContainText("time since start");
  const table = page.getByTestId("compare-table");
  await expect(table.locator("tbody tr").first()).toContainText("rank");
  // The second day replays the first exactly: every phase took as long.
  await expect(table.locator("tbody tr").first().locator("td").last()).toHaveText("0 ns");
  // Aligned on each run's first decode_barrier instead.
  await page.getByTestId("compare-align").selectOption("decode_barrier");
  await expect(page.getByTestId("compare-align")).toHaveValue("decode_barrier");
  await page.screenshot({ path: "test-results/runs-compare.png" });

  // The annotated picture of the comparison.
  await page.getByTestId("export-png").click();
  await page.getByTestId("export-range").selectOption("all");
  await page.getByTestId("export-width").fill("1200");
  await page.getByTestId("export-ratio").selectOption("1");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-save").click(),
  ]);
  const png = PNG.sync.read(readFileSync((await download.path())!));
  expect(png.width).toBe(1200);
  // Caption, legend, axis, then two groups (A and B) of four lanes.
  expect(png.height).toBe(46 + 22 + 26 + 2 * 24 + 8 * 48);
  await download.saveAs("test-results/runs-compare-export.png");
});
