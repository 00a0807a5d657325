/**
 * A stand-in for the `electron` module: there is no Electron binary on test machines, so
 * main-process code runs under plain Node with this mock, which records what the code asked
 * Electron to do. Use it from a test file with:
 *   vi.mock("electron", async () => (await import("./electronMock")).electron);
 */
import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { vi } from "vitest";

export class FakeWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler = vi.fn((h: (d: { url: string }) => { action: string }) => {
    this.openHandler = h;
  });
  send = vi.fn((channel: string, payload: unknown) => {
    this.sent.push({ channel, payload: structuredClone(payload) });
  });
  isDestroyed = () => this.destroyed;
  /** Fires a cancellable event the way Electron does; returns whether it was prevented. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.all;
  static getFocusedWindow = () => FakeBrowserWindow.all[0] ?? null;
  static fromWebContents = (c: unknown) => FakeBrowserWindow.all.find((w) => w.webContents === c) ?? null;
  webContents = new FakeWebContents();
  loadURL = vi.fn(async (_url: string) => {});
  show = vi.fn();
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
    app.emit("web-contents-created", {}, this.webContents);
  }
}

type Listener = (event: unknown, ...args: unknown[]) => unknown;

/** ipcMain and ipcRenderer in one: handlers registered by main, invoked by tests or the preload. */
export const ipcMain = Object.assign(new EventEmitter(), {
  handlers: new Map<string, Listener>(),
  handle: vi.fn((channel: string, fn: Listener) => {
    ipcMain.handlers.set(channel, fn);
  }),
  removeHandler: vi.fn((channel: string) => ipcMain.handlers.delete(channel)),
  /** Calls a handler as the renderer would; `event` supplies sender and senderFrame. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const fn = ipcMain.handlers.get(channel);
    if (!fn) throw new Error(`no handler for ${channel}`);
    return fn(event, ...args);
  },
});

let headersListener: Listener | null = null;
export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived: vi.fn((fn: Listener) => {
        headersListener = fn;
      }),
    },
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
  },
};

/** Runs the installed onHeadersReceived listener on a response and returns what it decided. */
export function receiveHeaders(
  url: string,
  responseHeaders: Record<string, string[]>,
): Record<string, unknown> {
  let result: Record<string, unknown> = {};
  headersListener!({ url, responseHeaders }, (r: Record<string, unknown>) => (result = r));
  return result;
}

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  whenReady: vi.fn(() => Promise.resolve()),
  enableSandbox: vi.fn(),
  setAboutPanelOptions: vi.fn(),
  showAboutPanel: vi.fn(),
  getVersion: () => "0.1.0",
  quit: vi.fn(),
  /** A fresh userData folder per test file, so no test reads or writes the user's own. */
  paths: {
    userData: mkdtempSync(path.join(tmpdir(), "rankscope-userdata-")),
    home: "/home/ana",
  } as Record<string, string>,
  getPath: vi.fn((name: string) => app.paths[name] ?? path.join(tmpdir(), name)),
  addRecentDocument: vi.fn(),
  clearRecentDocuments: vi.fn(),
});

export const electron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  ipcMain,
  session,
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn() },
  shell: { openExternal: vi.fn(async () => {}) },
  dialog: {
    showOpenDialog: vi.fn(),
    showSaveDialog: vi.fn(),
    showMessageBox: vi.fn(async () => ({ response: 0, checkboxChecked: false })),
    showMessageBoxSync: vi.fn((_win: unknown, _o: Record<string, unknown>) => 0),
  },
  clipboard: { write: vi.fn(async () => {}) },
  ClipboardItem: class {
    constructor(readonly items: Record<string, unknown>) {}
  },
  nativeImage: {
    createFromBuffer: vi.fn((b: Buffer) => ({ isEmpty: () => b.subarray(1, 4).toString() !== "PNG" })),
  },
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => undefined), on: vi.fn(), removeListener: vi.fn(), send: vi.fn() },
  webUtils: { getPathForFile: vi.fn((f: { path?: string }) => f.path ?? "") },
};
