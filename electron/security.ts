import type { Session, WebContents } from "electron";

/** The app's own origin: the renderer is served from this privileged custom scheme. */
export const APP_SCHEME = "app";
export const APP_HOST = "rankscope";
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

const BASE_CSP: Record<string, string[]> = {
  "default-src": ["'self'"],
  // wasm-unsafe-eval: sql.js compiles its WebAssembly; no JS eval is allowed.
  "script-src": ["'self'", "'wasm-unsafe-eval'"],
  // blob: lets a worker be started from a bundled blob URL.
  "worker-src": ["'self'", "blob:"],
  // React writes style attributes (lane colours, canvas sizes).
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'none'"],
  "frame-ancestors": ["'none'"],
};

/**
 * The Content-Security-Policy of the app's pages. In development the Vite dev server needs
 * an inline script (React Refresh's preamble) and a websocket for hot reload; packaged
 * builds never take that branch.
 */
export function contentSecurityPolicy(devUrl?: string | null): string {
  const csp = structuredClone(BASE_CSP);
  if (devUrl) {
    const dev = new URL(devUrl);
    csp["script-src"].push("'unsafe-inline'");
    csp["connect-src"].push(`${dev.protocol === "https:" ? "wss:" : "ws:"}//${dev.host}`);
  }
  return Object.entries(csp)
    .map(([k, v]) => `${k} ${v.join(" ")}`)
    .join("; ");
}

/** Where the renderer comes from: the app scheme, or the dev server when developing. */
export class AppOrigins {
  constructor(private readonly devUrl: string | null) {}

  /** True for a URL of the app's own pages (or the dev server's). */
  isApp(url: string | undefined | null): boolean {
    if (!url) return false;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (`${u.protocol}//${u.host}` === APP_ORIGIN) return true;
    return !!this.devUrl && u.origin === new URL(this.devUrl).origin;
  }
}

/**
 * Adds the CSP to every response for the app's own pages, replacing any the server sent.
 * Other responses are left alone: the window never loads them (navigation is blocked).
 */
export function installCsp(session: Session, origins: AppOrigins, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!origins.isApp(details.url)) return callback({});
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
      if (k.toLowerCase() !== "content-security-policy") headers[k] = v;
    }
    headers["Content-Security-Policy"] = [csp];
    callback({ responseHeaders: headers });
  });
}

/** The app asks for no permission (camera, notifications, geolocation...): refuse them all. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Keeps a webContents on the app: no navigation elsewhere, no new windows, no <webview>.
 * Nothing is handed to the system browser either (no shell.openExternal): Rankscope draws
 * no links to follow, and a page script that could open URLs at will could launch any
 * program registered for a URL scheme, click or no click.
 */
export function hardenContents(contents: WebContents, origins: AppOrigins): void {
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
  contents.on("will-navigate", (event, url) => {
    if (!origins.isApp(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!origins.isApp(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
}
