import { expect, test, type Page } from "@playwright/test";
import { formatDuration } from "../../shared/model/time";
import type { TestHooks } from "../../renderer/src/testHooks";
import { dropFolder, freshPage, skulkFolder } from "./support";

type W = { __rankscope: TestHooks };

async function openDemo(page: Page): Promise<void> {
  await freshPage(page);
  await dropFolder(page, skulkFolder());
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
}

const span = (v: { start: number; end: number }) => v.end - v.start;

test("dragging on the time axis selects a range: its length, per-rank phase time, memory, a note, M, Esc", async ({
  page,
}) => {
  await openDemo(page);
  // Rank 2 of instance 1 hangs in decode_barrier until the end of its data.
  const stuck = (await page.evaluate(() => (window as unknown as W).__rankscope.openPhases())).find((p) =>
    p.label.endsWith("rank 2"),
  )!;
  expect(stuck.name).toBe("decode_barrier");
  const len = stuck.end - stuck.start;
  await page.evaluate((v) => (window as unknown as W).__rankscope.setView(v), {
    start: stuck.start - len * 0.5,
    end: stuck.end + len * 0.5,
  });

  // Drag across the middle of the hang on the axis: from 1/3 to 2/3 of it.
  const axis = (await page.getByTestId("axis-canvas").boundingBox())!;
  const xOf = (t: number) => axis.x + ((t - (stuck.start - len * 0.5)) / (len * 2)) * axis.width;
  const y = axis.y + axis.height / 2;
  await page.mouse.move(xOf(stuck.start + len / 3), y);
  await page.mouse.down();
  await page.mouse.move(xOf(stuck.start + (2 * len) / 3), y, { steps: 6 });
  await page.mouse.up();

  const range = (await page.evaluate(() => (window as unknown as W).__rankscope.range()))!;
  expect(range).not.toBeNull();
  expect(range.start).toBeGreaterThan(stuck.start);
  expect(range.end).toBeLessThan(stuck.end);
  // About a third of the hang (the pointer lands on whole pixels).
  expect(span(range) / len).toBeGreaterThan(0.3);
  expect(span(range) / len).toBeLessThan(0.37);

  // The Range tab: the duration, and rank 2 in a barrier for all of it.
  const summary = page.getByTestId("range-summary");
  await expect(summary).toBeVisible();
  await expect(page.getByTestId("range-duration")).toHaveText(formatDuration(span(range)));
  const row = page.locator(`[data-testid=range-row][data-lane="${stuck.laneId}"]`);
  const barrierNs = Number(await row.locator("[data-family=barrier]").getAttribute("data-ns"));
  expect(Math.abs(barrierNs - span(range))).toBeLessThan(1);
  expect(Number(await row.locator("[data-family=none]").getAttribute("data-ns"))).toBeLessThan(1);
  // The demo's runners hold 4 GiB of active MLX memory throughout (mlxMemory.active.inBytes).
  const mem = page.getByTestId("range-memory").locator("tr", { hasText: "mlx.active" }).first();
  await expect(mem).toContainText("4.00 GiB");
  await page.screenshot({ path: "test-results/range.png" });

  // A note over the range: N, type, Enter.
  await page.keyboard.press("n");
  await expect(page.getByTestId("note-text")).toBeFocused();
  await expect(page.getByTestId("note-over-range")).toBeChecked();
  await page.keyboard.type("rank 2 waits here");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("note-item")).toHaveCount(1);
  // M keeps the range as a second note.
  await page.getByTestId("note-text").blur();
  await page.keyboard.press("m");
  await expect(page.getByTestId("note-item")).toHaveCount(2);
  const notes = await page.evaluate(() => (window as unknown as W).__rankscope.notes());
  for (const n of notes) {
    expect(n.start).toBe(range.start);
    expect(n.end).toBe(range.end);
  }
  expect(notes.map((n) => n.text).sort()).toEqual([
    `Marked ${formatDuration(span(range))}`,
    "rank 2 waits here",
  ]);

  // The PNG export offers the range and draws it.
  await page.keyboard.press("Control+e");
  await expect(page.getByTestId("export-range")).toHaveValue("selection");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("export-dialog")).toHaveCount(0);

  // Esc clears the range.
  await page.keyboard.press("Escape");
  expect(await page.evaluate(() => (window as unknown as W).__rankscope.range())).toBeNull();
  await expect(summary).toHaveCount(0);

  // Shift+drag on the lanes selects too; a plain drag still pans and leaves the range alone.
  const lanes = (await page.getByTestId("lanes-canvas").boundingBox())!;
  await page.keyboard.down("Shift");
  await page.mouse.move(lanes.x + lanes.width * 0.2, lanes.y + 30);
  await page.mouse.down();
  await page.mouse.move(lanes.x + lanes.width * 0.4, lanes.y + 30, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  const shifted = (await page.evaluate(() => (window as unknown as W).__rankscope.range()))!;
  const view = await page.evaluate(() => (window as unknown as W).__rankscope.state().view);
  expect(span(shifted) / span(view)).toBeCloseTo(0.2, 1);
  await page.mouse.move(lanes.x + lanes.width * 0.5, lanes.y + 30);
  await page.mouse.down();
  await page.mouse.move(lanes.x + lanes.width * 0.6, lanes.y + 30, { steps: 4 });
  await page.mouse.up();
  const panned = await page.evaluate(() => (window as unknown as W).__rankscope.state().view);
  expect(panned.start).toBeLessThan(view.start);
  expect(await page.evaluate(() => (window as unknown as W).__rankscope.range())).toEqual(shifted);
});

test("keys: a tap of W/S/A/D or an arrow moves one step, holding moves on; Ctrl+F; ? lists the keymap", async ({
  page,
}) => {
  await openDemo(page);
  const state = () => page.evaluate(() => (window as unknown as W).__rankscope.state().view);
  const start = { ...(await state()) };
  const bounds = await page.evaluate(() => (window as unknown as W).__rankscope.state().bounds);
  const mid = { start: bounds.start + span(bounds) * 0.3, end: bounds.start + span(bounds) * 0.5 };
  await page.evaluate((v) => (window as unknown as W).__rankscope.setView(v), mid);
  // The pointer off the lanes, so zoom anchors at the middle of the view.
  await page.mouse.move(5, 5);

  for (const key of ["w", "ArrowUp"]) {
    const before = await state();
    await page.keyboard.press(key);
    await expect.poll(async () => span(await state()) / span(before)).toBeCloseTo(0.8, 3);
  }
  for (const key of ["s", "ArrowDown"]) {
    const before = await state();
    await page.keyboard.press(key);
    await expect.poll(async () => span(await state()) / span(before)).toBeCloseTo(1.25, 3);
  }
  for (const [key, dir] of [
    ["d", 1],
    ["ArrowRight", 1],
    ["a", -1],
    ["ArrowLeft", -1],
  ] as const) {
    const before = await state();
    await page.keyboard.press(key);
    await expect
      .poll(async () => ((await state()).start - before.start) / span(before))
      .toBeCloseTo(0.1 * dir, 3);
  }
  // Held for most of a second, W zooms well past one step.
  const before = await state();
  await page.keyboard.down("w");
  await page.waitForTimeout(800);
  await page.keyboard.up("w");
  expect(span(await state()) / span(before)).toBeLessThan(0.5);
  expect(span(start)).toBeGreaterThan(0);

  // Ctrl+F reaches the lane filter (not the browser's find).
  await page.keyboard.press("Control+f");
  await expect(page.getByTestId("filter")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("filter")).not.toBeFocused();

  // ? opens the help, listing every binding of the keymap with all its keys, and the gestures.
  await page.keyboard.press("?");
  const help = page.getByTestId("help");
  await expect(help).toBeVisible();
  const keymap = await page.evaluate(() => (window as unknown as W).__rankscope.keymap());
  expect(keymap.length).toBeGreaterThan(10);
  const listed = await help.locator("[data-testid=help-key]").evaluateAll((rows) =>
    rows.map((r) => ({
      id: r.getAttribute("data-binding"),
      keys: [...r.querySelectorAll("kbd")].map((k) => k.getAttribute("data-key")),
    })),
  );
  expect(listed.sort((a, b) => a.id!.localeCompare(b.id!))).toEqual(
    keymap.sort((a, b) => a.id.localeCompare(b.id)),
  );
  await expect(
    help.locator("[data-testid=help-gesture]", { hasText: "Drag on the time axis" }),
  ).toBeVisible();
  await page.screenshot({ path: "test-results/help.png" });
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
});
