import { expect, test } from "@playwright/test";
import { DEMO_NODES } from "../../shared/demo/skulkDemo";
import { dropFolder, freshPage, skulkFolder } from "./support";

test("dropping a folder of Skulk diagnostics shows one lane per rank, the hang and the broken file", async ({
  page,
}) => {
  await freshPage(page);
  await expect(page.getByRole("heading", { name: "Drop a folder of logs" })).toBeVisible();
  await dropFolder(page, skulkFolder());

  const timeline = page.getByTestId("timeline");
  await expect(timeline).toBeVisible({ timeout: 30_000 });
  // Two instances: 4 ranks and 2 ranks, each lane headed with its node and rank/world size.
  const headers = page.locator(".lane-header");
  await expect(headers).toHaveCount(6);
  for (const rank of ["rank 0/4", "rank 1/4", "rank 2/4", "rank 3/4", "rank 0/2", "rank 1/2"]) {
    await expect(page.locator(".lane-rank", { hasText: rank })).toHaveCount(1);
  }
  // Nodes are shown by their friendly names, the peer id kept in the tooltip.
  const rank2 = page.locator(".lane-header", { hasText: "rank 2/4" });
  await expect(rank2.locator(".lane-node")).toHaveText("Ben's Mac mini");
  await expect(rank2).toHaveAttribute("title", new RegExp(`node ${DEMO_NODES.b.id}`));
  await expect(page.locator(".lane-header", { hasText: "rank 0/4" })).toContainText("layers 0–8 of 30");

  // The hang: rank 2 is still in decode_barrier at the end of the data.
  const stuck = page.locator(".lane-header", { hasText: "rank 2/4" }).getByTestId("open-phase");
  await expect(stuck).toContainText("decode_barrier");
  await expect(stuck).toContainText(/\d+(\.\d+)? s/);
  // The crashed runner of instance 2.
  await expect(page.locator(".lane-header", { hasText: "rank 1/2" })).toContainText("process dead");

  // Per-file report: what each file was read as; the broken file and the README say why.
  const files = page.getByTestId("files-panel");
  await expect(files).toContainText("skulk.cluster-timeline");
  await expect(files).toContainText("skulk.node-diagnostics");
  await expect(files).toContainText("skulk.capture");
  await expect(files).toContainText("skulk.cluster-diagnostics");
  const broken = page.getByTestId("file-row").filter({ hasText: "broken-timeline.json" });
  await expect(broken.locator(".diag.error")).toContainText(/malformed JSON|JSON/);
  await expect(page.getByTestId("file-row").filter({ hasText: "README.txt" })).toContainText("unknown");
  // Node C was unreachable for both the timeline and the bundle: one note.
  await expect(page.getByTestId("dataset-note")).toContainText(DEMO_NODES.c.id);
  await expect(page.getByTestId("legend")).toContainText("barrier / wait");

  await page.screenshot({ path: "test-results/drop-skulk.png" });

  // Zooming with the wheel narrows the time axis; F fits it back.
  const canvas = page.getByTestId("lanes-canvas");
  const box = (await canvas.boundingBox())!;
  const before = await page.locator(".axis-canvas").screenshot();
  await page.mouse.move(box.x + box.width * 0.6, box.y + 40);
  await page.mouse.wheel(0, -600);
  await page.waitForTimeout(200);
  const after = await page.locator(".axis-canvas").screenshot();
  expect(Buffer.compare(before, after)).not.toBe(0);
});

test("the folder picker reads a real directory and the library keeps the import across reloads", async ({
  page,
}) => {
  await freshPage(page);
  await page.getByTestId("folder-input").setInputFiles(skulkFolder());
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
  await expect(page.getByTestId("dataset-title")).toContainText("skulk-cluster");
  // The lanes are drawn before the library save ends; the bar says so until it is done.
  await expect(page.getByText("Saving to the library…")).toHaveCount(0, { timeout: 30_000 });

  await page.reload();
  // Reopened from IndexedDB without parsing again.
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 15_000 });
  await page.getByRole("button", { name: "Library" }).click();
  await expect(page.getByTestId("library")).toContainText("skulk-cluster");
  await expect(page.getByTestId("library")).toContainText("6 lanes");
  // A browser has no File menu: the Library says it is the way back to recent imports.
  await expect(page.getByTestId("library-hint")).toHaveText(
    "Web mode has no File → Open Recent: reopen recent folders and files here.",
  );
});

test("the demo opens from ?demo", async ({ page }) => {
  await freshPage(page, "?demo");
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
  await expect(page.getByTestId("dataset-title")).toContainText("Demo");
});

test("the overview strip shows every lane's phases in a row of its own", async ({ page }) => {
  await freshPage(page, "?demo");
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
  // Per lane's row (36 px / 6 lanes), how many colours it holds inside the view's frame: an
  // empty row is the strip's background alone, a drawn one its phases and the gaps between.
  const colours = async () =>
    page.getByTestId("overview").evaluate((c: HTMLCanvasElement) => {
      const { width, height } = c;
      const px = c.getContext("2d")!.getImageData(0, 0, width, height).data;
      return Array.from({ length: 6 }, (_, lane) => {
        const y = Math.floor(((lane + 0.5) * height) / 6);
        const seen = new Set<string>();
        for (let x = 3; x < width - 3; x++)
          seen.add(px.slice((y * width + x) * 4, (y * width + x) * 4 + 3).join());
        return seen.size;
      });
    });
  await expect.poll(async () => Math.min(...(await colours())), { timeout: 10_000 }).toBeGreaterThan(1);
});
