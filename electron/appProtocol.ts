import { readFile } from "node:fs/promises";
import path from "node:path";
import { protocol } from "electron";
import { APP_HOST, APP_SCHEME } from "./security";

/*
 * Why a custom `app://` scheme rather than file://: Vite's build loads its entry as a module
 * script (`type="module" crossorigin`) and starts the ingest worker as a module worker; both
 * need a real origin, which file:// pages lack (their origin is opaque, so CORS refuses them).
 * A standard, secure scheme also gives IndexedDB an origin of its own rather than one shared
 * with every local file, makes CSP's 'self' mean "the app" and not "the whole disk", and lets
 * the handler below serve dist/renderer only, so the page cannot load arbitrary local files.
 */

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".map": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/** Must run before `app` is ready: privileges cannot change afterwards. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/**
 * The file under `root` an app:// URL names, or null when it names none (another host, or a
 * path that climbs out of root through `..` or encoded separators).
 */
export function resolveAppFile(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes("\0")) return null;
  if (rel === "/" || rel === "") rel = "/index.html";
  const base = path.resolve(root);
  const target = path.resolve(base, `.${rel}`);
  const inside = path.relative(base, target);
  if (!inside || inside.startsWith("..") || path.isAbsolute(inside)) return null;
  return target;
}

/** Serves the built renderer at app://rankscope/, with the app's CSP on every response. */
export function serveAppScheme(root: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(root, request.url);
    if (!file) return new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), {
        headers: {
          "content-type": TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
          "content-security-policy": csp,
          "x-content-type-options": "nosniff",
        },
      });
    } catch {
      return new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
    }
  });
}
