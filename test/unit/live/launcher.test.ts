import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveProxyHandler, resolveTarget } from "../../../electron/web/attach";
import { parseOpenArgs, UsageError } from "../../../electron/cli/cli";
import { serveWeb, type WebServer } from "../../../electron/web/webServer";
import { KEY_HEADER } from "../../../shared/ipc/webLaunch";
import { startFakeSkulk, type FakeSkulk } from "../../fake-skulk/server";

describe("rankscope --attach on the command line", () => {
  it("takes the URL and the interval, in either spelling, beside paths and --web", () => {
    expect(
      parseOpenArgs(["--web", "--attach", "http://10.0.0.2:52415", "--interval", "0.5", "logs"]),
    ).toEqual({
      web: true,
      attach: "http://10.0.0.2:52415",
      intervalSec: 0.5,
      paths: ["logs"],
    });
    expect(parseOpenArgs(["--attach=studio-a", "--interval=3"])).toEqual({
      web: false,
      attach: "studio-a",
      intervalSec: 3,
      paths: [],
    });
    // Electron's and Chromium's own flags are not paths.
    expect(parseOpenArgs(["--no-sandbox", "a", "b"]).paths).toEqual(["a", "b"]);
  });

  it("refuses --attach without a URL, a bad interval, and an interval without --attach", () => {
    for (const args of [
      ["--attach"],
      ["--attach", "--web"],
      ["--attach="],
      ["--attach", "h", "--interval", "0.1"],
      ["--interval", "2"],
    ])
      expect(() => parseOpenArgs(args), args.join(" ")).toThrow(UsageError);
    expect(() => parseOpenArgs(["--attach", "h", "--interval", "soon"])).toThrow(
      '--interval takes seconds between 0.25 and 3600 (got "soon")',
    );
  });
});

let fake: FakeSkulk;
let web: WebServer;
let plain: WebServer;
const tmp = mkdtempSync(path.join(tmpdir(), "rankscope-launcher-"));

beforeAll(async () => {
  mkdirSync(path.join(tmp, "renderer"));
  writeFileSync(path.join(tmp, "renderer", "index.html"), "<!doctype html>");
  fake = await startFakeSkulk({ timeLimitMs: 20_000 });
  web = await serveWeb(path.join(tmp, "renderer"), [], 0, {
    live: liveProxyHandler(resolveTarget(fake.url)),
  });
  plain = await serveWeb(path.join(tmp, "renderer"), [], 0);
});
afterAll(async () => {
  web.server.close();
  plain.server.close();
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

function get(server: WebServer, pathname: string, o: { key?: string; host?: string } = {}) {
  const port = Number(new URL(server.origin).port);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers: Record<string, string> = { host: o.host ?? `127.0.0.1:${port}` };
    if (o.key !== undefined) headers[KEY_HEADER] = o.key;
    const req = request({ host: "127.0.0.1", port, path: pathname, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("web mode's launcher attached to a cluster", () => {
  it("proxies the cluster's two endpoints to a page holding the launch secret", async () => {
    const before = fake.timelineRequests;
    const timeline = await get(web, "/api/live/timeline", { key: web.secret });
    expect(timeline.status).toBe(200);
    expect(JSON.parse(timeline.body).runners).toHaveLength(fake.cluster.runners.length);
    expect(fake.timelineRequests).toBe(before + 1);
    const bundle = await get(web, "/api/live/cluster", { key: web.secret });
    expect(JSON.parse(bundle.body).nodes).toHaveLength(fake.cluster.nodes.length);
    expect(JSON.parse((await get(web, "/api/live/target", { key: web.secret })).body)).toEqual({
      label: fake.url,
    });
  });

  it("gives nothing without the secret or to another Host, and never contacts the cluster then", async () => {
    const before = fake.timelineRequests;
    for (const key of [undefined, "", "wrong"])
      expect((await get(web, "/api/live/timeline", { key })).status).toBe(403);
    expect((await get(web, "/api/live/timeline", { key: web.secret, host: "evil.example" })).status).toBe(
      421,
    );
    expect(fake.timelineRequests).toBe(before);
  });

  it("says how to attach when it was started without --attach", async () => {
    expect(await get(plain, "/api/live/timeline", { key: plain.secret })).toEqual({
      status: 404,
      body: "not attached to a cluster: start Rankscope with --attach URL",
    });
  });
});
