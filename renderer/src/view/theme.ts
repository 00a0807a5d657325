import type { PhaseFamily } from "../../../shared/model/phases";
import { MarkerKind } from "../../../shared/model/types";
import { textOn } from "./colorCheck";

/**
 * The light and dark palettes: the one place the app's colours are written. CSS reads them
 * as variables (every string entry becomes `--kebab-case`, set from TypeScript by app/theme),
 * the canvases read them from the palette handed to each draw.
 */

export type ThemeName = "dark" | "light";
export type ThemeChoice = "system" | ThemeName;

export const THEME_CHOICES: ThemeChoice[] = ["system", "light", "dark"];

/**
 * One set of phase colours for both themes, searched near the original dark ones so each
 * family keeps its look (barrier orange, error red, decode purple…): every pair is at least
 * CIEDE2000 10 apart under normal vision and simulated protanopia, deuteranopia and
 * tritanopia, and each has contrast ≥ 1.5 against both themes' lane backgrounds, so the bands
 * need no outline (test/unit/renderer/theme.test.ts checks all of it).
 */
const FAMILIES: Record<PhaseFamily, string> = {
  setup: "#81888a",
  task: "#4c9be8",
  barrier: "#f6ae49",
  prefill: "#47c99e",
  decode: "#815fd4",
  compute: "#2f859d",
  io: "#a9a068",
  cancel: "#d87e15",
  done: "#5d6873",
  error: "#d43f42",
  other: "#9ea9b6",
};

export interface Palette {
  name: ThemeName;
  // UI surfaces and text (CSS variables; the canvases share them).
  bg: string;
  panel: string;
  panel2: string;
  border: string;
  text: string;
  dim: string;
  accent: string;
  error: string;
  warn: string;
  good: string;
  /** Text drawn on coloured fills (phase bands, note labels, flags): the darker choice… */
  onFill: string;
  /** …and the lighter one; `labelOn` picks whichever reads better on a given fill. */
  onFillLight: string;
  /** Text on an error-coloured flag. */
  onError: string;
  errorBg: string;
  errorText: string;
  warnBg: string;
  warnText: string;
  infoBg: string;
  infoText: string;
  openBadgeBg: string;
  openBadgeText: string;
  tooltipBg: string;
  backdrop: string;
  liveBg: string;
  goodDot: string;
  /** The pinned instant, the selection's outline, the readout's time. */
  pin: string;
  // The lanes.
  laneAlt: string;
  group: string;
  grid: string;
  /** The selected lane's wash (canvas and its header). */
  select: string;
  selectHeader: string;
  /** A time range chosen across lanes: its fill and its two edge lines. */
  rangeFill: string;
  rangeEdge: string;
  cursor: string;
  memArea: string;
  memAreaLow: string;
  memLine: string;
  /** A phase still open when the data ends: outline and label, hatch, label backing. */
  open: string;
  openHatch: string;
  openLabelBg: string;
  /** Darkens the start of a span that began before the data did. */
  truncatedShade: string;
  /** Outline of every span of the highlighted task. */
  taskOutline: string;
  gapShade: string;
  gapHatch: string;
  gapEdge: string;
  gapLabelBg: string;
  /** Beside a note's line, so a pale note colour still shows on a light lane. */
  noteShade: string;
  axisBg: string;
  tickMajor: string;
  tickMinor: string;
  overviewBg: string;
  /** Over the overview outside the visible window. */
  overviewShade: string;
  families: Record<PhaseFamily, string>;
  markers: Record<number, string>;
}

export const DARK: Palette = {
  name: "dark",
  bg: "#14181d",
  panel: "#1b2128",
  panel2: "#20272f",
  border: "#2d3640",
  text: "#e6edf3",
  dim: "#8b96a3",
  accent: "#58a6ff",
  error: "#ff5c5c",
  warn: "#e3b341",
  good: "#7ee787",
  onFill: "#000000",
  onFillLight: "#ffffff",
  onError: "#0d1117",
  errorBg: "#3a1f22",
  errorText: "#ffb3b3",
  warnBg: "#2b2a1b",
  warnText: "#f3e3a3",
  infoBg: "#1f3a5c",
  infoText: "#9ecbff",
  openBadgeBg: "#4a1f22",
  openBadgeText: "#ff8a8a",
  tooltipBg: "rgba(13, 17, 23, 0.95)",
  backdrop: "rgba(0, 0, 0, 0.5)",
  liveBg: "#11161c",
  goodDot: "#3fb950",
  pin: "#ffd666",
  laneAlt: "#171c22",
  group: "#222a33",
  grid: "#232b34",
  select: "rgba(88, 166, 255, 0.12)",
  selectHeader: "rgba(88, 166, 255, 0.15)",
  rangeFill: "rgba(88, 166, 255, 0.14)",
  rangeEdge: "rgba(88, 166, 255, 0.85)",
  cursor: "rgba(255, 255, 255, 0.55)",
  memArea: "rgba(88, 166, 255, 0.45)",
  memAreaLow: "rgba(88, 166, 255, 0.2)",
  memLine: "rgba(255, 214, 102, 0.9)",
  open: "#ff5c5c",
  openHatch: "rgba(255, 92, 92, 0.85)",
  openLabelBg: "rgba(20, 24, 29, 0.85)",
  truncatedShade: "rgba(0, 0, 0, 0.35)",
  taskOutline: "#ffffff",
  gapShade: "rgba(13, 17, 23, 0.85)",
  gapHatch: "rgba(201, 209, 217, 0.55)",
  gapEdge: "#c9d1d9",
  gapLabelBg: "rgba(13, 17, 23, 0.9)",
  noteShade: "rgba(0, 0, 0, 0)",
  axisBg: "#1b2128",
  tickMajor: "#8b96a3",
  tickMinor: "#3a444f",
  overviewBg: "#101418",
  overviewShade: "rgba(0, 0, 0, 0.45)",
  families: FAMILIES,
  markers: {
    [MarkerKind.Info]: "#c9d1d9",
    [MarkerKind.Warning]: "#e3b341",
    [MarkerKind.Error]: "#ff5c5c",
    [MarkerKind.Exception]: "#ff5c5c",
    [MarkerKind.Cancel]: "#f0883e",
    [MarkerKind.Crash]: "#ff2d55",
    [MarkerKind.Peak]: "#d2a8ff",
    [MarkerKind.Critical]: "#ff2d55",
  },
};

export const LIGHT: Palette = {
  name: "light",
  bg: "#ffffff",
  panel: "#f6f8fa",
  panel2: "#eaeef2",
  border: "#d0d7de",
  text: "#1f2328",
  dim: "#59636e",
  accent: "#0860ca",
  error: "#cf222e",
  warn: "#8a5a00",
  good: "#17732f",
  onFill: "#000000",
  onFillLight: "#ffffff",
  onError: "#ffffff",
  errorBg: "#ffebe9",
  errorText: "#82071e",
  warnBg: "#fff8c5",
  warnText: "#6b4500",
  infoBg: "#ddf4ff",
  infoText: "#0550ae",
  openBadgeBg: "#ffebe9",
  openBadgeText: "#a40e26",
  tooltipBg: "rgba(255, 255, 255, 0.97)",
  backdrop: "rgba(31, 35, 40, 0.35)",
  liveBg: "#f0f3f6",
  goodDot: "#1a7f37",
  pin: "#b35900",
  laneAlt: "#f6f8fa",
  group: "#eaeef2",
  grid: "#d8dee4",
  select: "rgba(9, 105, 218, 0.08)",
  selectHeader: "rgba(9, 105, 218, 0.12)",
  rangeFill: "rgba(9, 105, 218, 0.1)",
  rangeEdge: "rgba(9, 105, 218, 0.85)",
  cursor: "rgba(31, 35, 40, 0.55)",
  memArea: "rgba(9, 105, 218, 0.3)",
  memAreaLow: "rgba(9, 105, 218, 0.13)",
  memLine: "rgba(191, 87, 0, 0.95)",
  open: "#cf222e",
  openHatch: "rgba(207, 34, 46, 0.75)",
  openLabelBg: "rgba(255, 255, 255, 0.9)",
  truncatedShade: "rgba(0, 0, 0, 0.3)",
  taskOutline: "#1f2328",
  gapShade: "rgba(246, 248, 250, 0.9)",
  gapHatch: "rgba(87, 96, 106, 0.5)",
  gapEdge: "#57606a",
  gapLabelBg: "rgba(255, 255, 255, 0.92)",
  noteShade: "rgba(31, 35, 40, 0.45)",
  axisBg: "#f6f8fa",
  tickMajor: "#59636e",
  tickMinor: "#c4ccd4",
  overviewBg: "#eef1f4",
  overviewShade: "rgba(255, 255, 255, 0.6)",
  families: FAMILIES,
  markers: {
    [MarkerKind.Info]: "#57606a",
    [MarkerKind.Warning]: "#9a6700",
    [MarkerKind.Error]: "#cf222e",
    [MarkerKind.Exception]: "#cf222e",
    [MarkerKind.Cancel]: "#bc4c00",
    [MarkerKind.Crash]: "#d1004f",
    [MarkerKind.Peak]: "#8250df",
    [MarkerKind.Critical]: "#d1004f",
  },
};

export const PALETTES: Record<ThemeName, Palette> = { dark: DARK, light: LIGHT };

/** The theme a choice shows, given whether the system asks for dark. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): ThemeName {
  return choice === "system" ? (systemDark ? "dark" : "light") : choice;
}

/** The toolbar toggle's order: system → light → dark → system. */
export function nextChoice(choice: ThemeChoice): ThemeChoice {
  return THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length];
}

/** A stored value read back (anything unknown, from an older or a hand-edited store, is "system"). */
export function parseChoice(v: string | null | undefined): ThemeChoice {
  return v === "light" || v === "dark" || v === "system" ? v : "system";
}

/** The CSS variables of a palette: every string entry, `--kebab-case`. */
export function cssVariables(p: Palette): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(p))
    if (typeof v === "string" && k !== "name")
      out.push([`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v]);
  for (const [f, v] of Object.entries(p.families)) out.push([`--family-${f}`, v]);
  return out;
}

const labelCache = new Map<string, string>();

/** The text colour that reads best on `fill` (a phase band, a note's label). */
export function labelOn(p: Palette, fill: string): string {
  const key = `${p.name}|${fill}`;
  let c = labelCache.get(key);
  if (!c) labelCache.set(key, (c = textOn(fill, p.onFill, p.onFillLight)));
  return c;
}
