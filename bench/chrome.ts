import path from "node:path";
import { KEY_HEADER } from "../shared/ipc/webLaunch";
import { serveWeb } from "../electron/web/webServer";
import { openBrowser, rendererRss, sampleMemory, type MemoryPeak } from "./browser";

export interface FloorRun {
  seconds: number | null;
  events: number | null;
  /** Why there is no floor (e.g. a text longer than V8's largest string). */
  error: string | null;
  peak: MemoryPeak;
  idleBytes: number | null;
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
