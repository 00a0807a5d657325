import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { serveWeb, type WebServer } from "../../electron/web/webServer";
import { skulkFolder } from "./support";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
let web: WebServer;
let folder = "";
let secretFile = "";

test.beforeAll(async () => {
  // `rankscope --web FOLDER`, with hostile things in the folder: a link to a secret outside
  // it, a link loop and (where mkfifo exists) a FIFO that would block whoever opened it.
  folder = skulkFolder();
  const outside = mkdtempSync(path.join(tmpdir(), "rankscope-outside-"));
  secretFile = path.join(outside, "secret.json");
  writeFileSync(secretFile, JSON.stringify({ secret: "do-not-serve" }));
  symlinkSync(outside, path.join(folder, "outside-link"));
  symlinkSync("loop", path.join(folder, "loop"));
  if (process.platform !== "win32") spawnSync("mkfifo", [path.join(folder, "pipe")]);
  web = await serveWeb(path.join(root, "dist", "renderer"), [folder], 0);
});

test.afterAll(() => web?.server.close());

test("web mode opens the files it was started with, lists what it skipped, and keeps its secret", async ({
  page,
}) => {
  await page.goto(web.url);
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
  // The secret left the address bar as soon as the page read it.
  expect(new URL(page.url()).search).toBe("");

  const row = (name: string) => page.getByTestId("file-row").filter({ hasText: name });
  await expect(row("outside-link").locator(".diag.warning")).toContainText(
    "outside the folders you opened: not followed",
  );
  await expect(row("skulk-cluster/loop").locator(".diag.warning")).toContainText("symbolic link loop");
  if (process.platform !== "win32")
    await expect(row("skulk-cluster/pipe").locator(".diag.warning")).toContainText("named pipe (FIFO)");
  await expect(page.getByTestId("files-panel")).not.toContainText("secret.json");

  // Script on the page's own origin, without the secret, gets nothing from /api.
  const status = await page.evaluate(async () => (await fetch("/api/launch")).status);
  expect(status).toBe(403);

  // A reload keeps the secret for this tab: the served files are still readable.
  await page.reload();
  await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
});
