import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { CHROMIUM_ARGS, findChromium } from "./chromium";
import { serveWeb } from "../web/webServer";

/**
 * `rankscope export PATH... --png OUT.png`: the same renderer the app uses, drawn in a
 * headless Chromium without a window: serve the files to the built renderer, let it import
 * them, and ask it for the annotated picture of the whole run.
 */
export async function exportPngHeadless(
  root: string,
  paths: string[],
  out: string,
  width: number,
  pixelRatio: number,
): Promise<{ lanes: number }> {
  const chromium = findChromium();
  if (!chromium)
    throw new Error(
      "--png needs Chromium or Chrome to draw with: install it (Debian: apt-get install chromium) or set RANKSCOPE_CHROMIUM",
    );
  const renderer = path.join(root, "dist", "renderer");
  if (!existsSync(path.join(renderer, "index.html")))
    throw new Error("the renderer is not built: run `npm run build` first");
  const { chromium: pw } = await import("playwright-core");
  const { server, url } = await serveWeb(renderer, paths, 0);
  const browser = await pw.launch({
    executablePath: chromium,
    args: CHROMIUM_ARGS,
  });
  try {
    // A private profile: nothing of the user's library is read or written.
    // Dark, as the picture has always been: a command line has no theme chosen to follow.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
    const page = await context.newPage();
    await page.goto(url);
    type Hooks = {
      state(): { lanes: number; ingest: string };
      exportPng(o: { width: number; pixelRatio: number }): Promise<string>;
    };
    await page.waitForFunction(
      () => {
        const h = (globalThis as unknown as { __rankscope?: Hooks }).__rankscope;
        const s = h?.state();
        return !!s && (s.lanes > 0 || s.ingest === "error" || (s.ingest === "done" && s.lanes === 0));
      },
      null,
      { timeout: 10 * 60_000, polling: 250 },
    );
    const lanes = await page.evaluate(
      () => (globalThis as unknown as { __rankscope: Hooks }).__rankscope.state().lanes,
    );
    if (!lanes) {
      const why =
        (await page
          .locator("[data-testid=banner]")
          .textContent({ timeout: 1000 })
          .catch(() => null)) ?? "";
      throw new Error(`no telemetry was found to draw${why ? `: ${why.replace(/dismiss$/, "")}` : ""}`);
    }
    const b64 = await page.evaluate(
      (o) => (globalThis as unknown as { __rankscope: Hooks }).__rankscope.exportPng(o),
      { width, pixelRatio },
    );
    await writeFile(out, Buffer.from(b64, "base64"));
    return { lanes };
  } finally {
    await browser.close();
    server.close();
  }
}
