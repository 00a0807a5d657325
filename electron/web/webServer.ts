import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { KEY_HEADER, KEY_PARAM, type LaunchList } from "../../shared/ipc/webLaunch";
import { contentSecurityPolicy } from "../security";
import type { LiveRequestHandler } from "./attach";
import { NotAFileError, openRegularFile, walkPaths } from "../host/fsSource";
import { contentTypeOf, fileUnder } from "../host/staticPath";

export interface WebServer {
  server: Server;
  /** http://127.0.0.1:PORT */
  origin: string;
  secret: string;
  /** The page to open: it carries the secret (`/?k=…`), which the page keeps in memory. */
  url: string;
}

export interface ServeOptions {
  /**
   * `rankscope --attach URL`: the proxy of that one cluster (electron/web/attach.ts), at
   * /api/live/*, behind the same Host check and launch secret as the rest of /api.
   */
  live?: LiveRequestHandler;
}

/**
 * Web mode's server: the built renderer, plus the files the user named on the command line
 * (`rankscope <path>`), listed at /api/launch and served by index at /api/file/N, and with
 * `--attach URL` the proxy of that cluster at /api/live/*.
 *
 * Who may read them: it binds 127.0.0.1, and answers only requests addressed to itself by
 * that name (Host 127.0.0.1, localhost or [::1] with its port), so a page on another name
 * that DNS-rebinds to 127.0.0.1 gets nothing. /api also wants the per-launch secret, which
 * only the printed URL holds: other local users and other local pages cannot guess it,
 * and a cross-origin page cannot send the header without a CORS preflight this server
 * never grants. The app itself (static files, the demo) needs no secret.
 */
export async function serveWeb(
  root: string,
  launchPaths: string[],
  port = 5173,
  opts: ServeOptions = {},
): Promise<WebServer> {
  const { sources, problems } = await walkPaths(launchPaths);
  const launch: LaunchList = {
    files: sources.map((s) => ({ path: s.path, size: s.size, lastModified: s.lastModified })),
    notRead: problems,
  };
  const launchJson = JSON.stringify(launch);
  const secret = randomBytes(32).toString("base64url");
  const key = Buffer.from(secret);
  const csp = contentSecurityPolicy();
  let hosts = new Set<string>();

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("content-security-policy", csp);
    res.setHeader("referrer-policy", "no-referrer");
    if (!hosts.has((req.headers.host ?? "").toLowerCase()))
      return text(res, 421, "this server answers only to 127.0.0.1, localhost and [::1] with its port");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return text(res, 405, "only GET and HEAD");
    }
    const raw = req.url ?? "";
    const pathname = raw.split("?")[0];
    if (!pathname.startsWith("/") || !decodes(pathname)) return text(res, 400, "malformed URL");

    if (pathname === "/api" || pathname.startsWith("/api/")) {
      res.setHeader("cache-control", "no-store");
      const given = Buffer.from(String(req.headers[KEY_HEADER] ?? ""));
      if (given.length !== key.length || !timingSafeEqual(given, key))
        return text(res, 403, "the launch secret is missing or wrong: open the URL Rankscope printed");
      if (pathname === "/api/live" || pathname.startsWith("/api/live/")) {
        if (opts.live?.(req, res)) return;
        return text(res, 404, "not attached to a cluster: start Rankscope with --attach URL");
      }
      if (pathname === "/api/launch") {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(launchJson);
      }
      const m = /^\/api\/file\/(\d{1,9})$/.exec(pathname);
      const source = m ? sources[Number(m[1])] : undefined;
      if (!source) return text(res, 404, "not found");
      return sendFile(req, res, source.absolutePath, "application/octet-stream", false, (e) =>
        fileError(res, source.path, e),
      );
    }
    const target = fileUnder(root, pathname);
    if (!target) return text(res, 404, "not found");
    return sendFile(req, res, target, contentTypeOf(target), true, () => text(res, 404, "not found"));
  };

  const server = createServer((req, res) => {
    respond(req, res).catch(() => {
      if (!res.headersSent) text(res, 500, "internal error");
      else res.destroy();
    });
  });
  const bound = await listen(server, port);
  hosts = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`, `[::1]:${bound}`]);
  const origin = `http://127.0.0.1:${bound}`;
  return { server, origin, secret, url: `${origin}/?${KEY_PARAM}=${secret}` };
}

function decodes(s: string): boolean {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(body);
}

/** Why a listed file cannot be served now, in words the page can put in its file report. */
function fileError(res: ServerResponse, shown: string, e: unknown): void {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR")
    return text(res, 410, `${shown} is no longer there (deleted or moved since Rankscope started)`);
  if (e instanceof NotAFileError || code === "EISDIR" || code === "ELOOP")
    return text(res, 409, `${shown} is now ${e instanceof NotAFileError ? e.message : "not a file"}`);
  text(res, 500, `${shown} could not be read (${code ?? "error"})`);
}

/**
 * Streams a file if it is (still) a regular file. The length is the size when opened, and
 * no more is sent: a log that grows meanwhile must not overrun its Content-Length.
 */
async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string | Buffer,
  type: string,
  followLinks: boolean,
  onError: (e: unknown) => void,
): Promise<void> {
  let opened;
  try {
    opened = await openRegularFile(file, followLinks);
  } catch (e) {
    return onError(e);
  }
  const { fh, st } = opened;
  // One byte range (`bytes=a-b`), which is how a big file is read in parts by several workers.
  const range = byteRange(req.headers.range, st.size);
  if (range === "unsatisfiable") {
    await fh.close();
    res.writeHead(416, { "content-range": `bytes */${st.size}` });
    return void res.end();
  }
  const [start, end] = range ?? [0, st.size - 1];
  const length = Math.max(0, end - start + 1);
  res.writeHead(range ? 206 : 200, {
    "content-type": type,
    "content-length": String(length),
    "accept-ranges": "bytes",
    ...(range ? { "content-range": `bytes ${start}-${end}/${st.size}` } : {}),
  });
  if (req.method === "HEAD" || length === 0) {
    await fh.close();
    return void res.end();
  }
  try {
    // 1 MiB reads: the default 64 KiB costs a big file thousands of extra writes.
    await pipeline(fh.createReadStream({ start, end, highWaterMark: 1 << 20 }), res);
  } catch {
    // The file failed mid-read or the page went away: the response cannot be fixed now.
    res.destroy();
  }
}

/** The one range of a `Range: bytes=a-b` header (inclusive), null without one; others are ignored. */
export function byteRange(
  header: string | undefined,
  size: number,
): [number, number] | null | "unsatisfiable" {
  const m = header ? /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim()) : null;
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start >= size || end < start) return "unsatisfiable";
  return [start, end];
}

/** Listens on `port`, or the next free one after it; each try takes its listeners back. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onListening = () => {
      server.off("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    };
    const onError = (e: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (e.code === "EADDRINUSE" && port !== 0) resolve(listen(server, port + 1));
      else reject(e);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, "127.0.0.1");
  });
}
