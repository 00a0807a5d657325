import { useShallow } from "zustand/react/shallow";
import { localClock } from "../../../shared/live/poller";
import {
  backToLive,
  closeLive,
  pauseLive,
  resumeLive,
  saveSnapshot,
  saveToLibrary,
  stopLive,
} from "./controller";
import { useLive } from "./store";

const TONE: Record<string, string> = {
  "poll-failed": "bad",
  stopped: "bad",
  "node-unreachable": "warn",
  gap: "warn",
  "bad-entries": "warn",
  reconnected: "good",
  "node-reachable": "good",
  resumed: "good",
};

/**
 * The live session under the toolbar: what the poller is doing and since when, how much
 * history is held, which nodes answer, and the controls. Every failure, reconnect, gap and
 * stop is listed with its time in the events panel; nothing is retried silently.
 */
export function LiveStrip() {
  const live = useLive(
    useShallow((s) => ({
      active: s.active,
      label: s.label,
      state: s.state,
      stats: s.stats,
      following: s.following,
      ended: s.ended,
      saved: s.saved,
      message: s.message,
      events: s.events,
      eventsOpen: s.eventsOpen,
    })),
  );
  if (!live.active) return null;
  const { state, stats } = live;
  const status = live.ended ? "ended" : (state?.status ?? "idle");
  const paused = status === "paused";
  const halted = status === "stopped" && !live.ended;
  const tone = status === "backing-off" ? "warn" : halted ? "bad" : paused || live.ended ? "idle" : "good";
  const down = stats?.nodes.filter((n) => n.unreachableSince !== null) ?? [];
  const maxPerRunner = stats ? Math.max(0, ...Object.values(stats.perRunner)) : 0;
  const failures = live.events.filter((e) => e.kind === "poll-failed").length;
  return (
    <div className="live" data-testid="live-strip">
      <div className="live-strip">
        <span className={`live-dot live-${tone}`} aria-hidden />
        <b data-testid="live-status">
          {live.ended ? "ended" : status === "stopped" ? "stopped" : status === "paused" ? "paused" : "live"}
        </b>
        <span className="live-target" title="the cluster this session polls">
          {live.label}
        </span>
        <span className="dim" data-testid="live-message">
          {live.ended ? "polling ended" : state?.message}
        </span>
        <span data-testid="live-polls">
          {state?.polls ?? 0} polls
          {state?.lastSuccessAt ? (
            <span className="dim"> · last {localClock(state.lastSuccessAt)}</span>
          ) : null}
        </span>
        {(state?.consecutiveFailures ?? 0) > 0 || failures > 0 ? (
          <span className="live-bad" data-testid="live-failures">
            {failures} failed
            {state?.failingSince ? ` · down since ${localClock(state.failingSince)}` : ""}
          </span>
        ) : null}
        {stats && (
          <span data-testid="live-entries" title="entries held; Skulk itself keeps the last 128 per runner">
            {stats.entries} entries (up to {maxPerRunner} a runner) · {stats.gaps} gap
            {stats.gaps === 1 ? "" : "s"}
          </span>
        )}
        {stats && (
          <span data-testid="live-nodes">
            {stats.nodes.length} node{stats.nodes.length === 1 ? "" : "s"}
            {down.map((n) => (
              <span key={n.nodeId} className="live-bad" title={n.nodeId}>
                {" "}
                · {n.name ?? n.nodeId.slice(0, 12)} unreachable since {localClock(n.unreachableSince!)}
              </span>
            ))}
          </span>
        )}
        <span className="live-actions">
          {!live.ended && !paused && !halted && (
            <button onClick={pauseLive} data-testid="live-pause" title="Stop polling for now; Resume goes on">
              Pause
            </button>
          )}
          {(paused || halted) && (
            <button onClick={resumeLive} data-testid="live-resume">
              Resume
            </button>
          )}
          {!live.following && !live.ended && (
            <button onClick={backToLive} data-testid="live-back" title="Follow the newest data again (L)">
              Back to live
            </button>
          )}
          <button
            onClick={() => void saveSnapshot()}
            data-testid="live-snapshot"
            title="The history as a Skulk cluster timeline file"
          >
            Save snapshot…
          </button>
          {!live.ended && (
            <button onClick={() => void saveToLibrary()} data-testid="live-save">
              Save to library
            </button>
          )}
          {!live.ended && (
            <button
              onClick={() => void stopLive()}
              data-testid="live-stop"
              title="End polling and keep the history in the library"
            >
              Stop
            </button>
          )}
          <button
            onClick={() => useLive.getState().set({ eventsOpen: !live.eventsOpen })}
            aria-pressed={live.eventsOpen}
            data-testid="live-events-toggle"
          >
            Events ({live.events.length})
          </button>
          {live.ended && (
            <button
              onClick={closeLive}
              data-testid="live-close"
              title="Hide this strip; the saved dataset stays open"
            >
              Close
            </button>
          )}
        </span>
      </div>
      {(live.saved || live.message) && (
        <div className="live-note" data-testid="live-note">
          {live.saved && (
            <span data-testid="live-saved">
              Saved to the library as “{live.saved.name}” ({live.saved.entries} entries).
            </span>
          )}{" "}
          {live.message && <span className="live-bad">{live.message}</span>}
        </div>
      )}
      {live.eventsOpen && (
        <ol className="live-events" data-testid="live-events" reversed>
          {live.events.length ? (
            [...live.events].reverse().map((e, i) => (
              <li key={live.events.length - i} className={`live-${TONE[e.kind] ?? "idle"}`}>
                {e.line}
              </li>
            ))
          ) : (
            <li className="dim">Nothing happened yet: every poll has worked.</li>
          )}
        </ol>
      )}
    </div>
  );
}
