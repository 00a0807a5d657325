import { useEffect, useState } from "react";
import { SKULK_DEFAULT_PORT } from "../../../shared/live/target";
import { host } from "../host";
import { attachLive } from "./controller";
import { LIVE_DEFAULTS, useLive } from "./store";

/**
 * File → Attach to cluster…: the Skulk API's URL, how often to poll, and how long a rank may
 * sit in one phase before Findings flags it. Web mode can reach only the cluster its
 * launcher proxies, so it shows that URL and says so.
 */
export function AttachDialog() {
  const open = useLive((s) => s.dialogOpen);
  const launchProblem = useLive((s) => s.message);
  const [url, setUrl] = useState(`http://localhost:${SKULK_DEFAULT_PORT}`);
  const [launched, setLaunched] = useState<string | null>(null);
  const [interval, setIntervalSec] = useState(LIVE_DEFAULTS.intervalMs / 1000);
  const [threshold, setThreshold] = useState(LIVE_DEFAULTS.hangThresholdMs / 1000);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    void host.live
      .launchTarget()
      .catch(() => null)
      .then((t) => {
        setLaunched(t?.label ?? null);
        if (t) setUrl(t.label);
      });
  }, [open]);
  useEffect(() => host.onMenu("attach", () => useLive.getState().set({ dialogOpen: true })), []);
  if (!open) return null;
  const close = () => useLive.getState().set({ dialogOpen: false, message: null });
  const submit = async () => {
    if (!(interval >= 0.25 && interval <= 3600)) return setError("Poll every 0.25 s to 3600 s.");
    if (!(threshold > 0)) return setError("The hang threshold is a number of seconds above 0.");
    setBusy(true);
    const why = await attachLive(url, { intervalMs: interval * 1000, hangThresholdMs: threshold * 1000 });
    setBusy(false);
    setError(why);
  };
  const fixed = !host.live.anyUrl;
  return (
    <div className="modal-backdrop" onClick={close}>
      <form
        className="modal"
        role="dialog"
        aria-label="Attach to cluster"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        data-testid="attach-dialog"
      >
        <h3>Attach to a Skulk cluster</h3>
        <label>
          Skulk API{" "}
          <input
            size={34}
            value={url}
            readOnly={fixed && launched !== null}
            onChange={(e) => setUrl(e.currentTarget.value)}
            data-testid="attach-url"
            autoFocus
          />
        </label>
        {fixed && (
          <div className="dim attach-note">
            {launched
              ? `Web mode attaches only to the URL its launcher was started with (${launched}). For another cluster, run rankscope --web --attach URL.`
              : "This launcher was started without a cluster. Run rankscope --web --attach http://HOST:52415 and open the URL it prints."}
          </div>
        )}
        <label>
          Poll every{" "}
          <input
            type="number"
            min={0.25}
            step={0.25}
            value={interval}
            onChange={(e) => setIntervalSec(Number(e.currentTarget.value))}
            data-testid="attach-interval"
          />{" "}
          s
        </label>
        <label>
          Flag a rank in one phase for over{" "}
          <input
            type="number"
            min={1}
            value={threshold}
            onChange={(e) => setThreshold(Number(e.currentTarget.value))}
            data-testid="attach-threshold"
          />{" "}
          s
        </label>
        <div className="dim attach-note">
          Rankscope GETs /v1/diagnostics/cluster/timeline at that interval and /v1/diagnostics/cluster every
          15 s from this URL only, and keeps every entry it sees, past Skulk&apos;s 128 per runner.
        </div>
        {(error ?? launchProblem) && (
          <div className="banner banner-error" role="alert" data-testid="attach-error">
            {error ?? launchProblem}
          </div>
        )}
        <div className="modal-actions">
          <button type="submit" disabled={busy || (fixed && !launched)} data-testid="attach-start">
            Attach
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
