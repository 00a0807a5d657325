import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  downloadElectron,
  downloadHost,
  electronState,
  hasDisplay,
  planLaunch,
  probe,
  type ElectronState,
} from "../../../electron/cli/desktop";

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "rankscope-desktop-"));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const pkg = JSON.stringify({ name: "electron", version: "45.5.0" });
const missing: ElectronState = { kind: "missing", packageDir: "/p/node_modules/electron", version: "45.5.0" };
const installed: ElectronState = { kind: "installed", executable: "/p/electron", version: "45.5.0" };

describe("what node_modules/electron holds", () => {
  it("no package, a package without its binary, a binary of another version, the binary", () => {
    expect(electronState(project({})).kind).toBe("absent");
    const bare = project({ "node_modules/electron/package.json": pkg });
    expect(electronState(bare)).toEqual({
      kind: "missing",
      packageDir: path.join(bare, "node_modules", "electron"),
      version: "45.5.0",
    });
    const stale = project({
      "node_modules/electron/package.json": pkg,
      "node_modules/electron/path.txt": "electron",
      "node_modules/electron/dist/version": "v39.8.9",
      "node_modules/electron/dist/electron": "",
    });
    expect(electronState(stale).kind).toBe("missing");
    const ok = project({
      "node_modules/electron/package.json": pkg,
      "node_modules/electron/path.txt": "electron",
      "node_modules/electron/dist/version": "v45.5.0",
      "node_modules/electron/dist/electron": "",
    });
    expect(electronState(ok)).toEqual({
      kind: "installed",
      executable: path.join(ok, "node_modules", "electron", "dist", "electron"),
      version: "45.5.0",
    });
  });
});

describe("the launch decision", () => {
  const base = { webRequested: false, hasDisplay: true, env: {} };

  it("opens the desktop app when the binary is there and a display is", () => {
    expect(planLaunch({ ...base, electron: installed })).toEqual({
      kind: "desktop",
      executable: "/p/electron",
    });
  });

  it("downloads a missing binary first, from GitHub or the user's mirror", () => {
    expect(planLaunch({ ...base, electron: missing })).toEqual({
      kind: "download",
      packageDir: missing.kind === "missing" ? missing.packageDir : "",
      version: "45.5.0",
      host: "github.com",
    });
    const plan = planLaunch({
      ...base,
      electron: missing,
      env: { ELECTRON_MIRROR: "https://mirror.example/e/" },
    });
    expect(plan.kind === "download" && plan.host).toBe("mirror.example");
  });

  it("falls back to web mode with the reason when the download failed", () => {
    const plan = planLaunch({
      ...base,
      electron: missing,
      download: { ok: false, reason: "getaddrinfo ENOTFOUND github.com" },
    });
    expect(plan).toEqual({
      kind: "web",
      reason:
        "Electron's binary is not installed and its download from github.com failed (getaddrinfo ENOTFOUND github.com)",
    });
  });

  it("web mode when asked for, when there is no display, or no electron package", () => {
    expect(planLaunch({ ...base, webRequested: true, electron: installed })).toEqual({
      kind: "web",
      reason: null,
    });
    expect(planLaunch({ ...base, hasDisplay: false, electron: installed })).toEqual({
      kind: "web",
      reason: "there is no display to open Electron's window on",
    });
    expect(planLaunch({ ...base, electron: { kind: "absent" } }).kind).toBe("web");
  });

  it("a display is X11 or Wayland on Linux, always elsewhere", () => {
    expect(hasDisplay({}, "linux")).toBe(false);
    expect(hasDisplay({ DISPLAY: ":99" }, "linux")).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: "wayland-0" }, "linux")).toBe(true);
    expect(hasDisplay({}, "darwin")).toBe(true);
    expect(downloadHost({ ELECTRON_MIRROR: "not a url" })).toBe("github.com");
  });
});

describe("getting the binary", () => {
  it("never runs the installer when the host does not answer", async () => {
    const run = vi.fn(async () => 0);
    const out = await downloadElectron("/p/node_modules/electron", "github.com", run, async () => ({
      ok: false,
      reason: "getaddrinfo ENOTFOUND github.com",
    }));
    expect(out).toEqual({ ok: false, reason: "getaddrinfo ENOTFOUND github.com" });
    expect(run).not.toHaveBeenCalled();
  });

  it("runs Electron's own installer when it does, and reports its failure", async () => {
    const run = vi.fn(async () => 1);
    const out = await downloadElectron("/p/node_modules/electron", "github.com", run, async () => ({
      ok: true,
    }));
    expect(run).toHaveBeenCalledWith(path.join("/p/node_modules/electron", "install.js"));
    expect(out).toEqual({ ok: false, reason: "Electron's installer exited with code 1" });
    run.mockResolvedValueOnce(0);
    expect(await downloadElectron("/p/e", "github.com", run, async () => ({ ok: true }))).toEqual({
      ok: true,
    });
  });

  it("a host that refuses fails fast, with the network's reason", async () => {
    const out = await probe("127.0.0.1:9", 20_000);
    expect(out.ok).toBe(false);
    // Refused at once, not given up on after the timeout.
    expect(out.ok === false && out.reason).not.toMatch(/no answer/);
  });
});
