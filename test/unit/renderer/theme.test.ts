import { afterEach, describe, expect, it, vi } from "vitest";
import {
  contrast,
  deltaE2000,
  hexToLab,
  simulate,
  visionDelta,
  type Vision,
} from "../../../renderer/src/view/colorCheck";
import {
  DARK,
  labelOn,
  LIGHT,
  nextChoice,
  parseChoice,
  resolveTheme,
  type Palette,
} from "../../../renderer/src/view/theme";
import type { PhaseFamily } from "../../../shared/model/phases";

describe("colour maths", () => {
  it("WCAG contrast: black on white is 21, a colour on itself 1, #767676 just passes AA on white", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 6);
    expect(contrast("#fff", "#000")).toBeCloseTo(21, 6);
    expect(contrast("#81888a", "#81888a")).toBe(1);
    // The well-known AA boundary greys: #767676 is 4.54:1 on white, #777777 4.48:1.
    expect(contrast("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("sRGB to CIELAB (D65) of known colours", () => {
    const near = (lab: number[], want: number[]) => lab.forEach((v, i) => expect(v).toBeCloseTo(want[i], 2));
    near(hexToLab("#ffffff"), [100, 0, 0]);
    near(hexToLab("#000000"), [0, 0, 0]);
    near(hexToLab("#ff0000"), [53.24, 80.09, 67.2]);
    near(hexToLab("#0000ff"), [32.3, 79.19, -107.86]);
    near(hexToLab("#808080"), [53.59, 0, 0]);
  });

  it("CIEDE2000 matches Sharma, Wu & Dalal's test pairs (including the hue-wrap cases)", () => {
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(deltaE2000([50, 2.49, -0.001], [50, -2.49, 0.0009])).toBeCloseTo(7.1792, 4);
    expect(deltaE2000([50, 2.49, -0.001], [50, -2.49, 0.0011])).toBeCloseTo(7.2195, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
  });

  it("simulates dichromacy with Machado's matrices on linear RGB", () => {
    const bytes = (hex: string, v: Vision) => simulate(hex, v).map((c) => Math.round(c * 255));
    // Red through the protanopia matrix: linear (0.1523, 0.1145, −0.0039) → sRGB.
    expect(bytes("#ff0000", "protanopia")).toEqual([109, 95, 0]);
    expect(bytes("#ff0000", "deuteranopia")).toEqual([163, 144, 0]);
    expect(bytes("#0000ff", "tritanopia")).toEqual([0, 107, 150]);
    // Each matrix keeps white and greys as they are.
    for (const v of ["protanopia", "deuteranopia", "tritanopia"] as Vision[]) {
      expect(bytes("#ffffff", v)).toEqual([255, 255, 255]);
      expect(bytes("#808080", v)).toEqual([128, 128, 128]);
    }
    // Red and green, far apart normally, nearly meet for a deuteranope.
    expect(visionDelta("#d62728", "#2ca02c", "normal")).toBeGreaterThan(50);
    expect(visionDelta("#d62728", "#2ca02c", "deuteranopia")).toBeLessThan(15);
  });
});

const THEMES: Palette[] = [DARK, LIGHT];
const VISIONS: Vision[] = ["normal", "protanopia", "deuteranopia", "tritanopia"];

describe.each(THEMES)("the $name palette", (p) => {
  it("text reads on every surface (≥ 4.5), dim text too (≥ 4.5; the brief's floor is 3)", () => {
    for (const surface of [p.bg, p.panel, p.panel2, p.group, p.laneAlt]) {
      expect(contrast(p.text, surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.dim, surface)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("coloured text (links and ranks, errors, warnings, good news) reads on the panels", () => {
    for (const c of [p.accent, p.error, p.warn, p.good])
      for (const surface of [p.bg, p.panel, p.panel2])
        expect(contrast(c, surface)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.errorText, p.errorBg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.warnText, p.warnBg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.infoText, p.infoBg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.openBadgeText, p.openBadgeBg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.errorText, p.openBadgeBg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.onError, p.error)).toBeGreaterThanOrEqual(4.5);
  });

  it("lines and marks on the lanes stand out from them (≥ 3, WCAG's non-text floor)", () => {
    for (const lane of [p.bg, p.laneAlt]) {
      for (const c of [p.pin, p.open, p.taskOutline, p.gapEdge, p.accent])
        expect(contrast(c, lane)).toBeGreaterThanOrEqual(3);
      for (const c of Object.values(p.markers)) expect(contrast(c, lane)).toBeGreaterThanOrEqual(3);
    }
    expect(contrast(p.tickMajor, p.axisBg)).toBeGreaterThanOrEqual(3);
  });

  it("phase bands stand off both lane backgrounds (≥ 1.5, so no outline is drawn) and their labels read", () => {
    for (const c of Object.values(p.families)) {
      expect(contrast(c, p.bg)).toBeGreaterThanOrEqual(1.5);
      expect(contrast(c, p.laneAlt)).toBeGreaterThanOrEqual(1.5);
      expect(contrast(labelOn(p, c), c)).toBeGreaterThanOrEqual(4.5);
    }
  });

  // Any two families can meet: a phase ends where the next begins, whatever the source, and
  // the legend lists them side by side. So every pair is checked, with no exception.
  it.each(VISIONS)("every pair of phase families is CIEDE2000 ≥ 10 apart under %s vision", (vision) => {
    const entries = Object.entries(p.families) as [PhaseFamily, string][];
    const close: string[] = [];
    for (let i = 0; i < entries.length; i++)
      for (let j = i + 1; j < entries.length; j++) {
        const d = visionDelta(entries[i][1], entries[j][1], vision);
        if (d < 10) close.push(`${entries[i][0]}/${entries[j][0]} ΔE ${d.toFixed(1)}`);
      }
    expect(close).toEqual([]);
  });
});

describe("the light palette differs where it must", () => {
  it("is light where the dark one is dark", () => {
    for (const k of ["bg", "panel", "laneAlt", "axisBg", "overviewBg"] as const) {
      expect(contrast(LIGHT[k], "#ffffff")).toBeLessThan(1.2);
      expect(contrast(DARK[k], "#000000")).toBeLessThan(1.6);
    }
  });
});

describe("the choice", () => {
  it("system follows the system; light and dark ignore it", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });

  it("the toggle cycles system → light → dark → system", () => {
    expect(nextChoice("system")).toBe("light");
    expect(nextChoice("light")).toBe("dark");
    expect(nextChoice("dark")).toBe("system");
  });

  it("a stored value that is not a choice reads as system", () => {
    expect(parseChoice("light")).toBe("light");
    expect(parseChoice("dark")).toBe("dark");
    expect(parseChoice(null)).toBe("system");
    expect(parseChoice("Dark")).toBe("system");
    expect(parseChoice("sepia")).toBe("system");
  });
});

describe("installTheme (the app's store, with a fake page)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  function fakePage(stored: string | null, systemDark: boolean) {
    const storage = new Map<string, string>(stored === null ? [] : [["rankscope:theme", stored]]);
    const vars = new Map<string, string>();
    const root = {
      style: { setProperty: (k: string, v: string) => vars.set(k, v), colorScheme: "" },
      dataset: {} as Record<string, string>,
    };
    let onChange: ((e: { matches: boolean }) => void) | null = null;
    vi.stubGlobal("localStorage", {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => storage.set(k, v),
    });
    vi.stubGlobal("document", { documentElement: root });
    vi.stubGlobal("window", { addEventListener() {}, removeEventListener() {} });
    vi.stubGlobal("matchMedia", () => ({
      matches: systemDark,
      addEventListener: (_: string, f: typeof onChange) => (onChange = f),
      removeEventListener() {},
    }));
    return { storage, vars, root, systemChanges: (dark: boolean) => onChange?.({ matches: dark }) };
  }

  it("starts from the kept choice, sets the page's variables, and keeps a new choice", async () => {
    const page = fakePage("light", true);
    const { installTheme, useTheme } = await import("../../../renderer/src/app/theme");
    installTheme();
    expect(useTheme.getState().name).toBe("light");
    expect(page.vars.get("--bg")).toBe(LIGHT.bg);
    expect(page.root.dataset.theme).toBe("light");
    expect(page.root.style.colorScheme).toBe("light");
    useTheme.getState().cycle();
    expect(useTheme.getState().choice).toBe("dark");
    expect(page.storage.get("rankscope:theme")).toBe("dark");
    expect(page.vars.get("--bg")).toBe(DARK.bg);
    // A system change does not override an explicit choice.
    page.systemChanges(false);
    expect(useTheme.getState().name).toBe("dark");
  });

  it("with nothing kept, follows the system's preference as it changes", async () => {
    const page = fakePage(null, false);
    const { installTheme, useTheme } = await import("../../../renderer/src/app/theme");
    installTheme();
    expect(useTheme.getState()).toMatchObject({ choice: "system", name: "light" });
    page.systemChanges(true);
    expect(useTheme.getState().name).toBe("dark");
    expect(page.vars.get("--text")).toBe(DARK.text);
  });
});
