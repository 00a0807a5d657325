import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cssVariables, DARK, LIGHT, type Palette } from "../../renderer/src/view/theme";

// Node-side (it reads the stylesheet from disk); the palettes' own checks are in renderer/theme.test.ts.
const THEMES: Palette[] = [DARK, LIGHT];

describe("CSS variables", () => {
  const css = readFileSync(path.join(__dirname, "../../renderer/src/styles.css"), "utf8");
  // Widths the pane resizers set at run time, not colours.
  const runtime = new Set(["--sidebar-width", "--inspector-width"]);
  const used = [...new Set([...css.matchAll(/var\((--[a-z0-9-]+)/g)].map((m) => m[1]))].filter(
    (v) => !runtime.has(v),
  );

  it("styles.css writes no colour of its own: every colour comes from the palettes", () => {
    expect(css).not.toMatch(/#[0-9a-f]{3,8}\b|rgba?\(/i);
    expect(used.length).toBeGreaterThan(20);
  });

  it.each(THEMES)("every variable styles.css uses is set by the $name palette", (p) => {
    const set = new Map(cssVariables(p));
    expect(used.filter((v) => !set.has(v))).toEqual([]);
    expect(set.get("--bg")).toBe(p.bg);
    expect(set.get("--error-text")).toBe(p.errorText);
    expect(set.get("--family-barrier")).toBe(p.families.barrier);
    expect(set.has("--name")).toBe(false);
  });
});
