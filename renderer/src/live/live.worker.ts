/// <reference lib="webworker" />
/**
 * A live attach, off the UI thread: the engine's LiveSession polls (through the host's
 * transport), stitches, and after each poll the history becomes lanes here (the Skulk
 * reader, see shared/live/lanes.ts) whose buffers are handed to the page.
 */
import type { LiveEndpoint, LiveFetchResult } from "../../../shared/ipc/contract";
import { LiveLaneBuilder } from "../../../shared/live/lanes";
import { describeEvent, LiveSession } from "../../../shared/live/session";
import { buildLaneLod } from "../../../shared/model/lod";
import { laneBuffers } from "../../../shared/ingest/transfer";
import type { FromLiveWorker, LiveStats, ToLiveWorker } from "./protocol";
import { proxyFetch, relayFetch, transportTarget } from "./transport";

const post = (msg: FromLiveWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(msg, transfer);

let session: LiveSession | null = null;
let lanes: LiveLaneBuilder | null = null;

// Electron's relay: each GET is a round trip through the page to main.
let nextAsk = 0;
const asked = new Map<number, (r: LiveFetchResult) => void>();
const ask = (endpoint: LiveEndpoint) =>
  new Promise<LiveFetchResult>((resolve) => {
    const id = ++nextAsk;
    asked.set(id, resolve);
    post({ type: "fetch", id, endpoint });
  });

/**
 * Rebuilds are spaced by their cost: a build may take at most a quarter of the time since
 * the one before, so hours of history cannot make the worker fall behind the polls.
 */
let building: ReturnType<typeof setTimeout> | null = null;
let lastBuildAt = 0;
let lastBuildMs = 0;

function scheduleBuild(): void {
  if (building !== null) return;
  const wait = Math.max(0, lastBuildAt + lastBuildMs * 4 - performance.now());
  building = setTimeout(build, wait);
}

function build(): void {
  building = null;
  if (!session || !lanes) return;
  const t0 = performance.now();
  const s = session.history;
  const built = lanes.build(s, Object.fromEntries(session.nodeNames));
  const lods = built.lanes.map(buildLaneLod);
  lastBuildMs = performance.now() - t0;
  lastBuildAt = performance.now();
  post(
    {
      type: "lanes",
      lanes: built.lanes,
      lods,
      files: built.files,
      notes: built.notes,
      stats: stats(lastBuildMs),
    },
    laneBuffers(built.lanes, lods),
  );
}

function stats(buildMs: number): LiveStats {
  const s = session!.history;
  const perRunner: Record<string, number> = {};
  const nodes = new Map<string, number | null>();
  for (const id of s.runnerIds()) {
    const h = s.history(id)!;
    perRunner[id] = h.n;
    if (h.nodeId) nodes.set(h.nodeId, null);
  }
  const bundle = session!.lastCluster?.nodes;
  if (Array.isArray(bundle))
    for (const n of bundle) {
      const id = (n as { nodeId?: unknown }).nodeId;
      if (typeof id === "string" && !nodes.has(id)) nodes.set(id, null);
    }
  for (const u of session!.unreachableNodes()) nodes.set(u.nodeId, u.since);
  return {
    polls: s.polls,
    entries: s.size,
    perRunner,
    gaps: s.gaps.length,
    nodes: [...nodes].map(([nodeId, since]) => ({
      nodeId,
      name: session!.nodeNames.get(nodeId) ?? null,
      unreachableSince: since,
    })),
    buildMs,
    bytes: s.bytes,
  };
}

self.onmessage = (ev: MessageEvent<ToLiveWorker>) => {
  const msg = ev.data;
  try {
    if (msg.type === "start") {
      session?.stop();
      const { transport, options } = msg;
      lanes = new LiveLaneBuilder(`live: ${options.label}`);
      session = new LiveSession({
        target: transportTarget(transport, options.label),
        fetch: transport.kind === "proxy" ? proxyFetch(transport.key) : relayFetch(ask),
        intervalMs: options.intervalMs,
        onState: (state) => post({ type: "state", state }),
        onEvent: (event) => post({ type: "event", event, line: describeEvent(event) }),
        onUpdate: () => scheduleBuild(),
      });
      session.start();
    } else if (msg.type === "fetched") {
      asked.get(msg.id)?.(msg.result);
      asked.delete(msg.id);
    } else if (!session) {
      post({ type: "error", message: "no live session" });
    } else if (msg.type === "pause") session.pause();
    else if (msg.type === "resume") session.resume();
    else if (msg.type === "stop") {
      session.stop();
      // The last poll's lanes, whatever the spacing: Stop saves what is held now.
      if (building !== null) clearTimeout(building);
      build();
    } else if (msg.type === "snapshot") {
      post({ type: "snapshot", text: [...session.snapshot()].join(""), entries: session.history.size });
    }
  } catch (e) {
    post({ type: "error", message: (e as Error)?.message ?? String(e) });
  }
};
