import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { request, type IncomingHttpHeaders } from "node:http";
import { connect, createServer, type AddressInfo, type Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveWeb, type WebServer } from "../../electron/web/webServer";
import { contentSecurityPolicy } from "../../electron/security";
import { KEY_HEADER, type LaunchList } from "../../shared/ipc/webLaunch";

const tmp = mkdtempSync(path.join(tmpdir(), "rankscope-web-"));
const root = path.join(tmp, "renderer");
const runs = path.join(tmp, "runs");
mkdirSync(path.join(root, "assets"), { recursive: true });
writeFileSync(path.join(root, "index.html"), "<!doctype html><title>Rankscope</title>");
writeFileSync(path.join(root, "assets", "app.js"), "console.log(1)");
writeFileSync(path.join(tmp, "outside.txt"), "not served");
mkdirSync(runs);
const content = ["first file\n", "second file\n", "third file\n", "fourth file\n"];
content.forEach((c, i) => writeFileSync(path.join(runs, `${i}.log`), c));

let web: WebServer;
let port = 0;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One raw request: the Host header and the path go out exactly as given. */
function get(
  pathname: string,
  o: { host?: string; key?: string; method?: string; port?: number } = {},
): Promise<Reply> {
  const to = o.port ?? port;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: o.host ?? `127.0.0.1:${to}` };
    if (o.key !== undefined) headers[KEY_HEADER] = o.key;
    const req = request(
      { host: "127.0.0.1", port: to, path: pathname, method: o.method ?? "GET", headers },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString() }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A request written by hand, for what http.request will not send; resolves with the reply. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(text));
    const parts: Buffer[] = [];
    socket.on("data", (d: Buffer) => parts.push(d));
    socket.on("end", () => resolve(Buffer.concat(parts).toString()));
    socket.on("error", reject);
  });
}

const api = (pathname: string, method?: string) => get(pathname, { key: web.secret, method });

beforeAll(async () => {
  web = await serveWeb(root, [runs], 0);
  port = Number(new URL(web.origin).port);
});
afterAll(() => {
  web.server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("web mode's server", () => {
  it("prints a URL on 127.0.0.1 that carries a fresh 32-byte secret", async () => {
    expect(web.url).toBe(`http://127.0.0.1:${port}/?k=${web.secret}`);
    expect(Buffer.from(web.secret, "base64url")).toHaveLength(32);
    const again = await serveWeb(root, [], 0);
    again.server.close();
    expect(again.secret).not.toBe(web.secret);
  });

  it("takes the next free port past busy ones, without piling up listeners on the way", async () => {
    // Eleven ports in a row held (or already in use), from one that was free a moment ago.
    const probe = createServer();
    await new Promise<void>((ok) => probe.listen(0, "127.0.0.1", ok));
    const base = (probe.address() as AddressInfo).port;
    await new Promise((ok) => probe.close(ok));
    const held = await Promise.all(
      Array.from(
        { length: 11 },
        (_, i) =>
          new Promise<NetServer | null>((ok) => {
            const s = createServer();
            s.once("error", () => ok(null));
            s.listen(base + i, "127.0.0.1", () => ok(s));
          }),
      ),
    );
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    const next = await serveWeb(root, [], base);
    await new Promise((ok) => setImmediate(ok));
    process.off("warning", onWarning);
    expect((next.server.address() as AddressInfo).port).toBeGreaterThanOrEqual(base + 11);
    // As many listeners as a server that took its first port.
    for (const event of ["listening", "error"])
      expect(next.server.listenerCount(event), event).toBe(web.server.listenerCount(event));
    expect(warnings).not.toContain("MaxListenersExceededWarning");
    next.server.close();
    for (const s of held) s?.close();
  });

  it("refuses every request addressed to another name (DNS rebinding)", async () => {
    for (const host of ["evil.example", `evil.example:${port}`, "127.0.0.1:1", "localhost", "127.0.0.1"]) {
      for (const p of ["/", "/api/launch", "/api/file/0"]) {
        const r = await get(p, { host, key: web.secret });
        expect(r.status, `${host} ${p}`).toBe(421);
        expect(r.body).not.toContain("file");
      }
    }
  });

  it("answers to 127.0.0.1, localhost and [::1] with its port", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await get("/", { host })).status).toBe(200);
    }
  });

  it("serves the app without the secret, and /api only with it", async () => {
    const page = await get("/?k=whatever&demo");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<title>Rankscope</title>");
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect((await get("/assets/app.js")).body).toBe("console.log(1)");
    for (const key of [undefined, "", "wrong", web.secret.slice(1), `${web.secret}x`]) {
      expect((await get("/api/launch", { key })).status).toBe(403);
      expect((await get("/api/file/0", { key })).status).toBe(403);
    }
    const launch = await api("/api/launch");
    expect(launch.status).toBe(200);
    const list = JSON.parse(launch.body) as LaunchList;
    expect(list.files.map((f) => [f.path, f.size])).toEqual(
      content.map((c, i) => [`runs/${i}.log`, c.length]),
    );
    expect(list.notRead).toEqual([]);
    expect((await api("/api/file/1")).body).toBe("second file\n");
    expect((await api("/api/file/9")).status).toBe(404);
  });

  it("sends nosniff and a CSP that forbids framing on every response; no-store on /api", async () => {
    for (const [p, key] of [
      ["/", undefined],
      ["/missing.js", undefined],
      ["/api/launch", web.secret],
      ["/api/launch", undefined],
      ["/api/file/0", web.secret],
      ["/%zz", undefined],
    ] as const) {
      const r = await get(p, { key });
      expect(r.headers["x-content-type-options"], p).toBe("nosniff");
      expect(r.headers["content-security-policy"], p).toContain("frame-ancestors 'none'");
      expect(r.headers["content-security-policy"], p).toContain("object-src 'none'");
      if (p.startsWith("/api")) expect(r.headers["cache-control"], p).toBe("no-store");
    }
    expect((await get("/", { host: "evil.example" })).headers["x-content-type-options"]).toBe("nosniff");
    // The one policy, the same Electron sends: the page itself carries none to keep in step.
    expect((await get("/")).headers["content-security-policy"]).toBe(contentSecurityPolicy());
    expect(readFileSync(path.resolve(__dirname, "../../renderer/index.html"), "utf8")).not.toMatch(
      /Content-Security-Policy/i,
    );
  });

  it("answers a malformed escape with 400 and keeps serving", async () => {
    for (const p of ["/%zz", "/%", "/api/%zz", "/assets/%E0%A4%A"])
      expect((await get(p)).status, p).toBe(400);
    expect((await api("/api/file/0")).body).toBe("first file\n");
  });

  it("never serves outside the renderer folder", async () => {
    for (const p of ["/../outside.txt", "/%2e%2e/outside.txt", "/assets/..%2f..%2foutside.txt", "/%00"]) {
      const r = await get(p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain("not served");
    }
    // An absolute-form target is not a path on this server.
    expect((await get(`http://127.0.0.1:${port}/index.html`)).status).toBe(400);
  });

  it("answers HEAD without a body and other methods with 405", async () => {
    const head = await api("/api/file/0", "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(content[0].length));
    expect(head.body).toBe("");
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"]) {
      const r = await get("/api/launch", { key: web.secret, method });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe("GET, HEAD");
    }
    // Node's parser answers a method it does not know (400) before the handler runs.
    expect(await raw(`BREW / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get("/")).status).toBe(200);
  });

  it("refuses a request without a Host header", async () => {
    expect(await raw("GET /api/launch HTTP/1.0\r\n\r\n")).toMatch(/^HTTP\/1\.1 421 /);
  });

  it("answers 410 for a listed file deleted since the start, and lives", async () => {
    unlinkSync(path.join(runs, "2.log"));
    const r = await api("/api/file/2");
    expect(r.status).toBe(410);
    expect(r.body).toBe("runs/2.log is no longer there (deleted or moved since Rankscope started)");
    expect((await api("/api/file/0")).body).toBe("first file\n");
  });

  it("answers 409 for a listed file replaced by a folder, and lives", async () => {
    unlinkSync(path.join(runs, "3.log"));
    mkdirSync(path.join(runs, "3.log"));
    const r = await api("/api/file/3");
    expect(r.status).toBe(409);
    expect(r.body).toBe("runs/3.log is now a folder, not a file");
    expect((await api("/api/file/1")).body).toBe("second file\n");
    expect((await get("/")).status).toBe(200);
  });

  it("serves a file whose name is not UTF-8, and lists what the walk skipped", async () => {
    const dir = path.join(tmp, "with-link");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "a.log"), "a");
    // "f\xff.log": not UTF-8, served by its bytes all the same.
    writeFileSync(
      Buffer.concat([Buffer.from(dir + path.sep), Buffer.from([0x66, 0xff, 0x2e, 0x6c, 0x6f, 0x67])]),
      "odd",
    );
    symlinkSync("/etc", path.join(dir, "etc-link"));
    const other = await serveWeb(root, [dir], 0);
    try {
      const to = { key: other.secret, port: Number(new URL(other.origin).port) };
      const list = JSON.parse((await get("/api/launch", to)).body) as LaunchList;
      expect(list.files.map((f) => f.path)).toEqual(["with-link/a.log", "with-link/f\uFFFD.log"]);
      expect((await get("/api/file/1", to)).body).toBe("odd");
      expect(list.notRead).toEqual([
        {
          path: "with-link/etc-link",
          message: expect.stringMatching(/^a symbolic link to .*etc, outside the folders you opened/),
          skipped: true,
        },
      ]);
    } finally {
      other.server.close();
    }
  });
});
