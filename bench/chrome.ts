import path from "node:path";
import { KEY_HEADER } from "../shared/ipc/webLaunch";
import { serveWeb } from "../electron/web/webServer";
import {
  dropFile,
  openBrowser,
  openEmpty,
  rendererRss,
  sampleMemory,
  screenshot,
  waitForImport,
  waitForSaved,
  type MemoryPeak,
} from "./browser";

export interface FloorRun {
  seconds: number | null;
  events: number | null;
  /** Why there is no floor (e.g. a text longer than V8's largest string). */
  error: string | null;
  peak: MemoryPeak;
  idleBytes: number | null;
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
 * The Chromium floor for one trace file: in a fresh headless Chromium, `fetch()` of the file
 * from web mode's launcher and `JSON.parse` of its text, timed in the page. The page is a
 * 404 of the launcher's own origin, so the fetch is same-origin and nothing of the app
 * runs. Chromium cannot hold a text past V8's largest string (about 512 M characters): a
 * bigger file has no floor, and says so.
 */
export async function chromiumFloor(
  root: string,
  file: string,
  executablePath: string,
  timeoutMs: number,
): Promise<FloorRun> {
  const web = await serveWeb(path.join(root, "dist", "renderer"), [file], 0);
  const session = await openBrowser(executablePath);
  try {
    await session.page.goto(`${web.origin}/no-app-here`);
    const idleBytes = rendererRss(session.profile);
    const memory = sampleMemory(session.profile, session.cdp);
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      session.page.evaluate(
        async ({ header, key }) => {
          const t0 = performance.now();
          try {
            const res = await fetch("/api/file/0", { headers: { [header]: key }, cache: "no-store" });
            if (!res.ok) return { ms: null, events: null, error: `HTTP ${res.status}` };
            const doc = JSON.parse(await res.text()) as { traceEvents: unknown[] };
            return { ms: performance.now() - t0, events: doc.traceEvents.length, error: null };
          } catch (e) {
            return { ms: null, events: null, error: String((e as Error).message ?? e) };
          }
        },
        { header: KEY_HEADER, key: web.secret },
      ),
      new Promise<never>((_, no) => {
        timer = setTimeout(() => no(new Error(`no floor within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ])
      .catch((e: Error) => ({ ms: null, events: null, error: e.message.split("\n")[0] }))
      .finally(() => clearTimeout(timer));
    return {
      seconds: r.ms === null ? null : r.ms / 1000,
      events: r.events,
      error: r.error,
      peak: memory.stop(),
      idleBytes,
    };
  } finally {
    await session.close();
    web.server.close();
  }
}

/**
 * The app opening one trace file in a fresh headless Chromium, from the import's start to
 * every lane drawn with full detail, with the renderer's memory sampled meanwhile. `drop`:
 * the user gives it the file (the Open files input, as a drop does); `launch`: as
 * `rankscope trace.json` does in web mode (the launcher serves it, the page imports it on load).
 */
export async function appOpens(
  root: string,
  file: string,
  executablePath: string,
  timeoutMs: number,
  how: "drop" | "launch",
): Promise<OpenRun> {
  const web = await serveWeb(path.join(root, "dist", "renderer"), how === "launch" ? [file] : [], 0);
  const session = await openBrowser(executablePath);
  if (how === "drop") await openEmpty(session.page, web.url);
  const memory = sampleMemory(session.profile, session.cdp);
  try {
    if (how === "drop") await dropFile(session.page, file);
    else await session.page.goto(web.url);
    const t = await waitForImport(session.page, timeoutMs);
    await waitForSaved(session.page, timeoutMs);
    const peak = memory.stop();
    await screenshot(session.page, root, "chrome-trace-opened");
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
