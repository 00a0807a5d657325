import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { generateSkulkDemo } from "../../shared/demo/skulkDemo";
import { findChromium } from "../../electron/cli/chromium";

const root = path.resolve(__dirname, "..", "..");
const built = existsSync(path.join(root, "dist", "renderer", "index.html"));
const chromium = findChromium();

describe("rankscope export --png (headless, the app's own renderer)", () => {
  it.skipIf(!chromium || !built)("draws the demo's lanes into a PNG of the requested size", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "rankscope-png-")), "cluster");
    for (const f of generateSkulkDemo()) {
      mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), f.content);
    }
    const out = path.join(dir, "..", "out.png");
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, "bin", "rankscope.mjs"),
        "export",
        dir,
        "--png",
        out,
        "--width",
        "1000",
        "--pixel-ratio",
        "1",
      ],
      {
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("6 lanes");
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBe(1000);
    expect(png.height).toBe(46 + 22 + 26 + 2 * 24 + 6 * 48);
  });

  it("refuses a bad width with a usage error", () => {
    const r = spawnSync(
      process.execPath,
      [path.join(root, "bin", "rankscope.mjs"), "export", "x", "--png", "o.png", "--width", "5"],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("usage");
  });
});
