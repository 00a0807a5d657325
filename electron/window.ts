import { BrowserWindow, type BrowserWindowConstructorOptions } from "electron";
import { hardenContents, type AppOrigins } from "./security";

/**
 * Electron's protective defaults, spelled out so a later edit cannot lose them silently:
 * the page runs sandboxed, isolated from the preload, without Node. DevTools only while
 * developing: in a packaged app neither the menu nor a shortcut can open them.
 */
export function windowOptions(
  preload: string,
  devTools: boolean,
  icon?: string,
): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 720,
    minHeight: 480,
    title: "Rankscope",
    backgroundColor: "#14161a",
    show: false,
    ...(icon ? { icon } : {}),
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  };
}

export interface MainWindowOptions {
  preload: string;
  url: string;
  origins: AppOrigins;
  devTools: boolean;
  icon?: string;
}

export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(windowOptions(o.preload, o.devTools, o.icon));
  hardenContents(win.webContents, o.origins);
  // Shown once painted, so the user never sees a white flash before the dark UI.
  win.once("ready-to-show", () => win.show());
  void win.loadURL(o.url);
  return win;
}
