import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { attach, AttachError, liveProxyHandler, resolveTarget } from "../../../electron/web/attach";
import type { FetchLike } from "../../../shared/live/http";
import type { PollEvent } from "../../../shared/live/poller";
import { LiveSession } from "../../../shared/live/session";
import { proxiedTarget } from "../../../shared/live/target";
import { startFakeSkulk, type FakeSkulk } from "../../fake-skulk/server";

let fake: FakeSkulk | null = null;
let launcher: Server | null = null;
afterEach(async () => {
  await fake?.close();
  await new Promise((r) => (launcher ? launcher.close(r) : r(null)));
  fake = launcher = null;
});

/** The launcher as the lead will mount it: the live handler first, then everything else. */
async function mount(handler: ReturnType<typeof liveProxyHandler>): Promise<number> {
  launcher = createServer((req, res) => {
    if (handler(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("static");
  });
  await new Promise<void>((r) => launcher!.listen(0, "127.0.0.1", r));
  return (launcher.address() as AddressInfo).port;
}

/** node:http, because fetch may not set Host or Origin. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the web-mode proxy of one cluster", () => {
  it("serves the cluster's two endpoints and its label, and leaves other paths to the launcher", async () => {
    fake = await startFakeSkulk({ timeLimitMs: 10_000 });
    const port = await mount(liveProxyHandler(resolveTarget(fake.url)));
    const timeline = await get(port, "/api/live/timeline");
    expect(timeline.status).toBe(200);
    const doc = JSON.parse(timeline.body);
    expect(doc.runners.map((r: { runnerId: string }) => r.runnerId)).toEqual(
      fake.cluster.runners.map((r) => r.runnerId),
    );
    expect(doc.timeline.length).toBeGreaterThan(0);
    const bundle = JSON.parse((await get(port, "/api/live/cluster")).body);
    expect(bundle.nodes.map((n: { nodeId: string }) => n.nodeId)).toEqual(
      fake.cluster.nodes.map((n) => n.nodeId),
    );
    expect(JSON.parse((await get(port, "/api/live/target")).body)).toEqual({ label: fake.url });
    expect(await get(port, "/index.html")).toEqual({ status: 404, body: "static" });
    expect((await get(port, "/api/live/anything")).status).toBe(404);
    expect((await get(port, "/api/live/timeline", {}, "POST")).status).toBe(405);
  });

  it("answers only this machine's own pages", async () => {
    fake = await startFakeSkulk({ timeLimitMs: 10_000 });
    const port = await mount(liveProxyHandler(resolveTarget(fake.url)));
    const rebinding = await get(port, "/api/live/timeline", { host: "attacker.example:80" });
    expect(rebinding.status).toBe(403);
    expect(JSON.parse(rebinding.body).error).toBe('Host "attacker.example:80" is not this machine');
    const crossSite = await get(port, "/api/live/timeline", { origin: "https://attacker.example" });
    expect(crossSite.status).toBe(403);
    const own = await get(port, "/api/live/timeline", { origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
    expect(fake.timelineRequests).toBe(1);
  });

  it("does not follow the cluster's redirects, and says why an upstream call failed", async () => {
    fake = await startFakeSkulk({ timeLimitMs: 10_000 });
    const port = await mount(liveProxyHandler(resolveTarget(fake.url), { timeoutMs: 300 }));
    fake.redirectTo = "http://203.0.113.7/v1/diagnostics/cluster/timeline";
    const redirected = await get(port, "/api/live/timeline");
    expect(redirected.status).toBe(502);
    expect(JSON.parse(redirected.body).error).toBe(
      `${fake.url}: redirect refused (to http://203.0.113.7/v1/diagnostics/cluster/timeline): only ${fake.url} is contacted`,
    );
    fake.redirectTo = null;
    fake.outage = "hang";
    const hung = await get(port, "/api/live/timeline");
    expect(JSON.parse(hung.body).error).toBe(`${fake.url}: timed out after 0.3 s`);
    fake.outage = "error";
    expect(JSON.parse((await get(port, "/api/live/timeline")).body).error).toBe(
      `${fake.url}: HTTP 503 Service Unavailable`,
    );
  });
});

describe("web mode end to end", () => {
  it("a page's session polls through the launcher and stitches what the cluster shows", async () => {
    fake = await startFakeSkulk({ timeLimitMs: 10_000, runners: 2 });
    const port = await mount(liveProxyHandler(resolveTarget(fake.url)));
    // The page's fetch: relative URLs, resolved against the launcher as a browser would.
    const pageFetch: FetchLike = (url, init) =>
      globalThis.fetch(`http://127.0.0.1:${port}${url}`, init) as unknown as ReturnType<FetchLike>;
    let merged = 0;
    let session!: LiveSession;
    await new Promise<void>((resolve) => {
      session = new LiveSession({
        target: proxiedTarget(fake!.url),
        fetch: pageFetch,
        intervalMs: 250,
        onUpdate: () => {
          if (++merged < 3) return;
          session.pause();
          resolve();
        },
      });
      session.start();
    });
    for (const r of fake.cluster.runners) expect(session.history.count(r.runnerId)).toBe(r.served.size);
    expect(session.nodeNames.get(fake.cluster.nodes[1].nodeId)).toBe("mini-b");
    expect(session.events).toEqual([]);
  });
});

describe("attach(url)", () => {
  it("refuses what it may not contact before sending anything", () => {
    expect(() => attach("file:///etc/passwd")).toThrow(AttachError);
    expect(() => attach("file:///etc/passwd")).toThrow(
      'cannot attach to "file:///etc/passwd": only http and https URLs can be attached (got "file:")',
    );
  });

  it("reports a cluster that drops connections as failed polls with the network's reason", async () => {
    fake = await startFakeSkulk({ timeLimitMs: 10_000 });
    fake.outage = "refuse";
    const events: PollEvent[] = [];
    const a = attach(fake.url, {
      maxFailures: 2,
      intervalMs: 250,
      onEvent: (e) => events.push(e as PollEvent),
    });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (a.session.state.status !== "stopped") return;
        clearInterval(check);
        resolve();
      }, 20);
    });
    expect(events.map((e) => e.kind)).toEqual(["poll-failed", "poll-failed", "stopped"]);
    expect((events[0] as { error: string }).error).toMatch(/^connection failed: /);
    expect(a.session.state.message).toMatch(/^stopped: cluster unreachable since \d\d:\d\d:\d\d$/);
  });
});
