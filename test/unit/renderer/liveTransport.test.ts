import { afterEach, describe, expect, it, vi } from "vitest";
import type { RankscopeApi } from "../../../shared/ipc/contract";
import { KEY_HEADER } from "../../../shared/ipc/webLaunch";
import { getText, realTimers } from "../../../shared/live/http";
import { proxyFetch, relayFetch, transportTarget } from "../../../renderer/src/live/transport";

afterEach(() => vi.unstubAllGlobals());

/** web.ts as a page at `href` would load it, its fetch answering the launcher's routes. */
async function webPage(href: string, routes: Record<string, () => Response>) {
  vi.resetModules();
  const url = new URL(href);
  vi.stubGlobal("location", { href: url.href, search: url.search, pathname: url.pathname, hash: url.hash });
  vi.stubGlobal("history", { state: null, replaceState: () => {} });
  vi.stubGlobal("sessionStorage", { getItem: () => null, setItem: () => {} });
  const fetch = vi.fn(async (u: string) =>
    (routes[u] ?? (() => new Response("not found", { status: 404 })))(),
  );
  vi.stubGlobal("fetch", fetch);
  const { webHost } = await import("../../../renderer/src/host/web");
  return { live: webHost.live, fetch };
}

const attached = () => Response.json({ label: "http://10.0.0.2:52415" });

describe("the live transport of each host", () => {
  it("web mode polls the launcher's proxy with the launch secret, at the interval the URL names", async () => {
    const page = await webPage("http://127.0.0.1:4780/?k=s3cret&live&interval=0.5", {
      "./api/live/target": attached,
    });
    expect(page.live.anyUrl).toBe(false);
    expect(page.live.transport()).toEqual({
      kind: "proxy",
      base: "http://127.0.0.1:4780/api/live/",
      key: "s3cret",
    });
    expect(await page.live.launchTarget()).toEqual({ label: "http://10.0.0.2:52415", intervalSec: 0.5 });
    expect(page.fetch).toHaveBeenCalledWith("./api/live/target", {
      headers: { [KEY_HEADER]: "s3cret" },
      cache: "no-store",
    });
    const target = transportTarget(page.live.transport(), "http://10.0.0.2:52415");
    expect([target.timelineUrl, target.clusterUrl]).toEqual([
      "http://127.0.0.1:4780/api/live/timeline",
      "http://127.0.0.1:4780/api/live/cluster",
    ]);
  });

  it("web mode attaches only to the launcher's cluster, and says which", async () => {
    const page = await webPage("http://127.0.0.1:4780/?k=s3cret&live", { "./api/live/target": attached });
    expect(await page.live.setTarget("10.0.0.2")).toEqual({ ok: true, label: "http://10.0.0.2:52415" });
    expect(await page.live.setTarget("http://10.0.0.9:52415")).toEqual({
      ok: false,
      error:
        "web mode can only attach to http://10.0.0.2:52415, the URL its launcher was started with; run rankscope --web --attach http://10.0.0.9:52415 for this one",
    });
    const plain = await webPage("http://127.0.0.1:4780/?k=s3cret", {});
    expect(await plain.live.launchTarget()).toBeNull();
    expect(await plain.live.setTarget("http://10.0.0.2:52415")).toMatchObject({
      ok: false,
      error: expect.stringContaining("run rankscope --web --attach URL"),
    });
  });

  it("Electron relays each GET to main and attaches to any URL main accepts", async () => {
    const api = {
      liveFetch: vi.fn(async () => ({ ok: true as const, text: '{"timeline":[]}' })),
      setLiveTarget: vi.fn(async (url: string) => ({ ok: true as const, label: url })),
      liveLaunchTarget: vi.fn(async () => null),
      on: () => () => {},
    } as unknown as RankscopeApi;
    vi.resetModules();
    const { electronHost } = await import("../../../renderer/src/host/desktop");
    const host = electronHost(api);
    expect(host.live.anyUrl).toBe(true);
    expect(host.live.transport()).toEqual({ kind: "relay" });
    expect(await host.live.relay!("cluster")).toEqual({ ok: true, text: '{"timeline":[]}' });
    expect(api.liveFetch).toHaveBeenCalledWith("cluster");
    expect(await host.live.setTarget("http://studio-a:52415")).toEqual({
      ok: true,
      label: "http://studio-a:52415",
    });
  });
});

describe("the worker's fetch", () => {
  const get = (fetch: Parameters<typeof getText>[0], url: string) =>
    getText(fetch, url, { timers: realTimers, timeoutMs: 5000 });

  it("sends the secret to the proxy and passes on the reason the proxy gives for a failure", async () => {
    const seen: Headers[] = [];
    const impl = vi.fn(async (_u: string | URL | Request, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return seen.length === 1
        ? Response.json({ timeline: [] })
        : Response.json({ error: "http://10.0.0.2:52415: timed out after 8 s" }, { status: 502 });
    }) as unknown as typeof fetch;
    const f = proxyFetch("s3cret", impl);
    expect((await get(f, "http://127.0.0.1:4780/api/live/timeline")).text).toBe('{"timeline":[]}');
    await expect(get(f, "http://127.0.0.1:4780/api/live/timeline")).rejects.toThrow(
      /^http:\/\/10\.0\.0\.2:52415: timed out after 8 s$/,
    );
    expect(seen.map((h) => [h.get(KEY_HEADER), h.get("accept")])).toEqual([
      ["s3cret", "application/json"],
      ["s3cret", "application/json"],
    ]);
  });

  it("relays by endpoint name only, and main's words for a failure are the error", async () => {
    const ask = vi.fn(async (e: "timeline" | "cluster") =>
      e === "timeline"
        ? { ok: true as const, text: "{}" }
        : { ok: false as const, error: "HTTP 503 Service Unavailable" },
    );
    const f = relayFetch(ask);
    expect((await get(f, "timeline")).text).toBe("{}");
    await expect(get(f, "cluster")).rejects.toThrow(/^HTTP 503 Service Unavailable$/);
    await expect(get(f, "http://elsewhere/")).rejects.toThrow("no live endpoint http://elsewhere/");
    expect(ask.mock.calls).toEqual([["timeline"], ["cluster"]]);
  });
});
