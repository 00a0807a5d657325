import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import type { TestHooks } from "../../renderer/src/testHooks";
import { startFakeSkulk, type FakeSkulk } from "../fake-skulk/server";

/*
 * `rankscope --web --attach URL` against the fake Skulk cluster, as a user would run it:
 * the launcher is spawned, its printed URL opened. Each timeline request moves the fake's
 * clock 2 s; polling every 0.25 s makes a minute of cluster time pass in ~8 s.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
let fake: FakeSkulk;
let launcher: ChildProcess;
let printed = "";

type Live = ReturnType<TestHooks["live"]>;
const live = (page: Page) =>
  page.evaluate(() => (window as unknown as { __rankscope: { live(): Live } }).__rankscope.live());

test.beforeAll(async () => {
  fake = await startFakeSkulk({
    nodes: 2,
    runners: 4,
    seed: 3,
    timeLimitMs: 120_000,
    script: {
      // Rank 1 stops in its next decode_barrier; later rank 2 overruns its ring between polls.
      8: (c) => c.hang(1),
      20: (c) => c.burst(2, 300),
    },
  });
  launcher = spawn(
    process.execPath,
    [path.join(root, "bin", "rankscope.mjs"), "--web", "--attach", fake.url, "--interval", "0.25"],
    {
      cwd: root,
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  printed = await new Promise<string>((resolve, reject) => {
    let out = "";
    launcher.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /is at (http:\/\/127\.0\.0\.1:\d+\/\?\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    launcher.on("exit", (code) => reject(new Error(`the launcher exited (${code}): ${out}`)));
  });
});

test.afterAll(async () => {
  launcher?.kill();
  await fake?.close();
});

test("attached live: history past the ring, the hang flagged, the gap marked, pause holds, the saved dataset reopens", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  expect(printed).toMatch(/&live&interval=0\.25$/);
  await page.goto(printed);
  await expect(page.getByTestId("live-strip")).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveText("live");

  // Skulk keeps 128 entries a runner; the page holds more than that for every runner.
  await expect
    .poll(async () => Math.min(...Object.values((await live(page)).perRunner)), { timeout: 30_000 })
    .toBeGreaterThan(128);
  await expect(page.locator(".lane-header")).toHaveCount(4);

  // Rank 1 sits in decode_barrier past the 30 s threshold: flagged live in Findings.
  await page.getByRole("button", { name: "Findings" }).click();
  await expect(page.getByTestId("live-hangs")).toContainText("rank 1", { timeout: 30_000 });
  await expect(page.getByTestId("live-hangs")).toContainText("decode_barrier");
  await expect(page.getByTestId("live-hangs")).not.toContainText("rank 0");

  // The burst's evicted entries are a gap on rank 2's lane, with its length.
  await expect.poll(async () => (await live(page)).gaps, { timeout: 30_000 }).toBe(1);
  const gaps = await page.evaluate(() =>
    (
      window as unknown as { __rankscope: { laneGaps(): { label: string; gapsNs: number[] }[] } }
    ).__rankscope.laneGaps(),
  );
  expect(gaps.filter((l) => l.gapsNs.length).map((l) => l.label)).toEqual([
    expect.stringContaining("rank 2"),
  ]);
  const truth = await (await fetch(`${fake.url}/_control/state`)).json();
  const r2 = truth.runners.find((r: { rank: number }) => r.rank === 2);
  expect(r2.emitted).toBeGreaterThan(r2.served); // the ground truth agrees: entries were never seen
  // The view followed the newest data all along.
  expect((await live(page)).following).toBe(true);
  await page.screenshot({ path: testInfo.outputPath("live-following.png") });

  // Pause: no request reaches the cluster until Resume.
  await page.getByTestId("live-pause").click();
  await expect(page.getByTestId("live-status")).toHaveText("paused");
  await page.waitForTimeout(300); // a poll already on its way may land
  const held = fake.timelineRequests;
  await page.waitForTimeout(1500);
  expect(fake.timelineRequests).toBe(held);
  await page.getByTestId("live-resume").click();
  await expect.poll(() => fake.timelineRequests, { timeout: 10_000 }).toBeGreaterThan(held + 2);

  // A pan stops the following; Back to live (L) returns to the newest data.
  await page.getByTestId("lanes-canvas").hover();
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await live(page)).following).toBe(false);
  await expect(page.getByTestId("live-back")).toBeVisible();
  await page.keyboard.press("l");
  await expect.poll(async () => (await live(page)).following).toBe(true);

  // Save snapshot: Skulk's cluster timeline with the gap beside it, as a download.
  const download = page.waitForEvent("download");
  await page.getByTestId("live-snapshot").click();
  const doc = JSON.parse(readFileSync(await (await download).path(), "utf8"));
  expect(doc.rankscopeGaps).toHaveLength(1);
  expect(doc.rankscopeGaps[0].runnerId).toBe(r2.runnerId);
  expect(doc.timeline.length).toBeGreaterThan(4 * 128);
  expect(doc.rankscopeLive.nodeNames).toEqual({
    [truth.runners[0].nodeId]: "studio-a",
    [truth.runners[3].nodeId]: "mini-b",
  });

  // Stop: polling ends and the history is a dataset of the library.
  await page.getByTestId("live-events-toggle").click();
  await page.getByTestId("live-stop").click();
  await expect(page.getByTestId("live-saved")).toContainText("Saved to the library as “Live");
  await expect(page.getByTestId("live-status")).toHaveText("ended");
  await expect(page.getByTestId("live-events")).toContainText("stopped: stopped by the user");
  const stopped = fake.timelineRequests;
  await page.screenshot({ path: testInfo.outputPath("live-stopped.png") });
  const savedId = await page.evaluate(
    () =>
      (window as unknown as { __rankscope: { state(): { datasetId: string } } }).__rankscope.state()
        .datasetId,
  );
  expect(savedId).not.toMatch(/^live:/);

  // Reopened from the library in a fresh page: same lanes, same gap, nothing polled.
  await page.goto(new URL("/", printed).href);
  await page.getByRole("button", { name: "Library" }).click();
  await page
    .getByTestId("library")
    .getByText(/^Live http/)
    .click();
  await expect(page.locator(".lane-header")).toHaveCount(4);
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (window as unknown as { __rankscope: { state(): { datasetId: string } } }).__rankscope.state()
            .datasetId,
      ),
    )
    .toBe(savedId);
  // The first picture of a reopened dataset is its lanes' previews; the gaps (markers) come
  // with the full data a moment later.
  const reopenedGaps = () =>
    page
      .evaluate(() =>
        (
          window as unknown as { __rankscope: { laneGaps(): { label: string; gapsNs: number[] }[] } }
        ).__rankscope.laneGaps(),
      )
      .then((all) => all.filter((l) => l.gapsNs.length).map((l) => l.gapsNs));
  await expect.poll(reopenedGaps).toEqual(gaps.filter((l) => l.gapsNs.length).map((l) => l.gapsNs));
  await page.getByRole("button", { name: "Findings" }).click();
  await expect(page.getByTestId("hangs")).toContainText("decode_barrier");
  expect(fake.timelineRequests).toBe(stopped);
  await page.screenshot({ path: testInfo.outputPath("live-reopened.png") });
});
