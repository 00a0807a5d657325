import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { _electron as electron, expect, test } from "@playwright/test";
import { electronState } from "../../electron/cli/desktop";
import { recentLabel } from "../../electron/recent";
import { generateSkulkDemo } from "../../shared/demo/skulkDemo";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const main = path.join(root, "dist", "electron", "main.cjs");

/** Electron's executable, or null when its binary was never downloaded (offline machines). */
function electronBinary(): string | null {
  const state = electronState(root);
  return state.kind === "installed" ? state.executable : null;
}

function demoFolder(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-electron-")), "skulk-cluster");
  for (const f of generateSkulkDemo()) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

const binary = electronBinary();

/**
 * A profile of its own (Linux puts userData under XDG_CONFIG_HOME), so the tests neither read
 * nor add to the Open Recent list of whoever runs them.
 */
function isolatedEnv(): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return { ...env, XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), "rankscope-profile-")) };
}

test.skip(
  !binary,
  "Electron's binary is not installed (node_modules/electron/dist is missing: it is downloaded from GitHub on the " +
    "first `npm start`, and this machine cannot reach GitHub). Web mode covers the renderer.",
);

/** Builds dist/ when it is missing, so each test can run alone. */
function ensureBuilt(): void {
  if (existsSync(main) && existsSync(path.join(root, "dist", "renderer", "index.html"))) return;
  const r = spawnSync(process.execPath, [path.join(root, "build", "build.mjs")], {
    cwd: root,
    stdio: "inherit",
  });
  expect(r.status).toBe(0);
}

test("rankscope <folder> opens the desktop app with one lane per rank", async () => {
  ensureBuilt();
  const folder = demoFolder();
  // Chromium refuses its sandbox as root (CI containers); everywhere else it stays on.
  const flags = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  const app = await electron.launch({
    executablePath: binary!,
    args: [...flags, main, folder],
    env: isolatedEnv(),
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByText(/rank 2\/4/).first()).toBeVisible({ timeout: 30_000 });
    await expect(page.locator(".lane-header")).toHaveCount(6);

    // The page sees the preload's API and nothing of Node.
    const exposed = await page.evaluate(() => ({
      api: Object.keys((window as unknown as { rankscope: object }).rankscope).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed.api).toContain("startIngest");
    expect(exposed.require).toBe("undefined");
    expect(exposed.process).toBe("undefined");

    // Main refuses a path the user never gave.
    const refused = await page.evaluate(() =>
      (window as unknown as { rankscope: { startIngest(p: string[]): Promise<unknown> } }).rankscope
        .startIngest(["/etc"])
        .then(
          () => "accepted",
          (e: Error) => e.message,
        ),
    );
    expect(refused).toMatch(/not opened by the user/);
    await page.screenshot({ path: "test-results/electron-skulk.png" });
  } finally {
    await app.close();
  }
});

test("rankscope --attach URL: main polls the cluster, the window shows its lanes growing", async () => {
  const { startFakeSkulk } = await import("../fake-skulk/server");
  const fake = await startFakeSkulk({ nodes: 2, runners: 4, seed: 5, timeLimitMs: 60_000 });
  const flags = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  const app = await electron.launch({
    executablePath: binary!,
    args: [...flags, main, `--attach=${fake.url}`, "--interval=0.25"],
  });
  try {
    const page = await app.firstWindow();
    await expect(page.locator(".lane-header")).toHaveCount(4, { timeout: 30_000 });
    const live = () =>
      page.evaluate(() =>
        (window as unknown as { __rankscope: { live(): { polls: number } } }).__rankscope.live(),
      );
    const first = (await live()).polls;
    await expect.poll(async () => (await live()).polls, { timeout: 15_000 }).toBeGreaterThan(first + 3);
    // The renderer never reached the cluster itself: its CSP allows only the app's own origin.
    const direct = await page.evaluate(
      (url) =>
        fetch(`${url}/v1/diagnostics/cluster/timeline`).then(
          () => "fetched",
          () => "refused",
        ),
      fake.url,
    );
    expect(direct).toBe("refused");
    await page.screenshot({ path: "test-results/electron-live.png" });
  } finally {
    await app.close();
    await fake.close();
  }
});

test("File → Open Recent lists a folder opened before and reopens it after a restart", async () => {
  test.skip(
    process.platform !== "linux",
    "the profile is isolated through XDG_CONFIG_HOME, which only Linux reads",
  );
  ensureBuilt();
  const folder = demoFolder();
  const label = recentLabel([folder], homedir(), process.platform);
  const env = isolatedEnv();
  const flags = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  const recentLabels = (app: Awaited<ReturnType<typeof electron.launch>>) =>
    app.evaluate(({ Menu }) =>
      (Menu.getApplicationMenu()?.getMenuItemById("open-recent")?.submenu?.items ?? []).map((i) => i.label),
    );

  const first = await electron.launch({ executablePath: binary!, args: [...flags, main, folder], env });
  try {
    const page = await first.firstWindow();
    await expect(page.locator(".lane-header")).toHaveCount(6, { timeout: 30_000 });
    expect(await first.evaluate(({ app }) => app.getPath("userData"))).toContain(env.XDG_CONFIG_HOME);
    await expect.poll(() => recentLabels(first)).toEqual([label, "", "Clear Recent"]);
  } finally {
    await first.close();
  }

  // Started again without a path: the demo opens, and the menu still knows the folder.
  const second = await electron.launch({ executablePath: binary!, args: [...flags, main], env });
  try {
    const page = await second.firstWindow();
    await expect(page.getByTestId("dataset-title")).toContainText("Demo", { timeout: 30_000 });
    expect(await recentLabels(second)).toEqual([label, "", "Clear Recent"]);
    await second.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById("recent-0")?.click());
    await expect(page.getByTestId("dataset-title")).toContainText("skulk-cluster", { timeout: 30_000 });
    await expect(page.locator(".lane-header")).toHaveCount(6);
  } finally {
    await second.close();
  }
});
