/**
 * A fake Skulk API for live-attach tests: plain node:http on 127.0.0.1, an ephemeral port,
 * no filesystem, and a hard time limit after which it closes itself. Its clock is virtual:
 * each timeline request moves it on by `tickMs` (and `POST /_control/advance` by any amount),
 * so a test can run minutes of cluster time in milliseconds.
 *
 * Routes:
 *   GET  /v1/diagnostics/cluster/timeline   ClusterTimeline (advances the clock first)
 *   GET  /v1/diagnostics/cluster            ClusterDiagnostics
 *   POST /_control/advance    {"ms": 2000}
 *   POST /_control/hang       {"rank": 1}            the rank stays in its next decode_barrier
 *   POST /_control/node       {"index": 1, "down": true}
 *   POST /_control/burst      {"rank": 2, "entries": 300}
 *   POST /_control/outage     {"mode": "refuse" | "error" | "hang" | null}  the whole API
 *   POST /_control/redirect   {"to": "http://elsewhere/…" | null}
 *   GET  /_control/state      ground truth: each runner's entries, served or not
 *
 * To try the app against it by hand: bundle and run it, e.g.
 *   npx esbuild test/fake-skulk/server.ts --bundle --platform=node --format=esm --outfile=/tmp/fake-skulk.mjs
 *   node /tmp/fake-skulk.mjs --serve --nodes 2 --runners 8 --minutes 10
 * It prints its URL and exits after the given minutes (at most 60).
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { pathToFileURL } from "node:url";
import { FakeCluster, type FakeClusterOptions } from "./cluster";
import { clusterDiagnostics, clusterTimeline } from "./payloads";

export interface FakeSkulkOptions extends FakeClusterOptions {
  /** Virtual ms each timeline request moves the clock (default 2000: one dashboard poll). */
  tickMs?: number;
  /** Real ms after which the server closes itself (default 30 s). */
  timeLimitMs?: number;
  /** Scenario steps applied when the timeline request count reaches a number. */
  script?: Record<number, (c: FakeCluster, s: FakeSkulk) => void>;
}

export type Outage = "refuse" | "error" | "hang" | null;

export interface FakeSkulk {
  url: string;
  cluster: FakeCluster;
  /** Timeline requests answered so far. */
  timelineRequests: number;
  outage: Outage;
  redirectTo: string | null;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64 * 1024) throw new Error("control body too large");
  }
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function groundTruth(c: FakeCluster) {
  return {
    now: c.nowUs,
    runners: c.runners.map((r) => ({
      runnerId: r.runnerId,
      rank: r.rank,
      nodeId: r.nodeId,
      emitted: r.log.length,
      served: r.served.size,
      ring: r.ring.map((e) => e.at),
      hung: r.hung?.at ?? null,
    })),
  };
}

async function control(s: FakeSkulk, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const c = s.cluster;
  if (path === "/_control/state" && req.method === "GET") return json(res, 200, groundTruth(c));
  if (req.method !== "POST") return json(res, 405, { error: "POST only" });
  const b = await body(req);
  if (path === "/_control/advance") c.advance(Number(b.ms ?? 0));
  else if (path === "/_control/hang") c.hang(Number(b.rank));
  else if (path === "/_control/node") c.setNodeDown(Number(b.index), b.down !== false);
  else if (path === "/_control/burst") c.burst(Number(b.rank), Number(b.entries ?? 300));
  else if (path === "/_control/outage") s.outage = (b.mode as Outage) ?? null;
  else if (path === "/_control/redirect") s.redirectTo = (b.to as string | null) ?? null;
  else return json(res, 404, { error: `no control ${path}` });
  json(res, 200, groundTruth(c));
}

/** Starts the fake API; resolves once it listens. */
export async function startFakeSkulk(opts: FakeSkulkOptions = {}): Promise<FakeSkulk> {
  const cluster = new FakeCluster(opts);
  const tickMs = opts.tickMs ?? 2000;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (path.startsWith("/_control/")) {
      control(fake, path, req, res).catch((e: Error) => json(res, 400, { error: e.message }));
      return;
    }
    const api = path === "/v1/diagnostics/cluster/timeline" || path === "/v1/diagnostics/cluster";
    if (!api || req.method !== "GET") return json(res, 404, { detail: "Not Found" });
    if (fake.outage === "refuse") return void req.socket.destroy();
    if (fake.outage === "hang") return; // the socket stays open until the client gives up
    if (fake.outage === "error") return json(res, 503, { detail: "Service Unavailable" });
    if (fake.redirectTo) {
      res.writeHead(307, { location: fake.redirectTo });
      return void res.end();
    }
    if (path === "/v1/diagnostics/cluster") return json(res, 200, clusterDiagnostics(cluster));
    fake.timelineRequests++;
    cluster.advance(tickMs);
    opts.script?.[fake.timelineRequests]?.(cluster, fake);
    json(res, 200, clusterTimeline(cluster));
  });
  const fake: FakeSkulk = {
    url: "",
    cluster,
    timelineRequests: 0,
    outage: null,
    redirectTo: null,
    close: () =>
      new Promise((resolve) => {
        clearTimeout(limit);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const limit = setTimeout(() => void fake.close(), opts.timeLimitMs ?? 30_000);
  limit.unref();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

// --serve as well: a bundle that includes this module must not start a server of its own.
if (process.argv.includes("--serve") && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const minutes = Math.min(60, flag("minutes", 10));
  void startFakeSkulk({
    nodes: flag("nodes", 2),
    runners: flag("runners", 4),
    seed: flag("seed", 1),
    tickMs: flag("tick-ms", 2000),
    timeLimitMs: minutes * 60_000,
  }).then((s) => console.log(`fake Skulk at ${s.url} for ${minutes} min`));
}
