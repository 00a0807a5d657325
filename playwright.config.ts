import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS } from "./electron/cli/chromium";

// Debian's Chromium where it is installed (CI, this machine); Playwright's own browser elsewhere.
const chromium =
  process.env.RANKSCOPE_CHROMIUM ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const PORT = Number(process.env.RANKSCOPE_E2E_PORT ?? 4780);

export default defineConfig({
  testDir: "test/e2e",
  timeout: 60_000,
  retries: 0,
  workers: 1,
  // test/run-all.mjs reads the JSON report to add Playwright's counts to the CI summary line.
  reporter: process.env.RANKSCOPE_E2E_JSON
    ? [["list"], ["json", { outputFile: process.env.RANKSCOPE_E2E_JSON }]]
    : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1600, height: 900 },
    launchOptions: {
      executablePath: chromium,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: "web", testIgnore: /electron\.spec\.ts/ },
    { name: "electron", testMatch: /electron\.spec\.ts/ },
  ],
  webServer: {
    // The built renderer served by the same server `rankscope --web` uses.
    command: `node bin/rankscope.mjs --web`,
    env: { PORT: String(PORT) },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
