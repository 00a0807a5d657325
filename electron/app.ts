import { existsSync } from "node:fs";
import path from "node:path";
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  session,
  type MessageBoxOptions,
  type WebContents,
} from "electron";
import { registerAppScheme, serveAppScheme } from "./appProtocol";
import { registerHandlers } from "./handlers";
import { IngestJobs } from "./ingestJobs";
import { liveLaunchArgs, LiveTargets } from "./live";
import { ingestPaths } from "./host/ingestThreads";
import { send, trustSenders } from "./ipc";
import { menuTemplate } from "./menu";
import { parseLaunchArgs, PathAllowlist } from "./paths";
import { recentLabel, RecentStore, reopenRecent, type RecentEntry } from "./recent";
import { APP_ORIGIN, AppOrigins, contentSecurityPolicy, denyPermissions, installCsp } from "./security";
import { createMainWindow } from "./window";

export interface AppLayout {
  /** dist/electron: main.cjs, preload.cjs, ingestWorker.cjs, icon.png. */
  electronDir: string;
  /** dist/renderer: the built renderer. */
  rendererDir: string;
}

export interface RunningApp {
  allowlist: PathAllowlist;
  launchPaths: string[];
  jobs: IngestJobs;
  recent: RecentStore;
  /** Resolves with the main window once the app is ready. */
  ready: Promise<BrowserWindow>;
}

/**
 * The desktop app: call once, before `ready`. Development loads the renderer from
 * RANKSCOPE_DEV_URL (a Vite dev server); a packaged app ignores that variable so nothing
 * outside can point it at remote content.
 */
export function startApp(layout: AppLayout, argv: readonly string[] = process.argv): RunningApp {
  const devUrl = (!app.isPackaged && process.env.RANKSCOPE_DEV_URL) || null;
  const origins = new AppOrigins(devUrl);
  const csp = contentSecurityPolicy(devUrl);
  const allowlist = new PathAllowlist();
  const launchPaths = allowlist.grant(
    parseLaunchArgs(argv, { defaultApp: !!process.defaultApp }),
    "argv",
    process.cwd(),
  );
  const workerScript = path.join(layout.electronDir, "ingestWorker.cjs");
  const jobs = new IngestJobs((paths, opts) => ingestPaths(paths, workerScript, opts));
  const live = new LiveTargets(liveLaunchArgs(argv));
  // With no paths the renderer opens the demo, as web mode does for `rankscope` alone.
  const query = live.launch ? "?live" : launchPaths.length ? "" : "?demo";
  const page = devUrl ?? `${APP_ORIGIN}/index.html${query}`;
  const platform = process.platform;
  const recent = new RecentStore(path.join(app.getPath("userData"), "recent.json"), platform, app);

  registerAppScheme();
  app.enableSandbox();
  app.setAboutPanelOptions({
    applicationName: "Rankscope",
    applicationVersion: app.getVersion(),
    copyright: "MIT License",
  });
  app.on("web-contents-created", (_e, contents) => {
    // A fallback for any webContents created later; the main window gets stricter rules.
    contents.setWindowOpenHandler(() => ({ action: "deny" }));
    contents.on("will-attach-webview", (event) => event.preventDefault());
  });

  const createWindow = () => {
    const win = createMainWindow({
      preload: path.join(layout.electronDir, "preload.cjs"),
      url: page,
      origins,
      devTools: !app.isPackaged,
      icon: path.join(layout.electronDir, "icon.png"),
    });
    const contents: WebContents = win.webContents;
    contents.once("destroyed", () => jobs.cancelAll(contents));
    return win;
  };

  const focused = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];

  /**
   * Imports paths main has learned from the user outside the page (Open Recent, the macOS
   * Dock). With no window open (macOS keeps running without one), a new window imports them
   * at start as it would command-line paths.
   */
  const openPaths = (paths: string[]) => {
    const granted = allowlist.grant(paths, "recent");
    const win = focused();
    if (win) {
      send(win.webContents, "menu:open-paths", { paths: granted });
      return;
    }
    launchPaths.splice(0, launchPaths.length, ...granted);
    createWindow();
  };

  const reportMissing = (missing: string[]) => {
    const options: MessageBoxOptions = {
      type: "warning",
      message:
        missing.length === 1
          ? `${missing[0]} no longer exists.`
          : `${missing.length} of the paths opened together no longer exist.`,
      detail: `${missing.length > 1 ? `${missing.join("\n")}\n\n` : ""}It was removed from Open Recent.`,
    };
    const win = focused();
    void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
  };
  const reopen = (entry: RecentEntry) =>
    reopenRecent(recent, entry, { exists: existsSync, open: openPaths, report: reportMissing });

  const installMenu = () => {
    const home = app.getPath("home");
    const menu = menuTemplate({
      isMac: platform === "darwin",
      isDev: !app.isPackaged,
      command: (event) => {
        const target = focused();
        if (target) send(target.webContents, event, {});
      },
      about: () => app.showAboutPanel(),
      recent: recent.entries.map((paths) => ({ paths, label: recentLabel(paths, home, platform) })),
      openRecent: reopen,
      clearRecent: () => recent.clear(),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  };
  recent.onChange(installMenu);

  let isReady = false;
  // macOS: a folder chosen from the Dock's recent list, or dropped on the Dock icon. Before
  // the window exists it joins the command-line paths the window imports at start.
  app.on("open-file", (event, file) => {
    event.preventDefault();
    if (isReady) reopen([file]);
    else launchPaths.push(...allowlist.grant([file], "argv"));
  });

  const ready = app.whenReady().then(() => {
    isReady = true;
    serveAppScheme(layout.rendererDir, csp);
    installCsp(session.defaultSession, origins, csp);
    denyPermissions(session.defaultSession);
    trustSenders(origins);
    registerHandlers({ allowlist, launchPaths, jobs, live: { targets: live }, recent });
    installMenu();
    app.on("activate", () => {
      if (!BrowserWindow.getAllWindows().length) createWindow();
    });
    return createWindow();
  });

  app.on("window-all-closed", () => {
    jobs.cancelAll();
    if (process.platform !== "darwin") app.quit();
  });
  return { allowlist, launchPaths, jobs, recent, ready };
}
