import { chromium, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM_ARGS } from "../electron/cli/chromium";

const ARGS = [...CHROMIUM_ARGS, "--enable-precise-memory-info"];

export interface Session {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  profile: string;
  close(): Promise<void>;
}

/**
 * A fresh headless Chromium at 1920×1080 with its own on-disk profile: an empty library, and
 * IndexedDB written to disk as a user's browser (or Electron) does, not held in memory as
 * in Playwright's default incognito-like contexts. Each measurement gets a new browser, so
 * its renderer process is new and nothing earlier counts in its peak memory.
 */
export async function openBrowser(executablePath: string): Promise<Session> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "rankscope-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: ARGS,
    viewport: { width: 1920, height: 1080 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  return {
    context,
    page,
    cdp,
    profile,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** With BENCH_SCREENSHOTS=1, what the page shows, saved as bench/out/<name>.png (to check by eye). */
export async function screenshot(page: Page, root: string, name: string): Promise<void> {
  if (process.env.BENCH_SCREENSHOTS !== "1") return;
  const file = path.join(root, "bench", "out", `${name}.png`);
  await page.screenshot({ path: file });
  console.error(`screenshot: ${file}`);
}

/** The page's main-thread JS heap after a full garbage collection: what the app keeps. */
export async function retainedHeap(cdp: CDPSession): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize;
}

export interface MemoryPeak {
  /** The page's renderer process: its peak resident memory (VmHWM), bytes. */
  rendererPeakBytes: number | null;
  /** The largest of the 100 ms samples of its resident memory (VmRSS), bytes. */
  sampledPeakBytes: number | null;
  /** The largest main-thread JS heap (CDP JSHeapUsedSize) sampled, bytes. */
  mainHeapPeakBytes: number | null;
  samples: number;
}

function statusBytes(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Renderer processes of the browser that uses `profile` (every Chromium child names it). */
function renderers(profile: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let cmd: string[];
    try {
      // Chromium's children rewrite their title: the arguments may be one space-joined string.
      cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").split(/[\0 ]/);
    } catch {
      continue;
    }
    if (
      cmd.includes("--type=renderer") &&
      cmd.includes(`--user-data-dir=${profile}`) &&
      !cmd.includes("--top-chrome-webui")
    )
      pids.push(Number(name));
  }
  return pids;
}

/**
 * Samples the renderer's memory every 100 ms until stopped.
 *
 * Which number is "the renderer's peak memory": the resident set (RSS) of the page's
 * renderer process, at its high-water mark (VmHWM, kept by the kernel, so no peak falls
 * between two samples). The app parses in dedicated Web Workers, which are threads of that
 * same process, so their heaps, ArrayBuffers (the columnar blocks, transferred or copied),
 * Blink's memory and the canvas backing stores all count, as they do when the OS or the
 * browser's tab killer judges the tab. `Performance.getMetrics`' JSHeapUsedSize would count
 * only the main thread's isolate (not workers, not ArrayBuffer backing stores) and answers
 * late while that thread is busy: it is kept as a second figure. RSS includes Chromium's
 * shared code pages (the idle renderer's baseline, reported beside it), and not what the
 * browser process holds for the page (IndexedDB's storage service, network buffers) nor the
 * GPU process. Chromium keeps a spare renderer ready: the page's is the one with the
 * highest peak.
 */
export function sampleMemory(profile: string, cdp: CDPSession | null): { stop(): MemoryPeak } {
  const sampled = new Map<number, number>();
  let pids = renderers(profile);
  let mainHeap: number | null = null;
  let heapPending = false;
  let ticks = 0;
  const tick = () => {
    if (ticks++ % 10 === 0) pids = renderers(profile);
    for (const pid of pids) {
      const rss = statusBytes(pid, "VmRSS");
      if (rss !== null) sampled.set(pid, Math.max(sampled.get(pid) ?? 0, rss));
    }
    if (cdp && !heapPending) {
      heapPending = true;
      cdp
        .send("Performance.getMetrics")
        .then(({ metrics }) => {
          const used = metrics.find((m) => m.name === "JSHeapUsedSize")?.value;
          if (used !== undefined) mainHeap = Math.max(mainHeap ?? 0, used);
        })
        .catch(() => {})
        .finally(() => (heapPending = false));
    }
  };
  if (cdp) void cdp.send("Performance.enable").catch(() => {});
  tick();
  const timer = setInterval(tick, 100);
  return {
    stop() {
      clearInterval(timer);
      tick();
      let best: number | null = null;
      let bestPid = -1;
      for (const pid of new Set([...pids, ...sampled.keys()])) {
        const hwm = statusBytes(pid, "VmHWM") ?? sampled.get(pid) ?? null;
        if (hwm !== null && (best === null || hwm > best)) {
          best = hwm;
          bestPid = pid;
        }
      }
      return {
        rendererPeakBytes: best,
        sampledPeakBytes: sampled.get(bestPid) ?? null,
        mainHeapPeakBytes: mainHeap,
        samples: ticks,
      };
    },
  };
}

/** The page's renderer's resident memory now (the largest renderer of the profile), bytes. */
export function rendererRss(profile: string): number | null {
  const rss = renderers(profile)
    .map((pid) => statusBytes(pid, "VmRSS"))
    .filter((x): x is number => x !== null);
  return rss.length ? Math.max(...rss) : null;
}

/**
 * The app with nothing to import (web mode without launch files, an empty library), once it
 * has settled: an import given to it then starts on an idle page, as a user's drop comes
 * seconds after the window opened (the app loads its import workers a second after it starts).
 */
export async function openEmpty(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () =>
      (window as unknown as { __rankscope?: { state(): { ingest: string } } }).__rankscope?.state().ingest ===
      "idle",
    null,
    { timeout: 60_000 },
  );
  await page.getByTestId("folder-input").waitFor({ state: "attached" });
  await page.waitForTimeout(2000);
}

/**
 * Gives the app a folder as a user does: through its Open folder input, which yields the
 * same disk-backed Files a drop onto the window does (a drop's DataTransfer cannot be made
 * from outside with files on disk). The page reads them itself; nothing crosses a socket.
 */
export async function dropFolder(page: Page, dir: string): Promise<void> {
  // By its real path: given a symbolic link to a folder, the input got no files.
  await page.getByTestId("folder-input").setInputFiles(realpathSync(dir));
}

/** The same for one file, through the Open files input. */
export async function dropFile(page: Page, file: string): Promise<void> {
  await page.getByTestId("file-input").setInputFiles(file);
}

interface Marks {
  startAt: number | null;
  firstPictureAt: number | null;
  fullAt: number | null;
  fullPaintAt: number | null;
}

export interface ImportTimes {
  /** Import start → the first paint with every lane's full data, ms. */
  importMs: number;
  /** Import start → the first paint that showed lanes, ms. */
  firstPictureMs: number;
  lanes: number;
  items: number;
}

/**
 * Waits for the import the page started on load (web mode's launch) to be drawn in full,
 * and reads its marks (renderer/src/app/perf.ts): exact times on the page's own clock,
 * whatever the polling interval.
 */
export async function waitForImport(page: Page, timeoutMs: number): Promise<ImportTimes> {
  const handle = await page.waitForFunction(
    () => {
      const h = (
        window as unknown as {
          __rankscope?: {
            importMarks(): Marks;
            state(): { ingest: string; lanes: number; items: number };
          };
        }
      ).__rankscope;
      if (!h) return null;
      const m = h.importMarks();
      const s = h.state();
      const failed = s.ingest === "error" || s.ingest === "cancelled";
      const empty = s.ingest === "done" && s.lanes === 0;
      if (m.fullPaintAt === null && !failed && !empty) return null;
      const banner = document.querySelector("[data-testid=banner]")?.textContent ?? "";
      return { marks: m, lanes: s.lanes, items: s.items, status: s.ingest, banner };
    },
    null,
    { timeout: timeoutMs, polling: 250 },
  );
  const r = (await handle.jsonValue()) as {
    marks: Marks;
    lanes: number;
    items: number;
    status: string;
    banner: string;
  };
  const { startAt, firstPictureAt, fullPaintAt } = r.marks;
  if (fullPaintAt === null || startAt === null || firstPictureAt === null)
    throw new Error(
      `the import ended "${r.status}" with ${r.lanes} lanes drawn: ${r.banner || "no message"}`,
    );
  return {
    importMs: fullPaintAt - startAt,
    firstPictureMs: firstPictureAt - startAt,
    lanes: r.lanes,
    items: r.items,
  };
}

/** Waits until the import that drew its lanes is also saved to the library (or failed). */
export async function waitForSaved(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () =>
      (window as unknown as { __rankscope: { state(): { ingest: string } } }).__rankscope.state().ingest !==
      "saving",
    null,
    { timeout: timeoutMs, polling: 100 },
  );
}
