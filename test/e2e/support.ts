import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { generateSkulkDemo } from "../../shared/demo/skulkDemo";

/** Writes files ({relative path: content}) under a new temp folder named `name`; returns it. */
export function writeFolder(name: string, files: Record<string, string>): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-e2e-")), name);
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}

/** The demo cluster (2 nodes, 6 runners, rank 2 stuck in decode_barrier) plus one broken file. */
export function skulkFolder(): string {
  const files: Record<string, string> = {};
  for (const f of generateSkulkDemo()) files[f.path] = f.content;
  // A timeline saved while the connection dropped: cut off mid-document.
  const timeline = files["cluster/timeline.json"];
  files["node-b/broken-timeline.json"] = timeline.slice(0, Math.floor(timeline.length / 3));
  return writeFolder("skulk-cluster", files);
}

function listFiles(dir: string, base = path.basename(dir)): { rel: string; abs: string }[] {
  const out: { rel: string; abs: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...listFiles(abs, `${base}/${name}`));
    else out.push({ rel: `${base}/${name}`, abs });
  }
  return out;
}

/**
 * Drops a folder's files on the window the way a browser delivers a drop: a `drop` event
 * whose DataTransfer holds the files. (A synthetic DataTransfer has no directory entries,
 * so the folder's relative paths travel as the File names.)
 */
export async function dropFolder(page: Page, dir: string): Promise<void> {
  const files = listFiles(dir).map((f) => ({ name: f.rel, b64: readFileSync(f.abs).toString("base64") }));
  await page.evaluate(async (list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { lastModified: 1777000000000 }));
    }
    window.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true }));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

/** A clean IndexedDB per test, so the library starts empty. */
export async function freshPage(page: Page, query = ""): Promise<void> {
  await page.goto(`/${query}`);
  await page.evaluate(
    () =>
      new Promise<void>((ok) => {
        const req = indexedDB.deleteDatabase("rankscope");
        req.onsuccess = req.onerror = req.onblocked = () => ok();
      }),
  );
  await page.goto(`/${query}`);
}

/**
 * Two captures of the demo cluster, two days apart (the second with its own instances and
 * runners): a folder that holds two runs, as users' log folders do.
 */
export function twoDaysFolder(): string {
  const files: Record<string, string> = {};
  for (const f of generateSkulkDemo()) {
    files[`day1/${f.path}`] = f.content;
    files[`day3/${f.path}`] = f.content
      .replaceAll("2026-04-24", "2026-04-26")
      .replaceAll("instance-1", "instance-7")
      .replaceAll("instance-2", "instance-8")
      .replaceAll("runner-", "rn-");
  }
  return writeFolder("two-days", files);
}
