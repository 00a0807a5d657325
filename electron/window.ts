import { BrowserWindow, dialog, type BrowserWindowConstructorOptions } from "electron";
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
  confirmLeavingImport(win);
  void win.loadURL(o.url);
  return win;
}

/**
 * The page holds its unload while an import is read or saved (renderer/src/app/unloadGuard.ts):
 * Electron then cancels the close or reload without a word, so ask here, as a browser would.
 */
export function confirmLeavingImport(win: BrowserWindow): void {
  win.webContents.on("will-prevent-unload", (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: "warning",
      buttons: ["Keep importing", "Leave and lose the import"],
      defaultId: 0,
      cancelId: 0,
      title: "An import is under way",
      message: "Rankscope is still reading or saving an import.",
      detail:
        "Nothing of it is in the library until it is saved: if you leave now, you would have to import it again.",
    });
    if (choice === 1) event.preventDefault(); // leave after all
  });
}
