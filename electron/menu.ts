import type { MenuItemConstructorOptions } from "electron";

export type MenuCommand =
  "menu:open-folder" | "menu:export-png" | "menu:attach" | "menu:find" | "menu:shortcuts";

export interface RecentItem {
  label: string;
  paths: readonly string[];
}

export interface MenuOptions {
  isMac: boolean;
  /**
   * Reload only makes sense while developing (in a build it would drop a running import);
   * DevTools are for developers only (a packaged app's window cannot open them at all).
   */
  isDev: boolean;
  /** Sends a menu command to the focused window; the renderer carries it out. */
  command(event: MenuCommand): void;
  about(): void;
  /** File → Open Recent, most recent first. */
  recent?: readonly RecentItem[];
  openRecent?(paths: readonly string[]): void;
  clearRecent?(): void;
}

function openRecentMenu(o: MenuOptions): MenuItemConstructorOptions {
  const recent = o.recent ?? [];
  const items: MenuItemConstructorOptions[] = recent.length
    ? recent.map((r, i) => ({ id: `recent-${i}`, label: r.label, click: () => o.openRecent?.(r.paths) }))
    : [{ label: "No Recent Items", enabled: false }];
  return {
    id: "open-recent",
    label: "Open Recent",
    submenu: [
      ...items,
      { type: "separator" },
      {
        id: "clear-recent",
        label: "Clear Recent",
        enabled: recent.length > 0,
        click: () => o.clearRecent?.(),
      },
    ],
  };
}

export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: "&File",
    submenu: [
      { label: "Open Folder…", accelerator: "CmdOrCtrl+O", click: () => o.command("menu:open-folder") },
      openRecentMenu(o),
      {
        label: "Attach to Cluster…",
        accelerator: "CmdOrCtrl+Shift+L",
        click: () => o.command("menu:attach"),
      },
      { label: "Export PNG…", accelerator: "CmdOrCtrl+E", click: () => o.command("menu:export-png") },
      { type: "separator" },
      o.isMac ? { role: "close" } : { role: "quit" },
    ],
  };
  // Spelled out rather than role "editMenu" so Find can join it. The accelerator takes Ctrl/Cmd+F
  // before the page sees the key, so the renderer hears it as menu:find, like every command here.
  const edit: MenuItemConstructorOptions = {
    label: "&Edit",
    submenu: [
      { role: "undo" },
      { role: "redo" },
      { type: "separator" },
      { role: "cut" },
      { role: "copy" },
      { role: "paste" },
      ...(o.isMac ? ([{ role: "pasteAndMatchStyle" }] as const) : []),
      { role: "delete" },
      { role: "selectAll" },
      { type: "separator" },
      { label: "Find Lane…", accelerator: "CmdOrCtrl+F", click: () => o.command("menu:find") },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: "&View",
    submenu: [
      ...(o.isDev
        ? ([
            { role: "reload" },
            { role: "forceReload" },
            { role: "toggleDevTools" },
            { type: "separator" },
          ] as const)
        : []),
      { role: "resetZoom" },
      { role: "zoomIn" },
      { role: "zoomOut" },
      { type: "separator" },
      { role: "togglefullscreen" },
    ],
  };
  // "?" cannot be a menu accelerator (it is Shift+/ on some layouts and not a key on others):
  // the page handles "?" itself, and the menu offers Ctrl/Cmd+/.
  const help: MenuItemConstructorOptions = {
    label: "&Help",
    role: "help",
    submenu: [
      { label: "Keyboard Shortcuts", accelerator: "CmdOrCtrl+/", click: () => o.command("menu:shortcuts") },
      { type: "separator" },
      { label: "About Rankscope", click: () => o.about() },
    ],
  };
  // macOS puts Quit, Hide and Services in the application menu.
  return [...(o.isMac ? [{ role: "appMenu" } as const] : []), file, edit, view, help];
}
