/**
 * A live attach as the user sees it: the poll loop feeding the stitcher, the events worth
 * telling (failures, reconnects, unreachable nodes, gaps), friendly node names from the
 * diagnostics bundle, and the snapshot. One class for every host (Electron main, the
 * web-mode page, the CLI); only `fetch` and the timers differ.
 */

import { isObject, str, type JsonObject } from "../formats/types";
import { localClock, LivePoller, type PollerOptions, type PollerState, type PollEvent } from "./poller";
import { snapshotChunks } from "./snapshot";
import { Stitcher, type Gap, type MergeResult, type StitchOptions } from "./stitch";

type NodeSource = "timeline" | "cluster";

export type LiveEvent =
  | PollEvent
  | {
      kind: "node-unreachable";
      at: number;
      nodeId: string;
      name: string | null;
      url: string | null;
      error: string | null;
      source: NodeSource;
    }
  | { kind: "node-reachable"; at: number; nodeId: string; name: string | null; downSince: number }
  | { kind: "gap"; at: number; gap: Gap }
  | { kind: "bad-entries"; at: number; count: number; error: string };

export interface SessionOptions extends Omit<
  PollerOptions,
  "onTimeline" | "onCluster" | "onEvent" | "onState"
> {
  stitch?: StitchOptions;
  /** Events kept for the UI and the snapshot (oldest dropped first). */
  maxEvents?: number;
  onEvent?(e: LiveEvent): void;
  onState?(s: PollerState): void;
  /** After each merged poll: the UI redraws from `history`. */
  onUpdate?(r: MergeResult): void;
}

interface Unreachable {
  url: string | null;
  error: string | null;
}

export class LiveSession {
  readonly history: Stitcher;
  readonly poller: LivePoller;
  readonly events: LiveEvent[] = [];
  readonly nodeNames = new Map<string, string>();
  /** The latest diagnostics bundle, as received (runner state, node runtime). */
  lastCluster: JsonObject | null = null;
  private droppedEvents = 0;
  private readonly reported: Record<NodeSource, Map<string, Unreachable>> = {
    timeline: new Map(),
    cluster: new Map(),
  };
  private readonly down = new Map<string, number>();

  constructor(private readonly opts: SessionOptions) {
    this.history = new Stitcher(opts.stitch);
    this.poller = new LivePoller({
      ...opts,
      onTimeline: (doc, at) => this.onTimeline(doc, at),
      onCluster: (doc, at) => this.onCluster(doc, at),
      onEvent: (e) => this.emit(e),
      onState: opts.onState,
    });
  }

  get state(): PollerState {
    return this.poller.state;
  }

  start(): void {
    this.poller.start();
  }
  pause(): void {
    this.poller.pause();
  }
  resume(): void {
    this.poller.resume();
  }
  stop(): void {
    this.poller.stop();
  }

  /** Nodes unreachable as of the latest payloads, with when they went away. */
  unreachableNodes(): { nodeId: string; since: number }[] {
    return [...this.down].map(([nodeId, since]) => ({ nodeId, since }));
  }

  /** The stitched history as a cluster timeline document, in chunks (see snapshot.ts). */
  snapshot(): Generator<string> {
    return snapshotChunks(this.history, {
      source: this.opts.target.label,
      nodeNames: Object.fromEntries(this.nodeNames),
      events: this.droppedEvents
        ? [{ kind: "dropped", count: this.droppedEvents }, ...this.events]
        : this.events,
    });
  }

  private emit(e: LiveEvent): void {
    this.events.push(e);
    const max = this.opts.maxEvents ?? 2000;
    if (this.events.length > max) {
      this.droppedEvents += this.events.length - max;
      this.events.splice(0, this.events.length - max);
    }
    this.opts.onEvent?.(e);
  }

  private onTimeline(doc: JsonObject, at: number): void {
    const result = this.history.merge(doc);
    if (result.rejected)
      this.emit({ kind: "bad-entries", at, count: result.rejected, error: result.firstError ?? "" });
    for (const gap of result.gaps) this.emit({ kind: "gap", at, gap });
    this.nodesReported("timeline", doc.unreachableNodes, at);
    this.opts.onUpdate?.(result);
  }

  private onCluster(doc: JsonObject, at: number): void {
    this.lastCluster = doc;
    const failed: unknown[] = [];
    for (const node of Array.isArray(doc.nodes) ? doc.nodes : []) {
      if (!isObject(node)) continue;
      const nodeId = str(node.nodeId);
      const runtime =
        isObject(node.diagnostics) && isObject(node.diagnostics.runtime) ? node.diagnostics.runtime : null;
      const name = runtime ? (str(runtime.friendlyName) ?? str(runtime.hostname)) : null;
      if (nodeId && name) this.nodeNames.set(nodeId, name);
      if (node.ok === false) failed.push(node);
    }
    this.nodesReported("cluster", failed, at);
  }

  /** A node is down while either payload says so; each change is one event. */
  private nodesReported(source: NodeSource, list: unknown, at: number): void {
    const now = new Map<string, Unreachable>();
    for (const u of Array.isArray(list) ? list : []) {
      const nodeId = isObject(u) ? str(u.nodeId) : null;
      if (nodeId && isObject(u)) now.set(nodeId, { url: str(u.url), error: str(u.error) });
    }
    this.reported[source] = now;
    for (const [nodeId, u] of now) {
      if (this.down.has(nodeId)) continue;
      this.down.set(nodeId, at);
      this.emit({
        kind: "node-unreachable",
        at,
        nodeId,
        name: this.nodeNames.get(nodeId) ?? null,
        ...u,
        source,
      });
    }
    for (const [nodeId, since] of this.down) {
      if (this.reported.timeline.has(nodeId) || this.reported.cluster.has(nodeId)) continue;
      this.down.delete(nodeId);
      this.emit({
        kind: "node-reachable",
        at,
        nodeId,
        name: this.nodeNames.get(nodeId) ?? null,
        downSince: since,
      });
    }
  }
}

/** One line per event for a terminal or a status list: "14:03:22 node studio-b unreachable: …". */
export function describeEvent(e: LiveEvent, clock: (ms: number) => string = localClock): string {
  const when = clock(e.at);
  switch (e.kind) {
    case "poll-failed":
      return `${when} ${e.endpoint} poll failed: ${e.error}${e.retryInMs !== null ? `; next try in ${e.retryInMs / 1000} s` : ""}`;
    case "reconnected":
      return `${when} reconnected after ${e.failures} failed poll${e.failures === 1 ? "" : "s"} (down since ${clock(e.downSince)})`;
    case "stopped":
      return `${when} stopped: ${e.reason}`;
    case "resumed":
      return `${when} resumed`;
    case "node-unreachable":
      return `${when} node ${e.name ?? e.nodeId} unreachable${e.error ? `: ${e.error}` : ""}`;
    case "node-reachable":
      return `${when} node ${e.name ?? e.nodeId} reachable again (away since ${clock(e.downSince)})`;
    case "gap":
      return `${when} gap on runner ${e.gap.runnerId}: entries from ${e.gap.from} to ${e.gap.to} were evicted before a poll saw them`;
    case "bad-entries":
      return `${when} ${e.count} timeline entr${e.count === 1 ? "y was" : "ies were"} not usable: ${e.error}`;
  }
}
