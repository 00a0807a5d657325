import { existsSync } from "node:fs";

/**
 * Flags for Chromium on machines like this project's: no sandbox as root, no GPU, and none
 * of the background connections a closed network refuses. Used by the e2e tests, the
 * benchmark and `export --png`.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/** Chromium to drive: $RANKSCOPE_CHROMIUM, Debian's, or none. */
export function findChromium(): string | null {
  const candidates = [
    process.env.RANKSCOPE_CHROMIUM,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? null;
}
