import type { MenuItemConstructorOptions } from "electron";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { startApp } from "../../../electron/app";
import { menuTemplate } from "../../../electron/menu";
import { windowOptions } from "../../../electron/window";
import { electron, FakeBrowserWindow, receiveHeaders } from "./electronMock";

vi.mock("electron", async () => (await import("./electronMock")).electron);

describe("the main window", () => {
  let win: FakeBrowserWindow;
  beforeAll(async () => {
    // As when started as `electron dist/electron/main.cjs`: argv[1] is the app, not a user path.
    (process as { defaultApp?: boolean }).defaultApp = true;
    startApp({ electronDir: "/app/dist/electron", rendererDir: "/app/dist/renderer" }, [
      "/usr/bin/electron",
      "/app/dist/electron/main.cjs",
    ]);
    await vi.waitFor(() => expect(FakeBrowserWindow.all).toHaveLength(1));
    win = FakeBrowserWindow.all[0];
  });

  it("asks before a close or reload loses an import under way, and leaves only when told to", () => {
    // The page held its unload (an import is running): Electron asks main what to do.
    const ask = vi.mocked(electron.dialog.showMessageBoxSync);
    ask.mockReturnValueOnce(0);
    expect(win.webContents.fire("will-prevent-unload")).toBe(false); // kept: the import goes on
    expect(ask.mock.calls[0][0]).toBe(win);
    const o = ask.mock.calls[0][1] as { buttons: string[]; cancelId: number };
    expect(o.buttons).toEqual(["Keep importing", "Leave and lose the import"]);
    expect(o.cancelId).toBe(0); // Escape keeps it
    ask.mockReturnValueOnce(1);
    expect(win.webContents.fire("will-prevent-unload")).toBe(true); // the unload goes ahead
  });

  it("keeps the page sandboxed, context-isolated and without Node", () => {
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: "/app/dist/electron/preload.cjs",
      // Not packaged here (the mock's app.isPackaged is false): a developer's DevTools.
      devTools: true,
    });
    expect(electron.app.enableSandbox).toHaveBeenCalled();
  });

  it("loads the renderer from the app:// scheme, with the demo when no paths were given", () => {
    expect(win.loadURL).toHaveBeenCalledWith("app://rankscope/index.html?demo");
    expect(electron.protocol.handle).toHaveBeenCalledWith("app", expect.any(Function));
  });

  it("puts the strict CSP on the app's pages", () => {
    const r = receiveHeaders("app://rankscope/index.html?demo", {});
    expect(r.responseHeaders).toEqual({
      "Content-Security-Policy": [expect.stringContaining("object-src 'none'")],
    });
  });

  it("hardens the window: window.open denied, navigation away blocked, nothing opened outside", () => {
    expect(win.webContents.openHandler!({ url: "https://evil.example/" })).toEqual({ action: "deny" });
    expect(win.webContents.fire("will-navigate", "https://evil.example/")).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
  });

  it("shows the window once it has painted", () => {
    expect(win.show).not.toHaveBeenCalled();
    win.emit("ready-to-show");
    expect(win.show).toHaveBeenCalled();
  });

  it("installs the menu, whose commands reach the focused window as contract events", () => {
    const template = electron.Menu.buildFromTemplate.mock.calls[0][0] as MenuItemConstructorOptions[];
    const file = template.find((m) => m.label === "&File")!;
    const open = (file.submenu as MenuItemConstructorOptions[]).find((i) => i.label === "Open Folder…")!;
    (open.click as () => void)();
    expect(win.webContents.sent.at(-1)).toEqual({ channel: "menu:open-folder", payload: {} });
  });
});

describe("the menu", () => {
  const items = (t: MenuItemConstructorOptions[], label: string) =>
    t.find((m) => m.label === label)!.submenu as MenuItemConstructorOptions[];

  it("has Open Folder (Ctrl/Cmd+O), Open Recent, Attach to Cluster, Export PNG (Ctrl/Cmd+E) and Quit under File", () => {
    const command = vi.fn();
    const t = menuTemplate({ isMac: false, isDev: false, command, about: vi.fn() });
    const file = items(t, "&File");
    expect(file.map((i) => [i.label ?? i.role ?? i.type, i.accelerator])).toEqual([
      ["Open Folder…", "CmdOrCtrl+O"],
      ["Open Recent", undefined],
      ["Attach to Cluster…", "CmdOrCtrl+Shift+L"],
      ["Export PNG…", "CmdOrCtrl+E"],
      ["separator", undefined],
      ["quit", undefined],
    ]);
    (file[2].click as () => void)();
    expect(command).toHaveBeenCalledWith("menu:attach");
    (file[3].click as () => void)();
    expect(command).toHaveBeenCalledWith("menu:export-png");
  });

  it("offers Reload and DevTools only while developing", () => {
    const roles = (isDev: boolean) =>
      items(menuTemplate({ isMac: false, isDev, command: vi.fn(), about: vi.fn() }), "&View").map(
        (i) => i.role ?? i.type,
      );
    expect(roles(true)).toEqual(expect.arrayContaining(["reload", "toggleDevTools"]));
    expect(roles(false)).toEqual(["resetZoom", "zoomIn", "zoomOut", "separator", "togglefullscreen"]);
  });

  it("has Help → About, and the macOS application menu on macOS", () => {
    const about = vi.fn();
    const mac = menuTemplate({ isMac: true, isDev: false, command: vi.fn(), about });
    expect(mac[0].role).toBe("appMenu");
    (items(mac, "&Help").find((i) => i.label === "About Rankscope")!.click as () => void)();
    expect(about).toHaveBeenCalled();
  });

  it("Edit → Find Lane (Ctrl/Cmd+F) and Help → Keyboard Shortcuts (Ctrl/Cmd+/) reach the renderer", () => {
    const command = vi.fn();
    const t = menuTemplate({ isMac: false, isDev: false, command, about: vi.fn() });
    const edit = items(t, "&Edit");
    // The usual editing roles stay, so text fields keep copy and paste.
    expect(edit.map((i) => i.role).filter(Boolean)).toEqual([
      "undo",
      "redo",
      "cut",
      "copy",
      "paste",
      "delete",
      "selectAll",
    ]);
    const find = edit.at(-1)!;
    expect([find.label, find.accelerator]).toEqual(["Find Lane…", "CmdOrCtrl+F"]);
    (find.click as () => void)();
    expect(command).toHaveBeenLastCalledWith("menu:find");
    const help = items(t, "&Help");
    expect(help.map((i) => [i.label ?? i.type, i.accelerator])).toEqual([
      ["Keyboard Shortcuts", "CmdOrCtrl+/"],
      ["separator", undefined],
      ["About Rankscope", undefined],
    ]);
    (help[0].click as () => void)();
    expect(command).toHaveBeenLastCalledWith("menu:shortcuts");
  });
});

describe("a packaged app's window", () => {
  it("cannot open DevTools at all, by menu or shortcut", () => {
    expect(windowOptions("/p/preload.cjs", false).webPreferences).toMatchObject({
      devTools: false,
      sandbox: true,
    });
    expect(windowOptions("/p/preload.cjs", true).webPreferences?.devTools).toBe(true);
  });
});
