/**
 * Whether `rankscope` (and `npm start`) can open the desktop app, and getting Electron's
 * binary when it is missing. Electron's npm package holds no binary: it is downloaded from
 * GitHub (or $ELECTRON_MIRROR) on first use. On a machine that cannot reach it the download
 * fails fast and the launcher falls back to web mode, saying why in one sentence.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type ElectronState =
  | { kind: "installed"; executable: string; version: string }
  | { kind: "missing"; packageDir: string; version: string }
  | { kind: "absent" };

/** What node_modules/electron holds, read without `require("electron")` (which downloads). */
export function electronState(root: string): ElectronState {
  const packageDir = path.join(root, "node_modules", "electron");
  let version: string;
  try {
    version = (JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string })
      .version;
  } catch {
    return { kind: "absent" };
  }
  try {
    const rel = readFileSync(path.join(packageDir, "path.txt"), "utf8").trim();
    const installed = readFileSync(path.join(packageDir, "dist", "version"), "utf8")
      .trim()
      .replace(/^v/, "");
    const executable = path.join(packageDir, "dist", rel);
    if (installed === version && existsSync(executable)) return { kind: "installed", executable, version };
  } catch {
    // no binary yet
  }
  return { kind: "missing", packageDir, version };
}

export type DownloadOutcome = { ok: true } | { ok: false; reason: string };

export type LaunchPlan =
  | { kind: "desktop"; executable: string }
  | { kind: "download"; packageDir: string; version: string; host: string }
  | { kind: "web"; reason: string | null };

export interface LaunchFacts {
  webRequested: boolean;
  electron: ElectronState;
  /** A display to open a window on (always true off Linux). */
  hasDisplay: boolean;
  /** The result of a download attempted earlier in this launch, if any. */
  download?: DownloadOutcome;
  env?: Record<string, string | undefined>;
}

/** Where the binary comes from: Electron's own mirror setting, else GitHub. */
export function downloadHost(env: Record<string, string | undefined> = process.env): string {
  const mirror = env.ELECTRON_MIRROR ?? env.npm_config_electron_mirror;
  if (mirror) {
    try {
      return new URL(mirror).host;
    } catch {
      // fall through to GitHub
    }
  }
  return "github.com";
}

/**
 * The launcher's decision, pure so it can be tested: desktop when the binary is there, a
 * download when it is missing and none was tried yet, web mode otherwise (with the reason to
 * print, or null when the user asked for web mode).
 */
export function planLaunch(f: LaunchFacts): LaunchPlan {
  if (f.webRequested) return { kind: "web", reason: null };
  const e = f.electron;
  if (e.kind === "absent")
    return { kind: "web", reason: "the electron package is not installed (run npm install)" };
  if (e.kind === "missing") {
    // Downloaded even without a display: it happens once, and xvfb-run needs it too.
    if (!f.download)
      return { kind: "download", packageDir: e.packageDir, version: e.version, host: downloadHost(f.env) };
    return {
      kind: "web",
      reason: f.download.ok
        ? "Electron's binary was downloaded but is not usable"
        : `Electron's binary is not installed and its download from ${downloadHost(f.env)} failed (${f.download.reason})`,
    };
  }
  if (!f.hasDisplay) return { kind: "web", reason: "there is no display to open Electron's window on" };
  return { kind: "desktop", executable: e.executable };
}

export function hasDisplay(
  env: Record<string, string | undefined> = process.env,
  platform = process.platform,
): boolean {
  return platform !== "linux" || !!(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Whether the download host answers at all, within `timeoutMs`: a closed network fails here at once. */
export async function probe(host: string, timeoutMs = 5000): Promise<DownloadOutcome> {
  try {
    await fetch(`https://${host}/`, {
      method: "HEAD",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: true };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === "TimeoutError")
      return { ok: false, reason: `no answer from ${host} in ${timeoutMs / 1000} s` };
    return { ok: false, reason: err.cause?.message ?? err.cause?.code ?? err.message };
  }
}

/**
 * Downloads Electron's binary with Electron's own installer (its progress bar on stderr),
 * after a quick probe so that an offline machine does not wait for a long timeout.
 */
export async function downloadElectron(
  packageDir: string,
  host: string,
  run: (script: string) => Promise<number | null> = runInstaller,
  check: (host: string) => Promise<DownloadOutcome> = probe,
): Promise<DownloadOutcome> {
  const reachable = await check(host);
  if (!reachable.ok) return reachable;
  const code = await run(path.join(packageDir, "install.js"));
  return code === 0 ? { ok: true } : { ok: false, reason: `Electron's installer exited with code ${code}` };
}

function runInstaller(script: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: "inherit" });
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code));
  });
}
