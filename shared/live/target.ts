/**
 * What a live attach may contact: the two diagnostics endpoints under the one base URL the
 * user gave, and nothing else. Validation lives here so the CLI, the web-mode proxy and the
 * app refuse the same inputs with the same words.
 */

export const TIMELINE_PATH = "/v1/diagnostics/cluster/timeline";
export const CLUSTER_PATH = "/v1/diagnostics/cluster";
/** Skulk's API port: used only when the user typed a bare host without a scheme. */
export const SKULK_DEFAULT_PORT = 52415;

export interface LiveTarget {
  /** What the user is attached to, for status lines ("http://10.0.0.2:52415"). */
  label: string;
  /** scheme://host:port of every URL below; a response from anywhere else is refused. */
  origin: string;
  timelineUrl: string;
  clusterUrl: string;
}

export type TargetResult = { ok: true; target: LiveTarget } | { ok: false; error: string };

// A pasted endpoint URL ("…/v1/diagnostics/cluster/timeline") names the same cluster.
const ENDPOINT_TAIL = /\/v1\/diagnostics(?:\/cluster(?:\/timeline)?)?\/?$/;

/**
 * Parses what the user typed as a Skulk API base: `http(s)://host[:port][/prefix]`, or a
 * bare `host[:port]` (http, port 52415). Refuses other schemes and URLs with credentials:
 * they would be sent on every poll, and the attach has no business holding secrets.
 */
export function parseAttachUrl(input: string): TargetResult {
  const text = input.trim();
  if (!text) return { ok: false, error: "no URL given" };
  let candidate = text;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  const bareHost = /^(\[[0-9a-f:.]+\]|[\w.-]+)(:\d+)?(\/.*)?$/i.exec(text);
  if (!text.includes("://") && bareHost) {
    candidate = `http://${bareHost[1]}${bareHost[2] ?? `:${SKULK_DEFAULT_PORT}`}${bareHost[3] ?? ""}`;
  } else if (scheme && !/^https?$/i.test(scheme[1])) {
    return { ok: false, error: `only http and https URLs can be attached (got "${scheme[1]}:")` };
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, error: `not a URL: "${text}"` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, error: `only http and https URLs can be attached (got "${url.protocol}")` };
  if (url.username || url.password)
    return { ok: false, error: "the URL carries a user name or password; give the address without it" };
  if (!url.hostname) return { ok: false, error: `no host in "${text}"` };
  const prefix = url.pathname.replace(ENDPOINT_TAIL, "").replace(/\/+$/, "");
  const base = `${url.origin}${prefix}`;
  return {
    ok: true,
    target: {
      label: base,
      origin: url.origin,
      timelineUrl: `${base}${TIMELINE_PATH}`,
      clusterUrl: `${base}${CLUSTER_PATH}`,
    },
  };
}

/**
 * Web mode: the page polls the launcher, which fetches upstream (see electron/web/attach.ts),
 * so the page's URLs are relative and its origin is its own.
 */
export function proxiedTarget(label: string, prefix = "/api/live"): LiveTarget {
  return { label, origin: "", timelineUrl: `${prefix}/timeline`, clusterUrl: `${prefix}/cluster` };
}
