import { readFile } from "node:fs/promises";
import { protocol } from "electron";
import { contentTypeOf, fileUnder } from "./host/staticPath";
import { APP_HOST, APP_SCHEME } from "./security";

/*
 * Why a custom `app://` scheme rather than file://: Vite's build loads its entry as a module
 * script (`type="module" crossorigin`) and starts the ingest worker as a module worker; both
 * need a real origin, which file:// pages lack (their origin is opaque, so CORS refuses them).
 * A standard, secure scheme also gives IndexedDB an origin of its own rather than one shared
 * with every local file, makes CSP's 'self' mean "the app" and not "the whole disk", and lets
 * the handler below serve dist/renderer only, so the page cannot load arbitrary local files.
 */

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
  return fileUnder(root, u.pathname);
}

/** Serves the built renderer at app://rankscope/, with the app's CSP on every response. */
export function serveAppScheme(root: string, csp: string): void {
  const headers = { "content-security-policy": csp, "x-content-type-options": "nosniff" };
  const notFound = () =>
    new Response("not found", { status: 404, headers: { ...headers, "content-type": "text/plain" } });
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(root, request.url);
    if (!file) return notFound();
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), {
        headers: { ...headers, "content-type": contentTypeOf(file) },
      });
    } catch {
      return notFound();
    }
  });
}
