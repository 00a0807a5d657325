import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MenuItemConstructorOptions } from "electron";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startApp } from "../../../electron/app";
import { menuTemplate } from "../../../electron/menu";
import {
  addRecent,
  parseRecent,
  recentLabel,
  RecentStore,
  reopenRecent,
  type RecentEntry,
} from "../../../electron/recent";
import { electron, FakeBrowserWindow, ipcMain } from "./electronMock";

vi.mock("electron", async () => (await import("./electronMock")).electron);

const tmp = mkdtempSync(path.join(tmpdir(), "rankscope-recent-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const addAll = (paths: string[][], platform: NodeJS.Platform = "linux") =>
  paths.reduce<RecentEntry[]>((list, p) => addRecent(list, p, platform), []);

describe("the recent list", () => {
  it("puts the latest open first and moves a repeated one back to the top", () => {
    const list = addAll([["/runs/a"], ["/runs/b"], ["/runs/c"], ["/runs/a"]]);
    expect(list).toEqual([["/runs/a"], ["/runs/c"], ["/runs/b"]]);
  });

  it("keeps the last 10 opens", () => {
    const list = addAll(Array.from({ length: 12 }, (_, i) => [`/runs/r${i}`]));
    expect(list).toHaveLength(10);
    expect(list[0]).toEqual(["/runs/r11"]);
    expect(list.at(-1)).toEqual(["/runs/r2"]);
  });

  it("keeps paths opened together as one entry, the same in any order", () => {
    const list = addAll([["/runs/a", "/runs/b"], ["/runs/c"], ["/runs/b", "/runs/a"]]);
    expect(list).toEqual([["/runs/b", "/runs/a"], ["/runs/c"]]);
    // One of the two alone is another open.
    expect(addRecent(list, ["/runs/a"], "linux")).toHaveLength(3);
  });

  it("compares resolved paths, case-sensitively on Linux only", () => {
    expect(addAll([["/data/run/"], ["/data/x/../run"]])).toEqual([["/data/run"]]);
    expect(addAll([["/Data/Run"], ["/data/run"]])).toEqual([["/data/run"], ["/Data/Run"]]);
    // The latest spelling is the one shown.
    expect(addAll([["/Data/Run"], ["/data/run"]], "darwin")).toEqual([["/data/run"]]);
    expect(addAll([["C:\\Logs\\Run-42"], ["c:/logs/run-42/"]], "win32")).toEqual([["c:\\logs\\run-42"]]);
  });

  it("ignores what is not an absolute path", () => {
    const list = addAll([["/runs/a"]]);
    expect(addRecent(list, ["relative/run", "", "/bad\0path", 42 as never], "linux")).toEqual([["/runs/a"]]);
    expect(addRecent(list, ["/runs/b", "relative", "/runs/b/"], "linux")[0]).toEqual(["/runs/b"]);
  });
});

describe("recent.json", () => {
  const file = (name: string) => path.join(tmp, name, "recent.json");

  it("survives a restart: what one store saved, the next one reads, in the same order", () => {
    const f = file("roundtrip");
    const a = new RecentStore(f, "linux");
    a.add(["/runs/old"]);
    a.add(["/runs/r1", "/runs/r2"]);
    const b = new RecentStore(f, "linux");
    expect(b.entries).toEqual([["/runs/r1", "/runs/r2"], ["/runs/old"]]);
    expect(JSON.parse(readFileSync(f, "utf8"))).toEqual({
      version: 1,
      entries: [["/runs/r1", "/runs/r2"], ["/runs/old"]],
    });
    // Written through a temporary file that is renamed into place, none left behind.
    expect(readdirSync(path.dirname(f))).toEqual(["recent.json"]);
  });

  it("reads a damaged, foreign or missing file as an empty list", () => {
    const f = file("damaged");
    mkdirSync(path.dirname(f), { recursive: true });
    for (const text of [
      '{"version":1,"entries":[["/runs/a"]',
      "",
      "null",
      "[1,2]",
      '{"entries":"/runs/a"}',
    ]) {
      writeFileSync(f, text);
      expect(new RecentStore(f, "linux").entries).toEqual([]);
    }
    expect(new RecentStore(file("never-written"), "linux").entries).toEqual([]);
    // A folder where the file should be cannot be read either.
    mkdirSync(file("a-folder"), { recursive: true });
    expect(new RecentStore(file("a-folder"), "linux").entries).toEqual([]);
  });

  it("keeps the usable entries of a hand-edited file: strings, and lists of strings", () => {
    const text = JSON.stringify({
      entries: ["/runs/a", 42, ["/runs/b", null, 7], { p: "/x" }, "relative", []],
    });
    expect(parseRecent(text, "linux")).toEqual([["/runs/a"], ["/runs/b"]]);
    // A repeat keeps its earlier (more recent) place.
    expect(parseRecent('{"entries":["/runs/a","/runs/b","/runs/a"]}', "linux")).toEqual([
      ["/runs/a"],
      ["/runs/b"],
    ]);
  });

  it("clear empties the list, on disk and in the OS's own list", () => {
    const os = { addRecentDocument: vi.fn(), clearRecentDocuments: vi.fn() };
    const f = file("clear");
    const store = new RecentStore(f, "darwin", os);
    store.add(["/runs/a", "/runs/b"]);
    expect(os.addRecentDocument.mock.calls).toEqual([["/runs/a"], ["/runs/b"]]);
    const changed = vi.fn();
    store.onChange(changed);
    store.clear();
    expect(store.entries).toEqual([]);
    expect(new RecentStore(f, "darwin").entries).toEqual([]);
    expect(os.clearRecentDocuments).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it("leaves Linux's (nonexistent) OS list alone", () => {
    const os = { addRecentDocument: vi.fn(), clearRecentDocuments: vi.fn() };
    const store = new RecentStore(file("linux-os"), "linux", os);
    store.add(["/runs/a"]);
    store.clear();
    expect(os.addRecentDocument).not.toHaveBeenCalled();
    expect(os.clearRecentDocuments).not.toHaveBeenCalled();
  });

  it("a vanished path removes its entry and is reported; nothing is opened", () => {
    const here = path.join(tmp, "here");
    mkdirSync(here, { recursive: true });
    const gone = path.join(tmp, "gone");
    const store = new RecentStore(file("vanished"), "linux");
    store.add([gone]);
    store.add([here]);
    const open = vi.fn();
    const report = vi.fn();
    expect(reopenRecent(store, [gone], { exists: existsSync, open, report })).toBe(false);
    expect(report).toHaveBeenCalledWith([gone]);
    expect(open).not.toHaveBeenCalled();
    expect(store.entries).toEqual([[here]]);
    expect(reopenRecent(store, [here], { exists: existsSync, open, report })).toBe(true);
    expect(open).toHaveBeenCalledWith([here]);
  });
});

describe("menu labels", () => {
  it("write the home folder as ~ on macOS and Linux, and the full path on Windows", () => {
    expect(recentLabel(["/home/ana/logs/run-42"], "/home/ana", "linux")).toBe("~/logs/run-42");
    expect(recentLabel(["/home/anabel/run"], "/home/ana", "linux")).toBe("/home/anabel/run");
    expect(recentLabel(["/home/ana/..runs"], "/home/ana", "linux")).toBe("~/..runs");
    expect(recentLabel(["/home/ana"], "/home/ana", "linux")).toBe("~");
    expect(recentLabel(["/Users/ana/run"], "/Users/ana", "darwin")).toBe("~/run");
    expect(recentLabel(["C:\\Users\\ana\\run"], "C:\\Users\\ana", "win32")).toBe("C:\\Users\\ana\\run");
  });

  it("double a literal & where & marks a mnemonic", () => {
    expect(recentLabel(["/data/R&D"], "/home/ana", "linux")).toBe("/data/R&&D");
    expect(recentLabel(["/data/R&D"], "/home/ana", "darwin")).toBe("/data/R&D");
  });

  it("shorten long paths in the middle, keeping the folder's name, and count extra paths", () => {
    const long = `/mnt/cluster/${"x".repeat(80)}/run-42`;
    const label = recentLabel([long], "/home/ana", "linux");
    expect(label).toHaveLength(70);
    expect(label.startsWith("/mnt/cluster/")).toBe(true);
    expect(label.endsWith("xx/run-42")).toBe(true);
    expect(label).toContain("…");
    expect(recentLabel(["/r/a", "/r/b", "/r/c", "/r/d"], "/home/ana", "linux")).toBe("/r/a, /r/b +2 more");
    expect(recentLabel(["/r/a", "/r/b"], "/home/ana", "linux")).toBe("/r/a, /r/b");
  });
});

describe("File → Open Recent", () => {
  const submenu = (t: MenuItemConstructorOptions[]) => {
    const file = t.find((m) => m.label === "&File")!.submenu as MenuItemConstructorOptions[];
    return file.find((i) => i.label === "Open Recent")!.submenu as MenuItemConstructorOptions[];
  };
  const base = { isMac: false, isDev: false, command: vi.fn(), about: vi.fn() };

  it("with nothing yet: No Recent Items and Clear Recent, both disabled", () => {
    const items = submenu(menuTemplate({ ...base, recent: [] }));
    expect(items.map((i) => [i.label ?? i.type, i.enabled])).toEqual([
      ["No Recent Items", false],
      ["separator", undefined],
      ["Clear Recent", false],
    ]);
  });

  it("one item per entry, without accelerators; choosing one passes its paths", () => {
    const openRecent = vi.fn();
    const clearRecent = vi.fn();
    const recent = [
      { label: "~/runs/a", paths: ["/home/ana/runs/a"] },
      { label: "/r/b, /r/c", paths: ["/r/b", "/r/c"] },
    ];
    const items = submenu(menuTemplate({ ...base, recent, openRecent, clearRecent }));
    expect(items.map((i) => [i.label ?? i.type, i.accelerator, i.enabled])).toEqual([
      ["~/runs/a", undefined, undefined],
      ["/r/b, /r/c", undefined, undefined],
      ["separator", undefined, undefined],
      ["Clear Recent", undefined, true],
    ]);
    (items[1].click as () => void)();
    expect(openRecent).toHaveBeenCalledWith(["/r/b", "/r/c"]);
    (items[3].click as () => void)();
    expect(clearRecent).toHaveBeenCalledTimes(1);
  });
});

describe("the desktop app's Open Recent", () => {
  const userData = electron.app.paths.userData;
  const kept = path.join(tmp, "app", "run-kept");
  const gone = path.join(tmp, "app", "run-gone");
  const picked = path.join(tmp, "app", "run-picked");
  const docked = path.join(tmp, "app", "run-docked");
  for (const dir of [kept, picked, docked]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(userData, "recent.json"),
    JSON.stringify({ version: 1, entries: [[kept], [gone]] }),
  );

  (process as { defaultApp?: boolean }).defaultApp = true;
  const running = startApp({ electronDir: "/app/dist/electron", rendererDir: "/app/dist/renderer" }, [
    "/usr/bin/electron",
    "/app/dist/electron/main.cjs",
  ]);
  // macOS hands a folder dropped on the Dock icon to a starting app before it is ready.
  electron.app.emit("open-file", { preventDefault: vi.fn() }, docked);
  const lastMenu = () =>
    submenu(electron.Menu.setApplicationMenu.mock.lastCall![0] as { template: MenuItemConstructorOptions[] });
  function submenu(menu: { template: MenuItemConstructorOptions[] }) {
    const file = menu.template.find((m) => m.label === "&File")!.submenu as MenuItemConstructorOptions[];
    return file.find((i) => i.label === "Open Recent")!.submenu as MenuItemConstructorOptions[];
  }
  const labels = () => lastMenu().map((i) => i.label ?? i.type);
  const fromApp = (win: FakeBrowserWindow) => ({
    sender: win.webContents,
    senderFrame: { url: "app://rankscope/index.html", parent: null },
  });

  it("lists what recent.json held, and reopens a chosen entry in the window", async () => {
    const win = await running.ready;
    expect(labels()).toEqual([kept, gone, "separator", "Clear Recent"]);
    expect(running.allowlist.allows(kept)).toBe(false);
    (lastMenu()[0].click as () => void)();
    expect((win as unknown as FakeBrowserWindow).webContents.sent.at(-1)).toEqual({
      channel: "menu:open-paths",
      payload: { paths: [kept] },
    });
    // Main lets the renderer read what the user chose from the menu.
    expect(running.allowlist.allows(kept)).toBe(true);
  });

  it("a path that is gone: says so, and drops it from the menu and the file", async () => {
    const win = await running.ready;
    const before = (win as unknown as FakeBrowserWindow).webContents.sent.length;
    (lastMenu()[1].click as () => void)();
    expect(electron.dialog.showMessageBox).toHaveBeenCalledWith(
      win,
      expect.objectContaining({ type: "warning", message: `${gone} no longer exists.` }),
    );
    expect((win as unknown as FakeBrowserWindow).webContents.sent).toHaveLength(before);
    expect(running.allowlist.allows(gone)).toBe(false);
    expect(labels()).toEqual([kept, "separator", "Clear Recent"]);
    expect(parseRecent(readFileSync(path.join(userData, "recent.json"), "utf8"), "linux")).toEqual([[kept]]);
  });

  it("an import of paths the user gave goes to the top of the menu", async () => {
    const win = (await running.ready) as unknown as FakeBrowserWindow;
    const start = vi.spyOn(running.jobs, "start").mockReturnValue("job-1");
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [picked] });
    expect(await ipcMain.invoke("dialog:open-folder", fromApp(win))).toEqual([picked]);
    // Picking alone is not opening: the import is.
    expect(labels()[0]).toBe(kept);
    expect(await ipcMain.invoke("ingest:start", fromApp(win), [picked])).toEqual({ jobId: "job-1" });
    expect(start).toHaveBeenCalledWith([picked], win.webContents);
    expect(labels()).toEqual([picked, kept, "separator", "Clear Recent"]);
    // A refused import is not recorded.
    await expect(ipcMain.invoke("ingest:start", fromApp(win), ["/etc"])).rejects.toThrow(/not opened/);
    expect(labels()[0]).toBe(picked);
    start.mockRestore();
  });

  it("macOS's open-file: before the window, a launch path; after, an import in the window", async () => {
    expect(running.launchPaths).toEqual([docked]);
    expect(running.allowlist.allows(docked)).toBe(true);
    const win = (await running.ready) as unknown as FakeBrowserWindow;
    const preventDefault = vi.fn();
    electron.app.emit("open-file", { preventDefault }, picked);
    expect(preventDefault).toHaveBeenCalled();
    expect(win.webContents.sent.at(-1)).toEqual({ channel: "menu:open-paths", payload: { paths: [picked] } });
    electron.app.emit("open-file", { preventDefault }, gone);
    expect(electron.dialog.showMessageBox).toHaveBeenLastCalledWith(
      win,
      expect.objectContaining({ message: `${gone} no longer exists.` }),
    );
  });

  it("with every window closed (macOS), Open Recent opens a window that imports the entry", async () => {
    await running.ready;
    const windows = FakeBrowserWindow.all.splice(0);
    (lastMenu()[1].click as () => void)();
    expect(FakeBrowserWindow.all).toHaveLength(1);
    expect(FakeBrowserWindow.all[0].loadURL).toHaveBeenCalledWith("app://rankscope/index.html?demo");
    // The new page asks for its launch paths first, and gets the entry (ahead of the demo).
    expect(await ipcMain.invoke("app:launch-paths", fromApp(FakeBrowserWindow.all[0]))).toEqual([kept]);
    expect(await ipcMain.invoke("app:wants-demo", fromApp(FakeBrowserWindow.all[0]))).toBe(false);
    FakeBrowserWindow.all.splice(0, Infinity, ...windows);
  });

  it("Clear Recent empties the menu", async () => {
    await running.ready;
    const clear = lastMenu().find((i) => i.label === "Clear Recent")!;
    (clear.click as () => void)();
    expect(lastMenu().map((i) => [i.label ?? i.type, i.enabled])).toEqual([
      ["No Recent Items", false],
      ["separator", undefined],
      ["Clear Recent", false],
    ]);
    expect(running.recent.entries).toEqual([]);
  });
});
