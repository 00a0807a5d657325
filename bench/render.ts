import { chromium, type Page } from "playwright-core";
import path from "node:path";
import { CHROMIUM_ARGS } from "../electron/node/chromium";
import { serveWeb } from "../electron/node/webServer";

interface View {
  start: number;
  end: number;
}

const ARGS = [...CHROMIUM_ARGS, "--enable-precise-memory-info"];

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
 * Opens the real app in headless Chromium at 1920×1080 on the served folder, waits for the
 * import, then measures frames while panning and zooming, and the first paint on reopen.
 */
export async function benchRender(
  root: string,
  dataDir: string,
  lanesExpected: number,
  executablePath: string,
) {
  const { server, url } = await serveWeb(path.join(root, "dist", "renderer"), [dataDir], 0);
  const browser = await chromium.launch({ executablePath, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(url);
    await page.evaluate(
      () =>
        new Promise<void>((ok) => {
          const r = indexedDB.deleteDatabase("rankscope");
          r.onsuccess = r.onerror = r.onblocked = () => ok();
        }),
    );
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(
      (n) =>
        (window as unknown as { __rankscope?: { state(): { lanes: number } } }).__rankscope?.state().lanes ===
        n,
      lanesExpected,
      { timeout: 15 * 60_000, polling: 500 },
    );
    await page.waitForFunction(
      () =>
        (
          window as unknown as { __rankscope: { fullyLoadedAt(): number | null } }
        ).__rankscope.fullyLoadedAt() != null,
      null,
      { timeout: 15 * 60_000, polling: 200 },
    );
    const importSeconds = (Date.now() - t0) / 1000;
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
      importSeconds,
      panP95Ms: round(p95(panMs)),
      zoomP95Ms: round(p95(zoomMs)),
      panMaxMs: round(Math.max(...panMs.filter(Number.isFinite))),
      zoomMaxMs: round(Math.max(...zoomMs.filter(Number.isFinite))),
      heapBytes: heap,
      firstPaintMs: round(firstPaintMs),
      fullyLoadedMs: round(fullyLoadedMs),
    };
  } finally {
    await browser.close();
    server.close();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
