import { describe, expect, it } from "vitest";
import { LivePoller, type PollEvent, type PollerOptions } from "../../../shared/live/poller";
import { describeEvent, LiveSession, type LiveEvent } from "../../../shared/live/session";
import { parseAttachUrl, type LiveTarget } from "../../../shared/live/target";
import { FakeTimers, refused, response, scriptedFetch, type Reply } from "./fakes";
import { atOf, poll, steps } from "./timeline";

const target = (parseAttachUrl("http://10.0.0.2:52415") as { target: LiveTarget }).target;
const okTimeline = () => response(200, poll(atOf(0), steps("r0", 0, 3)));
const okBundle = () => response(200, { generatedAt: atOf(0), nodes: [] });

function setup(reply: (url: string, n: number) => Reply, extra: Partial<PollerOptions> = {}) {
  const timers = new FakeTimers();
  const t0 = timers.t;
  const { fetch, calls } = scriptedFetch(reply);
  const events: PollEvent[] = [];
  const timelines: number[] = [];
  const bundles: number[] = [];
  const poller = new LivePoller({
    target,
    fetch,
    timers,
    onTimeline: (_, at) => timelines.push(at - t0),
    onCluster: (_, at) => bundles.push(at - t0),
    onEvent: (e) => events.push({ ...e, at: e.at - t0 }),
    ...extra,
  });
  return { timers, t0, calls, events, timelines, bundles, poller };
}

const isTimeline = (url: string) => url.endsWith("/cluster/timeline");

describe("the poll loop", () => {
  it("polls the timeline every 2 s and the diagnostics bundle every 15 s, GET only, no redirects", async () => {
    const s = setup((url) => (isTimeline(url) ? okTimeline() : okBundle()));
    s.poller.start();
    await s.timers.advance(30_000);
    expect(s.timelines).toEqual(Array.from({ length: 16 }, (_, i) => i * 2000));
    expect(s.bundles).toEqual([0, 16_000]);
    expect(new Set(s.calls.map((c) => c.url))).toEqual(
      new Set([
        "http://10.0.0.2:52415/v1/diagnostics/cluster/timeline",
        "http://10.0.0.2:52415/v1/diagnostics/cluster",
      ]),
    );
    expect(s.calls[0].init).toMatchObject({ method: "GET", redirect: "manual", credentials: "omit" });
    expect(s.events).toEqual([]);
    expect(s.poller.state).toMatchObject({ status: "waiting", polls: 16, consecutiveFailures: 0 });
  });

  it("backs off 2, 4, 8, 16, 30 s and stops after 10 failures, saying since when", async () => {
    const s = setup(() => refused());
    s.poller.start();
    await s.timers.advance(600_000);
    const failed = s.events.filter((e) => e.kind === "poll-failed");
    expect(failed.map((e) => e.at)).toEqual([0, 2, 6, 14, 30, 60, 90, 120, 150, 180].map((x) => x * 1000));
    expect(failed.map((e) => e.kind === "poll-failed" && e.retryInMs)).toEqual([
      2000,
      4000,
      8000,
      16_000,
      30_000,
      30_000,
      30_000,
      30_000,
      30_000,
      null,
    ]);
    expect(failed[0]).toMatchObject({
      endpoint: "timeline",
      error: "connection failed: ECONNREFUSED: connect ECONNREFUSED 10.0.0.2:52415",
      consecutive: 1,
    });
    const since = new Date(s.t0).toLocaleTimeString("en-GB", { hour12: false });
    expect(s.events.at(-1)).toEqual({
      kind: "stopped",
      at: 180_000,
      reason: `cluster unreachable since ${since}`,
    });
    expect(s.poller.state).toMatchObject({
      status: "stopped",
      message: `stopped: cluster unreachable since ${since}`,
      failingSince: s.t0,
    });
    // Stopped means stopped: nothing more is sent.
    expect(s.calls).toHaveLength(10);
  });

  it("resume after the stop polls at once, and reports the reconnection with the outage start", async () => {
    let up = false;
    const s = setup((url) => (!up ? refused() : isTimeline(url) ? okTimeline() : okBundle()));
    s.poller.start();
    await s.timers.advance(200_000);
    expect(s.poller.state.status).toBe("stopped");
    up = true;
    s.poller.resume();
    await s.timers.advance(0);
    expect(s.events.slice(-2)).toEqual([
      { kind: "resumed", at: 200_000 },
      { kind: "reconnected", at: 200_000, downSince: s.t0, failures: 10 },
    ]);
    expect(s.timelines).toEqual([200_000]);
    await s.timers.advance(4000);
    expect(s.timelines).toEqual([200_000, 202_000, 204_000]);
  });

  it("a cluster that comes back mid-backoff is polled at the normal rate again", async () => {
    const s = setup((url, n) => (n <= 3 ? refused() : isTimeline(url) ? okTimeline() : okBundle()));
    s.poller.start();
    await s.timers.advance(20_000);
    expect(s.events.map((e) => [e.kind, e.at])).toEqual([
      ["poll-failed", 0],
      ["poll-failed", 2000],
      ["poll-failed", 6000],
      ["reconnected", 14_000],
    ]);
    expect(s.events[3]).toMatchObject({ downSince: s.t0, failures: 3 });
    expect(s.timelines).toEqual([14_000, 16_000, 18_000, 20_000]);
  });

  it("pause sends nothing, cancels the poll in flight, and resume polls at once", async () => {
    let hang = false;
    const s = setup((url) => (hang ? "hang" : isTimeline(url) ? okTimeline() : okBundle()));
    s.poller.start();
    await s.timers.advance(4000);
    hang = true;
    await s.timers.advance(2000); // the poll at 6 s is now waiting on the network
    s.poller.pause();
    const sent = s.calls.length;
    await s.timers.advance(60_000);
    expect(s.calls).toHaveLength(sent);
    expect(s.poller.state.status).toBe("paused");
    // The aborted request is the user's doing, not a cluster failure.
    expect(s.events).toEqual([]);
    hang = false;
    s.poller.resume();
    await s.timers.advance(0);
    expect(s.timelines).toEqual([0, 2000, 4000, 66_000]);
  });

  it("a pause from inside a callback holds: nothing is scheduled after it", async () => {
    const s = setup((url) => (isTimeline(url) ? okTimeline() : okBundle()), {
      onTimeline: () => {
        if (++seen === 3) s.poller.pause();
      },
    });
    let seen = 0;
    s.poller.start();
    await s.timers.advance(60_000);
    expect(seen).toBe(3);
    expect(s.poller.state.status).toBe("paused");
  });

  it("a poll that gets no answer times out, and the timeout counts as a failure", async () => {
    const s = setup(() => "hang", { timeoutMs: 5000 });
    s.poller.start();
    await s.timers.advance(5000);
    expect(s.events).toEqual([
      {
        kind: "poll-failed",
        at: 5000,
        endpoint: "timeline",
        error: "timed out after 5 s",
        consecutive: 1,
        retryInMs: 2000,
      },
    ]);
  });

  it("refuses redirects, answers from another origin, and bodies that are not a cluster timeline", async () => {
    const replies: Reply[] = [
      response(302, "", { location: "http://203.0.113.9/v1/diagnostics/cluster/timeline" }),
      response(200, poll(atOf(0), []), {}, "http://203.0.113.9/v1/diagnostics/cluster/timeline"),
      response(200, "<html>login</html>"),
      response(200, { hello: 1 }),
      response(503, "busy"),
    ];
    const s = setup((_, n) => replies[n - 1] ?? "hang", { maxFailures: 5 });
    s.poller.start();
    await s.timers.advance(60_000);
    expect(
      s.events.filter((e) => e.kind === "poll-failed").map((e) => (e as { error: string }).error),
    ).toEqual([
      "redirect refused (to http://203.0.113.9/v1/diagnostics/cluster/timeline): only http://10.0.0.2:52415 is contacted",
      "answer came from http://203.0.113.9, not http://10.0.0.2:52415: refused",
      "the timeline answer is not JSON: Unexpected token '<', \"<html>login</html>\" is not valid JSON",
      'not a Skulk cluster timeline (no "timeline" list; keys: hello)',
      "HTTP 503",
    ]);
    expect(s.timelines).toEqual([]);
  });

  it("a failing diagnostics bundle is reported but does not count against the cluster", async () => {
    const s = setup((url) => (isTimeline(url) ? okTimeline() : response(500, "")));
    s.poller.start();
    await s.timers.advance(20_000);
    expect(s.events).toEqual([
      {
        kind: "poll-failed",
        at: 0,
        endpoint: "cluster",
        error: "HTTP 500",
        consecutive: 0,
        retryInMs: 15_000,
      },
      {
        kind: "poll-failed",
        at: 16_000,
        endpoint: "cluster",
        error: "HTTP 500",
        consecutive: 0,
        retryInMs: 15_000,
      },
    ]);
    expect(s.timelines).toHaveLength(11);
    expect(s.poller.state.consecutiveFailures).toBe(0);
  });
});

describe("a live session", () => {
  it("reports unreachable nodes from either payload with their time, by friendly name, and their return", async () => {
    const timers = new FakeTimers();
    const t0 = timers.t;
    const down = { nodeId: "12D3KooWQmNode2", url: "http://10.0.0.3:52415", error: "ConnectTimeout" };
    const bundle = {
      generatedAt: atOf(0),
      nodes: [
        {
          nodeId: "12D3KooWQmNode1",
          ok: true,
          diagnostics: { runtime: { friendlyName: "studio-a" } },
          error: null,
        },
        {
          nodeId: "12D3KooWQmNode2",
          ok: true,
          diagnostics: { runtime: { hostname: "mini-b.local" } },
          error: null,
        },
      ],
    };
    const { fetch } = scriptedFetch((url) => {
      if (!isTimeline(url)) return response(200, bundle);
      // The polls at 4 s and 6 s list node 2 as unreachable.
      const at = timers.now() - t0;
      return response(
        200,
        poll(atOf(at / 250), steps("r0", 0, 2), [], at === 4000 || at === 6000 ? [down] : []),
      );
    });
    const events: LiveEvent[] = [];
    const session = new LiveSession({ target, fetch, timers, onEvent: (e) => events.push(e) });
    session.start();
    await timers.advance(10_000);
    expect(events.map((e) => ({ ...e, at: e.at - t0 }))).toEqual([
      {
        kind: "node-unreachable",
        at: 4000,
        nodeId: "12D3KooWQmNode2",
        name: "mini-b.local",
        url: down.url,
        error: "ConnectTimeout",
        source: "timeline",
      },
      {
        kind: "node-reachable",
        at: 8000,
        nodeId: "12D3KooWQmNode2",
        name: "mini-b.local",
        downSince: t0 + 4000,
      },
    ]);
    expect(session.history.count("r0")).toBe(2);
  });
});

describe("event lines", () => {
  it("say what happened, when, and what comes next", () => {
    const utc = (ms: number) => new Date(ms).toISOString().slice(11, 19);
    const t = Date.UTC(2026, 3, 24, 22, 3, 22);
    const lines = (
      [
        {
          kind: "poll-failed",
          at: t,
          endpoint: "timeline",
          error: "timed out after 8 s",
          consecutive: 3,
          retryInMs: 8000,
        },
        { kind: "reconnected", at: t + 60_000, downSince: t, failures: 4 },
        {
          kind: "node-unreachable",
          at: t,
          nodeId: "12D3KooWx",
          name: "mini-b",
          url: null,
          error: "ConnectTimeout",
          source: "cluster",
        },
        { kind: "stopped", at: t, reason: "cluster unreachable since 22:01:00" },
      ] as LiveEvent[]
    ).map((e) => describeEvent(e, utc));
    expect(lines).toEqual([
      "22:03:22 timeline poll failed: timed out after 8 s; next try in 8 s",
      "22:04:22 reconnected after 4 failed polls (down since 22:03:22)",
      "22:03:22 node mini-b unreachable: ConnectTimeout",
      "22:03:22 stopped: cluster unreachable since 22:01:00",
    ]);
  });
});

describe("the attach URL", () => {
  const ok = (input: string) => (parseAttachUrl(input) as { target: LiveTarget }).target;
  const error = (input: string) => (parseAttachUrl(input) as { error: string }).error;

  it("takes a base, a bare host (Skulk's port) or a pasted endpoint URL", () => {
    expect(ok("http://10.0.0.2:52415/")).toEqual({
      label: "http://10.0.0.2:52415",
      origin: "http://10.0.0.2:52415",
      timelineUrl: "http://10.0.0.2:52415/v1/diagnostics/cluster/timeline",
      clusterUrl: "http://10.0.0.2:52415/v1/diagnostics/cluster",
    });
    expect(ok("studio-a.local").timelineUrl).toBe(
      "http://studio-a.local:52415/v1/diagnostics/cluster/timeline",
    );
    expect(ok("10.0.0.2:8080").origin).toBe("http://10.0.0.2:8080");
    expect(ok("https://gw.example/skulk/v1/diagnostics/cluster/timeline?x=1").clusterUrl).toBe(
      "https://gw.example/skulk/v1/diagnostics/cluster",
    );
  });

  it("refuses other schemes, credentials and junk, saying why", () => {
    expect(error("file:///etc/passwd")).toBe('only http and https URLs can be attached (got "file:")');
    expect(error("ftp://10.0.0.2/")).toBe('only http and https URLs can be attached (got "ftp:")');
    expect(error("javascript:alert(1)")).toBe('only http and https URLs can be attached (got "javascript:")');
    expect(error("http://admin:pw@10.0.0.2:52415")).toMatch(/user name or password/);
    expect(error("  ")).toBe("no URL given");
    expect(error("http://")).toBe('not a URL: "http://"');
  });
});
