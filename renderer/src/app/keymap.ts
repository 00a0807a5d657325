import { useEffect } from "react";
import { host } from "../host";
import type { MenuEvent } from "../host/host";
import { backToLive } from "../live/controller";
import { useLive } from "../live/store";
import { laneShift } from "../view/laneView";
import { stepEvent } from "../view/queries";
import { clampView, fitView } from "../view/timeScale";
import { cancelImport } from "./actions";
import { markRange } from "./annotations";
import { currentData } from "./current";
import { isTyping } from "./keys";
import { navigation, type Motion } from "./navigation";
import { useApp, type AppState } from "./store";

export type KeyGroup = "Move" | "Select and mark" | "Notes and export" | "View";

/**
 * One key binding. `keys` are written as "W", "Shift+]", "Mod+F" (Mod is Ctrl, or ⌘ on a Mac),
 * "ArrowUp", "Escape", "?". The help overlay lists these very entries, so it cannot drift from
 * what the keys do.
 */
export interface Binding {
  id: string;
  keys: string[];
  group: KeyGroup;
  label: string;
  /** A motion runs while the key is held (a tap moves one step). */
  motion?: Motion;
  /** Carries the binding out (`key`: which of its keys); false when it does not apply now. */
  run?(s: AppState, key: string): boolean;
}

const focusFilter = () => {
  const el = document.querySelector<HTMLInputElement>("[data-testid=filter]");
  el?.focus();
  el?.select();
  return !!el;
};

function stepTo(s: AppState, dir: 1 | -1, all: boolean): boolean {
  const lanes = currentData()
    .lanes.filter((l) => all || !s.selectedLane || l.data.info.id === s.selectedLane)
    .map((view) => ({ view, shift: laneShift(view, s.shifts) }));
  // A paged lane's events may have to be read from its tiles first.
  void stepEvent(lanes, s.pinned ?? s.cursor ?? s.view.start, dir).then((t) => {
    if (t === null) return;
    const now = useApp.getState();
    now.pin(t);
    if (t < now.view.start || t > now.view.end) {
      const w = now.view.end - now.view.start;
      now.setView(clampView({ start: t - w / 2, end: t + w / 2 }, now.bounds));
    }
  });
  return true;
}

export const KEYMAP: Binding[] = [
  {
    id: "zoom-in",
    keys: ["W", "ArrowUp"],
    group: "Move",
    label: "Zoom in (tap: one step; hold: faster)",
    motion: "zoom-in",
  },
  { id: "zoom-out", keys: ["S", "ArrowDown"], group: "Move", label: "Zoom out", motion: "zoom-out" },
  { id: "pan-left", keys: ["A", "ArrowLeft"], group: "Move", label: "Pan left", motion: "pan-left" },
  { id: "pan-right", keys: ["D", "ArrowRight"], group: "Move", label: "Pan right", motion: "pan-right" },
  {
    id: "fit",
    keys: ["F"],
    group: "Move",
    label: "Fit the view to the data",
    run: (s) => (s.setView(fitView(s.bounds)), true),
  },
  {
    id: "step",
    keys: ["[", "]"],
    group: "Move",
    label: "Previous / next event of the selected lane (all lanes when none is selected)",
    run: (s, key) => stepTo(s, key.endsWith("]") ? 1 : -1, false),
  },
  {
    id: "step-all",
    keys: ["Shift+[", "Shift+]"],
    group: "Move",
    label: "Previous / next event of any lane",
    run: (s, key) => stepTo(s, key.endsWith("]") ? 1 : -1, true),
  },
  {
    id: "mark",
    keys: ["M"],
    group: "Select and mark",
    label: "Mark the selected range (or the selected span) with a note",
    run: (s) => {
      if (!s.current) return false;
      void markRange();
      return true;
    },
  },
  {
    id: "escape",
    keys: ["Escape"],
    group: "Select and mark",
    label: "Close this help, cancel an import, clear the range, or unpin: the first that applies",
    run: (s) => {
      if (s.overlay) s.setOverlay(null);
      else if (s.ingest.status === "running") cancelImport();
      else if (s.range) s.setRange(null);
      else {
        s.pin(null);
        s.select(null);
      }
      return true;
    },
  },
  {
    id: "note",
    keys: ["N"],
    group: "Notes and export",
    label: "Write a note (over the selected range, or at the pinned instant)",
    run: (s) => {
      if (!s.current) return false;
      s.setInspector("notes");
      requestAnimationFrame(() =>
        document.querySelector<HTMLTextAreaElement>("[data-testid=note-text]")?.focus(),
      );
      return true;
    },
  },
  {
    id: "export",
    keys: ["Mod+E"],
    group: "Notes and export",
    label: "Export a PNG",
    run: (s) => (s.current ? (s.setOverlay("export"), true) : false),
  },
  {
    id: "undo",
    keys: ["Mod+Z"],
    group: "Notes and export",
    label: "Undo a lane shift or clock alignment",
    run: (s) => s.undoShifts() !== null,
  },
  {
    id: "clock",
    keys: ["T"],
    group: "View",
    label: "Axis: wall-clock time ↔ time since the run started",
    run: (s) => (s.current ? (s.setClock(s.clock === "wall" ? "since" : "wall"), true) : false),
  },
  { id: "filter", keys: ["Mod+F", "/"], group: "View", label: "Filter lanes", run: focusFilter },
  {
    id: "live",
    keys: ["L"],
    group: "View",
    label: "Back to the live edge (when attached to a cluster)",
    run: () => {
      const l = useLive.getState();
      if (!l.active || l.ended) return false;
      backToLive();
      return true;
    },
  },
  {
    id: "open",
    keys: ["Mod+O"],
    group: "View",
    label: "Open a folder",
    run: () => {
      document.querySelector<HTMLButtonElement>("[data-testid=open-folder]")?.click();
      return true;
    },
  },
  {
    id: "help",
    keys: ["?"],
    group: "View",
    label: "Show this help",
    run: (s) => (s.setOverlay(s.overlay === "help" ? null : "help"), true),
  },
];

/** Mouse and trackpad gestures, listed beside the keys in the help. */
export const GESTURES: { gesture: string; label: string }[] = [
  { gesture: "Drag on the lanes", label: "Pan" },
  { gesture: "Wheel", label: "Zoom at the pointer (Ctrl+wheel: faster; sideways swipe: pan)" },
  { gesture: "Shift+wheel", label: "Scroll the lanes" },
  { gesture: "Drag on the time axis, or Shift+drag on the lanes", label: "Select a time range" },
  { gesture: "Click", label: "Pin the cursor and select the span or marker under it" },
  { gesture: "Click the time axis", label: "Clear the selected range" },
  { gesture: "Alt+drag a lane header", label: "Shift that lane in time" },
  { gesture: "Drag in the overview", label: "Move the view, or drag out a new one" },
  { gesture: "Drag a pane's edge", label: "Resize it (double-click: reset)" },
];

interface KeySpec {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

/** The shifted symbol of a key on a US layout, so Shift+[ also matches the `{` it types. */
const SHIFTED: Record<string, string> = { "[": "{", "]": "}", "/": "?" };

export function parseKey(spec: string): KeySpec {
  const parts = spec.split("+");
  // "Shift++" is not used; a lone "+" would be the key itself.
  const key = parts.pop() || "+";
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { mod: mods.has("mod"), shift: mods.has("shift"), alt: mods.has("alt"), key };
}

export function keyMatches(
  spec: string,
  e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">,
): boolean {
  const k = parseKey(spec);
  if (k.mod !== (e.ctrlKey || e.metaKey) || k.alt !== e.altKey) return false;
  if (/^[a-z]$/i.test(k.key) || k.key.length > 1)
    return k.shift === e.shiftKey && e.key.toLowerCase() === k.key.toLowerCase();
  // A symbol: the character typed decides; Shift+[ types `{` on most layouts.
  if (k.shift) return e.shiftKey && (e.key === k.key || e.key === SHIFTED[k.key]);
  return e.key === k.key;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const NAMES: Record<string, string> = {
  ArrowUp: "↑",
  ArrowDown: "↓",
  ArrowLeft: "←",
  ArrowRight: "→",
  Escape: "Esc",
};

/** How a key is written for people: Ctrl+F (⌘F on a Mac), ↑, Esc. */
export function keyLabel(spec: string): string {
  const k = parseKey(spec);
  const key = NAMES[k.key] ?? (k.key.length === 1 ? k.key.toUpperCase() : k.key);
  const mods = [
    k.mod ? (isMac ? "⌘" : "Ctrl") : "",
    k.alt ? (isMac ? "⌥" : "Alt") : "",
    k.shift ? "Shift" : "",
  ];
  return [...mods.filter(Boolean), key].join(isMac && k.mod ? "" : "+");
}

/** The binding a key press means, and which of its keys it was (for direction). */
export function bindingFor(e: KeyboardEvent): { binding: Binding; key: string } | null {
  for (const binding of KEYMAP)
    for (const key of binding.keys) if (keyMatches(key, e)) return { binding, key };
  return null;
}

/** Keys that work while typing in a field: the filter keys and Escape. */
const IN_FIELDS = new Set(["filter", "escape"]);

/** Whether the focused element uses arrow keys itself (a pane resizer, a select). */
function ownsArrows(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === "SELECT" || t.getAttribute?.("role") === "separator");
}

/**
 * Desktop menu items that do what a binding does. In Electron the menu's accelerators take
 * Ctrl/Cmd+F, +E and +O before the page sees them, so they arrive here as menu commands.
 */
export const MENU_BINDINGS: [MenuEvent, string][] = [
  ["find", "filter"],
  ["shortcuts", "help"],
  ["export-png", "export"],
  ["open-folder", "open"],
];

/** The app's one keyboard listener: every key goes through KEYMAP (and the menu's commands). */
export function useKeymap(): void {
  useEffect(() => {
    const offMenu = MENU_BINDINGS.map(([event, id]) =>
      host.onMenu(event, () => {
        const binding = KEYMAP.find((b) => b.id === id);
        binding?.run?.(useApp.getState(), binding.keys[0]);
      }),
    );
    const down = (e: KeyboardEvent) => {
      const hit = bindingFor(e);
      if (!hit) return;
      const { binding, key } = hit;
      // The desktop menu owns its accelerators; its command arrives through MENU_BINDINGS.
      if (host.kind !== "web" && key.startsWith("Mod+") && MENU_BINDINGS.some(([, id]) => id === binding.id))
        return;
      if (isTyping(e) && !IN_FIELDS.has(binding.id)) return;
      if (binding.id === "escape" && isTyping(e)) {
        (e.target as HTMLElement).blur();
        return;
      }
      const s = useApp.getState();
      if (binding.motion) {
        if (key.startsWith("Arrow") && ownsArrows(e)) return;
        e.preventDefault();
        navigation.press(e.key.toLowerCase(), binding.motion);
        return;
      }
      if (binding.run?.(s, key)) e.preventDefault();
    };
    const up = (e: KeyboardEvent) => navigation.release(e.key.toLowerCase());
    const blur = () => navigation.releaseAll();
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    window.addEventListener("blur", blur);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
      window.removeEventListener("blur", blur);
      navigation.releaseAll();
      for (const off of offMenu) off();
    };
  }, []);
}
