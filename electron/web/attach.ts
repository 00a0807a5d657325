/**
 * The Node side of live attach. `attach(url)` is what `rankscope --attach URL` runs: it
 * validates the URL, polls the cluster from this process and saves snapshots to disk.
 * `liveProxyHandler(target)` is what web mode mounts on its launcher: the page polls the
 * launcher, and the launcher fetches the two endpoints of that one cluster and nothing else.
 *
 * Routes of the handler (all GET; `prefix` defaults to /api/live):
 *   {prefix}/target     {"label": "http://10.0.0.2:52415"}: what the page is attached to
 *   {prefix}/timeline   upstream GET /v1/diagnostics/cluster/timeline, body as received
 *   {prefix}/cluster    upstream GET /v1/diagnostics/cluster, body as received
 * An upstream failure answers 502 `{"error": "…"}` with the reason (timeout, refused
 * redirect, HTTP status). Requests that do not come from this machine's own pages (a Host
 * that is not loopback, a cross-site Origin) get 403: the launcher must not become a way
 * for other web pages to read the cluster.
 */

import { createWriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getText, realTimers, type FetchLike, type Timers } from "../../shared/live/http";
import { POLL_DEFAULTS } from "../../shared/live/poller";
import { LiveSession, type SessionOptions } from "../../shared/live/session";
import { parseAttachUrl, type LiveTarget } from "../../shared/live/target";

export type LiveRequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export class AttachError extends Error {}

export function resolveTarget(url: string): LiveTarget {
  const parsed = parseAttachUrl(url);
  if (!parsed.ok) throw new AttachError(`cannot attach to "${url}": ${parsed.error}`);
  return parsed.target;
}

export interface ProxyOptions {
  fetch?: FetchLike;
  timers?: Timers;
  timeoutMs?: number;
  clusterTimeoutMs?: number;
  prefix?: string;
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/i;

function refuse(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error }));
}

/** Whether a request comes from a page this launcher served, on this machine. */
function fromOwnPage(req: IncomingMessage): string | null {
  const host = req.headers.host ?? "";
  if (!LOOPBACK_HOST.test(host)) return `Host "${host}" is not this machine`;
  const origin = req.headers.origin;
  if (origin && origin !== `http://${host}`) return `requests from ${origin} are not served`;
  if (req.headers["sec-fetch-site"] === "cross-site") return "cross-site requests are not served";
  return null;
}

export function liveProxyHandler(target: LiveTarget, opts: ProxyOptions = {}): LiveRequestHandler {
  const prefix = opts.prefix ?? "/api/live";
  const fetch = opts.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const timers = opts.timers ?? realTimers;
  const upstream: Record<string, { url: string; timeoutMs: number }> = {
    [`${prefix}/timeline`]: { url: target.timelineUrl, timeoutMs: opts.timeoutMs ?? POLL_DEFAULTS.timeoutMs },
    [`${prefix}/cluster`]: {
      url: target.clusterUrl,
      timeoutMs: opts.clusterTimeoutMs ?? POLL_DEFAULTS.clusterTimeoutMs,
    },
  };
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://launcher").pathname;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return false;
    const why = fromOwnPage(req);
    if (why) {
      refuse(res, 403, why);
      return true;
    }
    if (req.method !== "GET") {
      refuse(res, 405, "GET only");
      return true;
    }
    if (path === `${prefix}/target`) {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ label: target.label }));
      return true;
    }
    const route = upstream[path];
    if (!route) {
      refuse(res, 404, `no live route ${path}`);
      return true;
    }
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    getText(fetch, route.url, { timers, timeoutMs: route.timeoutMs, signal: abort.signal }).then(
      (got) => {
        res.writeHead(200, {
          "content-type": got.contentType ?? "application/json",
          "cache-control": "no-store",
          "content-length": Buffer.byteLength(got.text),
        });
        res.end(got.text);
      },
      (e: Error) => {
        if (!res.headersSent && !res.destroyed) refuse(res, 502, `${target.label}: ${e.message}`);
      },
    );
    return true;
  };
}

export interface AttachOptions extends Omit<SessionOptions, "target" | "fetch"> {
  fetch?: FetchLike;
  /** Start polling at once (default true). */
  start?: boolean;
}

export interface Attachment {
  target: LiveTarget;
  session: LiveSession;
  /** For web mode's launcher: the proxy of this cluster's two endpoints. */
  handler: LiveRequestHandler;
  /** Writes the stitched history as a cluster timeline JSON file (atomically: temp + rename). */
  save(path: string): Promise<{ path: string; bytes: number; entries: number }>;
  stop(): void;
}

/** Attaches to a Skulk cluster; throws AttachError when the URL is not one it may contact. */
export function attach(url: string, opts: AttachOptions = {}): Attachment {
  const target = resolveTarget(url);
  const fetch = opts.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const session = new LiveSession({ ...opts, target, fetch });
  if (opts.start !== false) session.start();
  return {
    target,
    session,
    handler: liveProxyHandler(target, {
      fetch,
      timers: opts.timers,
      timeoutMs: opts.timeoutMs,
      clusterTimeoutMs: opts.clusterTimeoutMs,
    }),
    save: (path) => saveSnapshot(session, path),
    stop: () => session.stop(),
  };
}

async function saveSnapshot(
  session: LiveSession,
  path: string,
): Promise<{ path: string; bytes: number; entries: number }> {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial, { encoding: "utf8" });
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      out.on("error", reject);
      const chunks = session.snapshot();
      const pump = () => {
        for (let c = chunks.next(); !c.done; c = chunks.next()) {
          bytes += Buffer.byteLength(c.value);
          if (!out.write(c.value)) return void out.once("drain", pump);
        }
        out.end(resolve);
      };
      pump();
    });
    await rename(partial, path);
  } catch (e) {
    out.destroy();
    await unlink(partial).catch(() => {});
    throw e;
  }
  return { path, bytes, entries: session.history.size };
}
