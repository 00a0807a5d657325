import { expect, test, type Page } from "@playwright/test";
import { PNG } from "pngjs";
import { freshPage } from "./support";

/** The colour most of the lanes canvas is painted in (the lane background), as [r, g, b]. */
const laneBackground = (page: Page) =>
  page.getByTestId("lanes-canvas").evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext("2d")!.getImageData(0, 0, c.width, c.height);
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 16) {
      const k = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const [top] = [...counts].sort((a, b) => b[1] - a[1])[0];
    return [top >> 16, (top >> 8) & 255, top & 255];
  });

const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** The exported picture's first pixel (its background), as [r, g, b]. */
async function exportBackground(page: Page): Promise<number[]> {
  const b64 = await page.evaluate(() =>
    (window as unknown as { __rankscope: { exportPng(o: object): Promise<string> } }).__rankscope.exportPng({
      width: 800,
      pixelRatio: 1,
    }),
  );
  const png = PNG.sync.read(Buffer.from(b64, "base64"));
  return [png.data[0], png.data[1], png.data[2]];
}

const light = (rgb: number[]) => rgb.every((c) => c >= 235);
const dark = (rgb: number[]) => rgb.every((c) => c <= 40);

test("themes: system by default, a toggle to light kept across a reload, system following the preference live", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.emulateMedia({ colorScheme: "dark" });
  await freshPage(page, "?demo");
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
  const toggle = page.getByTestId("theme-toggle");

  // Nothing chosen yet: the system's dark preference.
  await expect(toggle).toHaveAttribute("data-choice", "system");
  await expect(toggle).toHaveAttribute("title", /system \(dark now\)/);
  expect(await bodyBackground(page)).toBe("rgb(20, 24, 29)");
  expect(dark(await laneBackground(page))).toBe(true);
  await page.screenshot({ path: "/tmp/theme-dark.png" });

  // One click: light, though the system still prefers dark. Page, lanes and export follow.
  await toggle.click();
  await expect(toggle).toHaveAttribute("data-choice", "light");
  await expect(toggle).toHaveAttribute("title", /Theme: light\. Click for dark/);
  expect(await bodyBackground(page)).toBe("rgb(255, 255, 255)");
  await expect.poll(async () => light(await laneBackground(page))).toBe(true);
  expect(await exportBackground(page)).toEqual([255, 255, 255]);
  await page.screenshot({ path: "/tmp/theme-light.png" });

  // Kept across a reload.
  await page.reload();
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
  await expect(toggle).toHaveAttribute("data-choice", "light");
  expect(await bodyBackground(page)).toBe("rgb(255, 255, 255)");
  await expect.poll(async () => light(await laneBackground(page))).toBe(true);

  // Dark, then back to system: dark now, and light the moment the system switches.
  await toggle.click();
  await expect(toggle).toHaveAttribute("data-choice", "dark");
  expect(await exportBackground(page)).toEqual([0x14, 0x18, 0x1d]);
  await page.emulateMedia({ colorScheme: "light" });
  // An explicit choice ignores the system.
  expect(await bodyBackground(page)).toBe("rgb(20, 24, 29)");
  await toggle.click();
  await expect(toggle).toHaveAttribute("data-choice", "system");
  await expect(toggle).toHaveAttribute("title", /system \(light now\)/);
  expect(await bodyBackground(page)).toBe("rgb(255, 255, 255)");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => bodyBackground(page)).toBe("rgb(20, 24, 29)");
  await expect.poll(async () => dark(await laneBackground(page))).toBe(true);
});
