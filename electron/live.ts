import { getText, realTimers, type FetchLike, type Timers } from "../shared/live/http";
import { POLL_DEFAULTS } from "../shared/live/poller";
import { parseAttachUrl, type LiveTarget } from "../shared/live/target";
import type { LiveEndpoint, LiveLaunch } from "../shared/ipc/contract";
import { handle } from "./ipc";

/*
 * Live attach in the desktop app: the page's CSP allows only 'self', so main does the
 * fetching, for one cluster at a time: the one named on the command line or typed in the
 * Attach dialog. The page can ask for that cluster's two diagnostics endpoints and nothing
 * else; every GET goes through the same guard as everywhere (no redirects, no other origin,
 * a timeout and a size cap).
 */

/** `--attach=URL` and `--interval=S` as bin/rankscope.mjs passes them to Electron. */
export function liveLaunchArgs(
  argv: readonly string[],
): { target: LiveTarget; intervalSec: number | null } | null {
  const value = (flag: string) => argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1) ?? null;
  const url = value("--attach");
  if (!url) return null;
  const parsed = parseAttachUrl(url);
  if (!parsed.ok) return null;
  const sec = Number(value("--interval"));
  return { target: parsed.target, intervalSec: sec >= 0.25 && sec <= 3600 ? sec : null };
}

export class LiveTargets {
  current: LiveTarget | null;

  constructor(readonly launch: { target: LiveTarget; intervalSec: number | null } | null = null) {
    this.current = launch?.target ?? null;
  }
}

export interface LiveDeps {
  targets: LiveTargets;
  fetch?: FetchLike;
  timers?: Timers;
}

export function registerLiveHandlers(deps: LiveDeps): void {
  const { targets } = deps;
  const fetch = deps.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const timers = deps.timers ?? realTimers;

  handle("live:launch-target", (): LiveLaunch | null =>
    targets.launch ? { label: targets.launch.target.label, intervalSec: targets.launch.intervalSec } : null,
  );

  handle("live:set-target", (_event, url) => {
    if (typeof url !== "string") return { ok: false, error: "live:set-target: expected a URL" };
    const parsed = parseAttachUrl(url);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    targets.current = parsed.target;
    return { ok: true, label: parsed.target.label };
  });

  handle("live:fetch", async (_event, endpoint: LiveEndpoint) => {
    const target = targets.current;
    if (!target) return { ok: false, error: "not attached: give a cluster URL first" };
    if (endpoint !== "timeline" && endpoint !== "cluster")
      return { ok: false, error: `live:fetch: no endpoint ${JSON.stringify(endpoint)}` };
    const timeline = endpoint === "timeline";
    try {
      const got = await getText(fetch, timeline ? target.timelineUrl : target.clusterUrl, {
        timers,
        // A little over the page's own timeout, so the page's timeout is the one the user reads.
        timeoutMs: (timeline ? POLL_DEFAULTS.timeoutMs : POLL_DEFAULTS.clusterTimeoutMs) + 1000,
      });
      return { ok: true, text: got.text };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  });
}
