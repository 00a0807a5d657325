import { create } from "zustand";
import {
  cssVariables,
  nextChoice,
  PALETTES,
  parseChoice,
  resolveTheme,
  type Palette,
  type ThemeChoice,
  type ThemeName,
} from "../view/theme";

/** Where the choice is kept: localStorage works alike in Electron and in a browser tab. */
export const THEME_KEY = "rankscope:theme";

export interface ThemeState {
  choice: ThemeChoice;
  /** What `prefers-color-scheme` says now (followed live while the choice is "system"). */
  systemDark: boolean;
  name: ThemeName;
  palette: Palette;
  setChoice(choice: ThemeChoice): void;
  cycle(): void;
}

function resolved(choice: ThemeChoice, systemDark: boolean) {
  const name = resolveTheme(choice, systemDark);
  return { choice, systemDark, name, palette: PALETTES[name] };
}

export const useTheme = create<ThemeState>()((set, get) => ({
  ...resolved("system", true),
  setChoice(choice) {
    set(resolved(choice, get().systemDark));
    try {
      localStorage.setItem(THEME_KEY, choice);
    } catch {
      // Storage refused (private mode, quota): the choice lasts until the window closes.
    }
  },
  cycle() {
    get().setChoice(nextChoice(get().choice));
  },
}));

/** The palette everything is drawn with now (canvases read it at frame time). */
export function activePalette(): Palette {
  return useTheme.getState().palette;
}

function applyToDocument(p: Palette): void {
  const root = document.documentElement;
  for (const [name, value] of cssVariables(p)) root.style.setProperty(name, value);
  root.style.colorScheme = p.name;
  root.dataset.theme = p.name;
}

/**
 * Reads the kept choice, follows the system's preference, and keeps the page's CSS variables
 * in step with the palette. Runs before the first render, so nothing is drawn in the wrong
 * colours first.
 */
export function installTheme(): () => void {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(THEME_KEY);
  } catch {
    stored = null;
  }
  const query = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  // Without the query (very old hosts) the app stays as it always was: dark.
  useTheme.setState(resolved(parseChoice(stored), query ? query.matches : true));
  applyToDocument(useTheme.getState().palette);
  const unsubscribe = useTheme.subscribe((s, prev) => {
    if (s.palette !== prev.palette) applyToDocument(s.palette);
  });
  const onSystem = (e: MediaQueryListEvent) => {
    const s = useTheme.getState();
    useTheme.setState(resolved(s.choice, e.matches));
  };
  query?.addEventListener("change", onSystem);
  // Another window of the app changed the choice: follow it here too.
  const onStorage = (e: StorageEvent) => {
    if (e.key === THEME_KEY)
      useTheme.setState(resolved(parseChoice(e.newValue), useTheme.getState().systemDark));
  };
  window.addEventListener("storage", onStorage);
  return () => {
    unsubscribe();
    query?.removeEventListener("change", onSystem);
    window.removeEventListener("storage", onStorage);
  };
}
