import { describe, expect, it } from "vitest";
import { KEYMAP, keyLabel, keyMatches, MENU_BINDINGS, parseKey } from "../../../renderer/src/app/keymap";
import { EVENT_CHANNELS } from "../../../shared/ipc/contract";
import { stepView } from "../../../renderer/src/app/navigation";

const ev = (
  key: string,
  mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {},
) => ({
  key,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe("the keymap", () => {
  it("matches letters without Shift or modifiers, Mod as Ctrl or ⌘", () => {
    expect(keyMatches("W", ev("w"))).toBe(true);
    expect(keyMatches("W", ev("W", { shift: true }))).toBe(false);
    expect(keyMatches("W", ev("w", { ctrl: true }))).toBe(false);
    expect(keyMatches("Mod+F", ev("f", { ctrl: true }))).toBe(true);
    expect(keyMatches("Mod+F", ev("f", { meta: true }))).toBe(true);
    expect(keyMatches("Mod+F", ev("f"))).toBe(false);
    expect(keyMatches("ArrowUp", ev("ArrowUp"))).toBe(true);
    expect(keyMatches("ArrowUp", ev("ArrowUp", { shift: true }))).toBe(false);
  });

  it("matches symbols by the character typed: Shift+[ is the `{` it types, ? needs no Shift spelled", () => {
    expect(keyMatches("[", ev("["))).toBe(true);
    expect(keyMatches("[", ev("{", { shift: true }))).toBe(false);
    expect(keyMatches("Shift+[", ev("{", { shift: true }))).toBe(true);
    expect(keyMatches("Shift+[", ev("["))).toBe(false);
    expect(keyMatches("?", ev("?", { shift: true }))).toBe(true);
    expect(keyMatches("/", ev("/"))).toBe(true);
    expect(keyMatches("/", ev("?", { shift: true }))).toBe(false);
  });

  it("gives every key to one binding only", () => {
    const owners = new Map<string, string>();
    for (const b of KEYMAP)
      for (const k of b.keys) {
        const p = parseKey(k);
        const id = `${p.mod}|${p.shift}|${p.alt}|${p.key.toLowerCase()}`;
        expect(owners.get(id), `${k} of ${b.id}`).toBeUndefined();
        owners.set(id, b.id);
      }
    // Every binding can be pressed: it has a key and does something.
    for (const b of KEYMAP) {
      expect(b.keys.length, b.id).toBeGreaterThan(0);
      expect(!!b.motion || !!b.run, b.id).toBe(true);
    }
  });

  it("carries out desktop menu commands with the binding of the same keys", () => {
    for (const [event, id] of MENU_BINDINGS) {
      expect(EVENT_CHANNELS).toContain(`menu:${event}`);
      expect(KEYMAP.find((b) => b.id === id)?.run, id).toBeDefined();
    }
    // The menu's accelerators and the keymap agree on the keys of what both do.
    const keysOf = (id: string) => KEYMAP.find((b) => b.id === id)!.keys;
    expect(keysOf("filter")).toContain("Mod+F");
    expect(keysOf("export")).toContain("Mod+E");
    expect(keysOf("open")).toContain("Mod+O");
  });

  it("writes keys for people", () => {
    expect(keyLabel("ArrowLeft")).toBe("←");
    expect(keyLabel("Escape")).toBe("Esc");
    expect(keyLabel("w")).toBe("W");
    expect(keyLabel("Mod+F")).toMatch(/^(Ctrl\+F|⌘F)$/);
  });
});

describe("a tap of a navigation key", () => {
  const bounds = { start: 0, end: 1000e9 };
  const v = { start: 100e9, end: 200e9 };
  it("zooms by a fifth about the anchor, and back out by the inverse", () => {
    const z = stepView(v, "zoom-in", 150e9, bounds);
    expect(z.end - z.start).toBeCloseTo(80e9, -3);
    expect((z.start + z.end) / 2).toBeCloseTo(150e9, -3);
    const back = stepView(z, "zoom-out", 150e9, bounds);
    expect(back.start).toBeCloseTo(v.start, -3);
    expect(back.end).toBeCloseTo(v.end, -3);
  });
  it("pans by a tenth of the view", () => {
    expect(stepView(v, "pan-right", 0, bounds)).toEqual({ start: 110e9, end: 210e9 });
    expect(stepView(v, "pan-left", 0, bounds)).toEqual({ start: 90e9, end: 190e9 });
  });
});
