/**
 * The live worker's `fetch`, by host (see TransportSpec). Both refuse what the engine's
 * guarded GET would: no redirects, a timeout (applied by the engine around this), the body
 * as text.
 */
import type { LiveEndpoint, LiveFetchResult } from "../../../shared/ipc/contract";
import { KEY_HEADER } from "../../../shared/ipc/webLaunch";
import { RelayedError, type FetchLike, type ResponseLike } from "../../../shared/live/http";
import { proxiedTarget, type LiveTarget } from "../../../shared/live/target";
import type { TransportSpec } from "./protocol";

/** The URLs the session polls: the proxy's in web mode, endpoint names for the relay. */
export function transportTarget(spec: TransportSpec, label: string): LiveTarget {
  if (spec.kind === "proxy") return proxiedTarget(label, spec.base.replace(/\/+$/, ""));
  return { label, origin: "", timelineUrl: "timeline", clusterUrl: "cluster" };
}

/** Web mode: the browser's fetch of the launcher's proxy, with the launch secret. */
export function proxyFetch(key: string | null, fetchImpl: typeof fetch = fetch): FetchLike {
  return (url, init) =>
    fetchImpl(url, { ...init, headers: { ...init.headers, ...(key ? { [KEY_HEADER]: key } : {}) } }).then(
      async (res) => {
        // The proxy says why upstream failed in a JSON body; the status alone says less.
        if (res.status === 502 || res.status === 403 || res.status === 404) {
          const body = await res.text();
          let why = body;
          try {
            why = (JSON.parse(body) as { error?: string }).error ?? body;
          } catch {
            // plain text (the launcher's own refusals)
          }
          throw new RelayedError(why.trim() || `HTTP ${res.status}`);
        }
        return res as unknown as ResponseLike;
      },
    );
}

/** Electron: each GET asks the page, which asks main (`live:fetch`); `ask` does the round trip. */
export function relayFetch(ask: (endpoint: LiveEndpoint) => Promise<LiveFetchResult>): FetchLike {
  return async (url, init) => {
    if (url !== "timeline" && url !== "cluster") throw new Error(`no live endpoint ${url}`);
    const result = await new Promise<LiveFetchResult>((resolve, reject) => {
      const onAbort = () => reject(new Error("cancelled"));
      init.signal.addEventListener("abort", onAbort, { once: true });
      ask(url)
        .then(resolve, reject)
        .finally(() => init.signal.removeEventListener("abort", onAbort));
    });
    if (!result.ok) throw new RelayedError(result.error);
    const text = result.text;
    return {
      status: 200,
      headers: { get: (name) => (name.toLowerCase() === "content-type" ? "application/json" : null) },
      text: async () => text,
    };
  };
}
