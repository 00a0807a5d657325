/**
 * The poll loop of a live attach: the cluster timeline often (2 s), the diagnostics bundle
 * seldom (15 s). A failing cluster is never retried silently forever: each failure is an
 * event with its time, retries back off (2 s, 4 s, … 30 s), and after `maxFailures` in a
 * row the loop stops in a state that says since when, until the user resumes it.
 * Host-independent: `fetch` and the timers are injected.
 */

import { getText, parseJsonObject, realTimers, type FetchLike, type Timers } from "./http";
import type { LiveTarget } from "./target";

export type Endpoint = "timeline" | "cluster";

export type PollerStatus = "idle" | "polling" | "waiting" | "backing-off" | "paused" | "stopped";

export interface PollerState {
  status: PollerStatus;
  /** One line for the user: "stopped: cluster unreachable since 14:03:22". */
  message: string;
  consecutiveFailures: number;
  /** Epoch ms of the first failure of the current run of failures; null while healthy. */
  failingSince: number | null;
  lastSuccessAt: number | null;
  nextPollAt: number | null;
  polls: number;
}

export type PollEvent =
  | {
      kind: "poll-failed";
      at: number;
      endpoint: Endpoint;
      error: string;
      consecutive: number;
      /** Delay before the next try; null when this failure stopped the loop. */
      retryInMs: number | null;
    }
  | { kind: "reconnected"; at: number; downSince: number; failures: number }
  | { kind: "stopped"; at: number; reason: string }
  | { kind: "resumed"; at: number };

export interface PollerOptions {
  target: LiveTarget;
  fetch: FetchLike;
  timers?: Timers;
  intervalMs?: number;
  clusterIntervalMs?: number;
  maxBackoffMs?: number;
  maxFailures?: number;
  timeoutMs?: number;
  clusterTimeoutMs?: number;
  maxBytes?: number;
  /** Wall-clock label for state lines; local HH:MM:SS by default. */
  clockLabel?: (ms: number) => string;
  onTimeline(doc: Record<string, unknown>, at: number): void;
  onCluster?(doc: Record<string, unknown>, at: number): void;
  onEvent?(e: PollEvent): void;
  onState?(s: PollerState): void;
}

export const POLL_DEFAULTS = {
  intervalMs: 2000,
  clusterIntervalMs: 15_000,
  maxBackoffMs: 30_000,
  maxFailures: 10,
  timeoutMs: 8000,
  // The bundle is gathered from every node by the API node: it may take its peers' timeouts.
  clusterTimeoutMs: 20_000,
};

/** Local wall-clock HH:MM:SS. */
export const localClock = (ms: number): string => {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
};

export class LivePoller {
  private readonly timers: Timers;
  private readonly opts: Required<Omit<PollerOptions, "onCluster" | "onEvent" | "onState" | "maxBytes">> &
    PollerOptions;
  private status: PollerStatus = "idle";
  private message = "not started";
  /** Failures in a row since the last success or resume: what stops the loop. */
  private failures = 0;
  /** Failures since the last success, across resumes: what "reconnected" reports. */
  private outageFailures = 0;
  private failingSince: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastClusterAt: number | null = null;
  private nextPollAt: number | null = null;
  private polls = 0;
  private timer: unknown = null;
  private inflight: AbortController | null = null;
  /** Bumped by pause/stop/resume: a poll that finishes after one of them is dropped. */
  private generation = 0;

  constructor(options: PollerOptions) {
    this.timers = options.timers ?? realTimers;
    this.opts = { ...POLL_DEFAULTS, clockLabel: localClock, timers: this.timers, ...options };
  }

  get state(): PollerState {
    return {
      status: this.status,
      message: this.message,
      consecutiveFailures: this.failures,
      failingSince: this.failingSince,
      lastSuccessAt: this.lastSuccessAt,
      nextPollAt: this.nextPollAt,
      polls: this.polls,
    };
  }

  get intervalMs(): number {
    return this.opts.intervalMs;
  }

  /** Changes the timeline interval; takes effect from the next poll. */
  setInterval(ms: number): void {
    if (!(ms >= 250)) throw new Error("the poll interval must be at least 250 ms");
    this.opts.intervalMs = ms;
  }

  start(): void {
    if (this.status !== "idle") return;
    this.schedule(0);
  }

  pause(): void {
    if (this.status === "stopped" || this.status === "paused") return;
    this.cancel();
    this.set("paused", "paused");
  }

  /** Resumes a paused or stopped loop at once, with a fresh count towards stopping. */
  resume(): void {
    if (this.status !== "paused" && this.status !== "stopped") return;
    this.cancel();
    this.failures = 0;
    this.opts.onEvent?.({ kind: "resumed", at: this.timers.now() });
    this.schedule(0);
  }

  stop(reason = "stopped by the user"): void {
    if (this.status === "stopped") return;
    this.cancel();
    this.set("stopped", `stopped: ${reason}`);
    this.opts.onEvent?.({ kind: "stopped", at: this.timers.now(), reason });
  }

  private cancel(): void {
    this.generation++;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.inflight?.abort();
    this.inflight = null;
    this.nextPollAt = null;
  }

  private set(status: PollerStatus, message: string): void {
    this.status = status;
    this.message = message;
    this.opts.onState?.(this.state);
  }

  private schedule(delayMs: number, status: PollerStatus = "waiting", message?: string): void {
    const gen = this.generation;
    this.nextPollAt = this.timers.now() + delayMs;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (gen === this.generation) void this.tick(gen);
    }, delayMs);
    this.set(status, message ?? `polling every ${this.opts.intervalMs / 1000} s`);
  }

  private async get(url: string, endpoint: Endpoint): Promise<Record<string, unknown>> {
    const abort = new AbortController();
    this.inflight = abort;
    const got = await getText(this.opts.fetch, url, {
      timers: this.timers,
      timeoutMs: endpoint === "timeline" ? this.opts.timeoutMs : this.opts.clusterTimeoutMs,
      maxBytes: this.opts.maxBytes,
      signal: abort.signal,
    });
    const doc = parseJsonObject(got.text, `the ${endpoint} answer`);
    if (endpoint === "timeline" && !Array.isArray(doc.timeline))
      throw new Error(
        `not a Skulk cluster timeline (no "timeline" list; keys: ${Object.keys(doc).slice(0, 6).join(", ")})`,
      );
    if (endpoint === "cluster" && !Array.isArray(doc.nodes))
      throw new Error(`not a Skulk cluster diagnostics bundle (no "nodes" list)`);
    return doc;
  }

  private backoff(failures: number): number {
    return Math.min(this.opts.maxBackoffMs, this.opts.intervalMs * 2 ** (failures - 1));
  }

  private async tick(gen: number): Promise<void> {
    const started = this.timers.now();
    this.nextPollAt = null;
    this.set("polling", "polling");
    let timeline: Record<string, unknown>;
    try {
      timeline = await this.get(this.opts.target.timelineUrl, "timeline");
    } catch (e) {
      if (gen !== this.generation) return;
      return this.failed((e as Error).message);
    }
    if (gen !== this.generation) return;
    const at = this.timers.now();
    this.polls++;
    this.lastSuccessAt = at;
    if (this.failingSince !== null) {
      this.opts.onEvent?.({
        kind: "reconnected",
        at,
        downSince: this.failingSince,
        failures: this.outageFailures,
      });
    }
    this.failures = 0;
    this.outageFailures = 0;
    this.failingSince = null;
    try {
      this.opts.onTimeline(timeline, at);
    } catch (e) {
      return this.failed(`the timeline could not be merged: ${(e as Error).message}`);
    }
    // The callbacks may have paused or stopped the loop.
    if (gen !== this.generation) return;
    if (
      this.opts.onCluster &&
      (this.lastClusterAt === null || at - this.lastClusterAt >= this.opts.clusterIntervalMs)
    ) {
      this.lastClusterAt = at;
      try {
        const bundle = await this.get(this.opts.target.clusterUrl, "cluster");
        if (gen !== this.generation) return;
        this.opts.onCluster(bundle, this.timers.now());
      } catch (e) {
        if (gen !== this.generation) return;
        // The bundle is extra (names, state): its failure does not count against the cluster.
        this.opts.onEvent?.({
          kind: "poll-failed",
          at: this.timers.now(),
          endpoint: "cluster",
          error: (e as Error).message,
          consecutive: 0,
          retryInMs: this.opts.clusterIntervalMs,
        });
      }
    }
    if (gen !== this.generation) return;
    this.inflight = null;
    const elapsed = this.timers.now() - started;
    this.schedule(Math.max(0, this.opts.intervalMs - elapsed));
  }

  private failed(error: string): void {
    const at = this.timers.now();
    this.inflight = null;
    this.failures++;
    this.outageFailures++;
    this.failingSince ??= at;
    const stop = this.failures >= this.opts.maxFailures;
    const retryInMs = stop ? null : this.backoff(this.failures);
    this.opts.onEvent?.({
      kind: "poll-failed",
      at,
      endpoint: "timeline",
      error,
      consecutive: this.failures,
      retryInMs,
    });
    if (stop) {
      const reason = `cluster unreachable since ${this.opts.clockLabel(this.failingSince)}`;
      this.generation++;
      this.set("stopped", `stopped: ${reason}`);
      this.opts.onEvent?.({ kind: "stopped", at, reason });
      return;
    }
    this.schedule(
      retryInMs!,
      "backing-off",
      `${error}; retrying in ${retryInMs! / 1000} s (${this.failures} of ${this.opts.maxFailures} failures)`,
    );
  }
}
