import type { MenuItemConstructorOptions } from "electron";

export interface MenuOptions {
  isMac: boolean;
  /**
   * Reload only makes sense while developing (in a build it would drop a running import);
   * DevTools are for developers only (a packaged app's window cannot open them at all).
   */
  isDev: boolean;
  /** Sends a menu command to the focused window; the renderer carries it out. */
  command(event: "menu:open-folder" | "menu:export-png" | "menu:attach"): void;
  about(): void;
}

export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: "&File",
    submenu: [
      { label: "Open Folder…", accelerator: "CmdOrCtrl+O", click: () => o.command("menu:open-folder") },
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
  const help: MenuItemConstructorOptions = {
    label: "&Help",
    role: "help",
    submenu: [{ label: "About Rankscope", click: () => o.about() }],
  };
  // macOS puts Quit, Hide and Services in the application menu.
  return [...(o.isMac ? [{ role: "appMenu" } as const] : []), file, { role: "editMenu" }, view, help];
}
