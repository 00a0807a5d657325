import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { walkPaths } from "./fsSource";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".map": "application/json",
};

export interface LaunchFile {
  path: string;
  size: number;
  lastModified: number;
}

/**
 * Web mode's server: the built renderer, plus the files the user named on the command line
 * (`rankscope <path>`), listed at /api/launch and served by index at /api/file/N. Only
 * those files are reachable, and only from this machine (it binds 127.0.0.1).
 */
export async function serveWeb(
  root: string,
  launchPaths: string[],
  port = 5173,
): Promise<{ server: Server; url: string }> {
  const { sources } = await walkPaths(launchPaths);
  const files: LaunchFile[] = sources.map((s) => ({
    path: s.path,
    size: s.size,
    lastModified: s.lastModified,
  }));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/api/launch") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ files }));
      return;
    }
    const m = /^\/api\/file\/(\d+)$/.exec(url.pathname);
    if (m) {
      const abs = sources[Number(m[1])]?.absolutePath;
      if (!abs) return void notFound(res);
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": String((await stat(abs)).size),
      });
      createReadStream(abs).pipe(res);
      return;
    }
    const rel = decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname);
    const target = path.join(root, path.normalize(rel).replace(/^(\.\.[/\\])+/, ""));
    if (!target.startsWith(path.resolve(root))) return void notFound(res);
    try {
      const st = await stat(target);
      if (!st.isFile()) return void notFound(res);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(target)] ?? "application/octet-stream",
        "content-length": String(st.size),
      });
      createReadStream(target).pipe(res);
    } catch {
      notFound(res);
    }
  });
  const bound = await listen(server, port);
  return { server, url: `http://127.0.0.1:${bound}/` };
}

function notFound(res: import("node:http").ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE" && port !== 0) resolve(listen(server, port + 1));
      else reject(e);
    });
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}
