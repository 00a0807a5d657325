import type { Page } from "playwright-core";
import { statSync } from "node:fs";
import path from "node:path";
import { serveWeb } from "../electron/web/webServer";
import {
  dropFile,
  dropFolder,
  openBrowser,
  openEmpty,
  retainedHeap,
  sampleMemory,
  screenshot,
  type MemoryPeak,
  waitForImport,
  waitForSaved,
} from "./browser";

interface View {
  start: number;
  end: number;
}

function p95(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] : NaN;
}

async function state(page: Page) {
  return page.evaluate(() =>
    (
      window as unknown as {
        __rankscope: { state(): { lanes: number; items: number; view: View; bounds: View; ingest: string } };
      }
    ).__rankscope.state(),
  );
}

async function runViews(page: Page, views: View[]): Promise<number[]> {
  return page.evaluate(
    (vs) =>
      (window as unknown as { __rankscope: { runViews(v: View[]): Promise<number[]> } }).__rankscope.runViews(
        vs,
      ),
    views,
  );
}

/**
 * Opens the real app in headless Chromium at 1920×1080 with an empty library and gives it
 * the folder as a user does (`dropFolder`), times the import from its start to every lane
 * drawn with full detail, then measures frames while panning and zooming, and the first
 * paint on reopen.
 */
export async function benchRender(
  root: string,
  dataDir: string,
  lanesExpected: number,
  executablePath: string,
  timeoutMs: number,
) {
  const { server, url } = await serveWeb(path.join(root, "dist", "renderer"), [], 0);
  const session = await openBrowser(executablePath);
  const { page, cdp } = session;
  try {
    await openEmpty(page, url);
    const memory = sampleMemory(session.profile, cdp);
    const t0 = Date.now();
    await dropFolder(page, dataDir);
    const times = await waitForImport(page, timeoutMs);
    // Kept from before the import marks: the drop → fully loaded, as polled from outside.
    const loadSeconds = (Date.now() - t0) / 1000;
    // The lanes are drawn before the library save ends: the memory it takes, what the import
    // leaves behind, and frames without the save beside them are measured once it is saved.
    await waitForSaved(page, timeoutMs);
    const peak = memory.stop();
    if (times.lanes !== lanesExpected)
      console.error(`warning: the app shows ${times.lanes} lanes, the ingest found ${lanesExpected}`);
    const retained = await retainedHeap(cdp);
    await screenshot(page, root, "cluster-imported");
    const s = await state(page);
    const full = s.bounds;
    const span = full.end - full.start;
    // Zoom: from the whole run down to ~1 ms around the middle and back, 60 steps each way.
    const mid = full.start + span * 0.5;
    const zoom: View[] = [];
    for (let i = 0; i <= 60; i++) {
      const w = span * Math.pow(1e6 / span, i / 60);
      zoom.push({ start: mid - w / 2, end: mid + w / 2 });
    }
    zoom.push(...[...zoom].reverse());
    // Pan: a 10%-of-run window dragged across the run, and the whole run shifted.
    const pan: View[] = [];
    for (let i = 0; i <= 90; i++) {
      const w = i < 60 ? span * 0.1 : span;
      const start = full.start + (i < 60 ? (span - w) * (i / 59) : span * 0.02 * (i - 60));
      pan.push({ start, end: start + w });
    }
    await runViews(page, zoom.slice(0, 5)); // warm-up
    const zoomMs = await runViews(page, zoom);
    const panMs = await runViews(page, pan);
    const heap = await page.evaluate(
      () =>
        (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
    );
    // Reopen: a fresh page load shows the stored dataset without parsing it again.
    await page.reload();
    await page.waitForFunction(
      () =>
        (
          window as unknown as { __rankscope?: { firstPaintAt(): number | null } }
        ).__rankscope?.firstPaintAt() != null,
      null,
      { timeout: 120_000 },
    );
    const firstPaintMs = await page.evaluate(() =>
      (window as unknown as { __rankscope: { firstPaintAt(): number } }).__rankscope.firstPaintAt(),
    );
    // Full detail follows the first (coarse) picture: report when it is all in memory too.
    await page.waitForFunction(
      () =>
        (
          window as unknown as { __rankscope: { fullyLoadedAt(): number | null } }
        ).__rankscope.fullyLoadedAt() != null,
      null,
      { timeout: 120_000 },
    );
    const fullyLoadedMs = await page.evaluate(() =>
      (window as unknown as { __rankscope: { fullyLoadedAt(): number } }).__rankscope.fullyLoadedAt(),
    );
    return {
      lanes: s.lanes,
      events: s.items,
      importSeconds: loadSeconds,
      appImportSeconds: times.importMs / 1000,
      firstPictureMs: round(times.firstPictureMs),
      retainedHeapBytes: retained,
      memory: peak,
      panP95Ms: round(p95(panMs)),
      zoomP95Ms: round(p95(zoomMs)),
      panMaxMs: round(Math.max(...panMs.filter(Number.isFinite))),
      zoomMaxMs: round(Math.max(...zoomMs.filter(Number.isFinite))),
      heapBytes: heap,
      firstPaintMs: round(firstPaintMs),
      fullyLoadedMs: round(fullyLoadedMs),
    };
  } finally {
    await session.close();
    server.close();
  }
}

export interface OpenRun {
  seconds: number | null;
  firstPictureMs: number | null;
  lanes: number | null;
  items: number | null;
  error: string | null;
  peak: MemoryPeak;
}

/**
 * The app opening one file or folder in a fresh headless Chromium, from the import's start to
 * every lane drawn with full detail, with the renderer's memory sampled meanwhile. `drop`:
 * the user gives it the file (the Open files input, as a drop does); `launch`: as
 * `rankscope <path>` does in web mode (the launcher serves it, the page imports it on load).
 * With `shot`, what it shows is saved under that name (BENCH_SCREENSHOTS=1).
 */
export async function appOpens(
  root: string,
  file: string,
  executablePath: string,
  timeoutMs: number,
  how: "drop" | "launch",
  shot?: string,
): Promise<OpenRun> {
  const web = await serveWeb(path.join(root, "dist", "renderer"), how === "launch" ? [file] : [], 0);
  const session = await openBrowser(executablePath);
  if (how === "drop") await openEmpty(session.page, web.url);
  const memory = sampleMemory(session.profile, session.cdp);
  try {
    if (how === "drop") await (statSync(file).isDirectory() ? dropFolder : dropFile)(session.page, file);
    else await session.page.goto(web.url);
    const t = await waitForImport(session.page, timeoutMs);
    await waitForSaved(session.page, timeoutMs);
    const peak = memory.stop();
    if (shot) await screenshot(session.page, root, shot);
    return {
      seconds: t.importMs / 1000,
      firstPictureMs: t.firstPictureMs,
      lanes: t.lanes,
      items: t.items,
      error: null,
      peak,
    };
  } catch (e) {
    const peak = memory.stop();
    return {
      seconds: null,
      firstPictureMs: null,
      lanes: null,
      items: null,
      error: (e as Error).message.split("\n")[0],
      peak,
    };
  } finally {
    await session.close();
    web.server.close();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
