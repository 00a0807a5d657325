import type { LaneLod } from "../../../shared/model/lod";
import type { LaneData } from "../../../shared/model/types";
import type { RankscopeApi } from "../../../shared/ipc/contract";
import type { PickedFile } from "../ingest/dropWalk";
import type { IngestOutcome } from "../ingest/protocol";
import { CancelledError, type Host, type IngestHandle, type IngestListeners } from "./host";
import { webHost } from "./web";

function ingestViaMain(api: RankscopeApi, paths: string[], listeners: IngestListeners): IngestHandle {
  let jobId: string | null = null;
  let cancelled = false;
  const lanes: LaneData[] = [];
  const lods: LaneLod[] = [];
  let reject: (e: Error) => void = () => {};
  const offs: (() => void)[] = [];
  const result = new Promise<IngestOutcome>((resolve, rej) => {
    reject = rej;
    const mine = (id: string) => jobId !== null && id === jobId;
    offs.push(
      api.on("ingest:progress", (p) => mine(p.jobId) && listeners.onProgress(p)),
      api.on("ingest:file", (m) => mine(m.jobId) && listeners.onFile(m.report)),
      api.on("ingest:picture", (m) => mine(m.jobId) && listeners.onPicture?.(m.lanes, m.lods)),
      api.on("ingest:lanes", (m) => {
        if (!mine(m.jobId)) return;
        m.lanes.forEach((l, i) => {
          lanes.push(l);
          const lod = m.lods[i];
          if (lod) lods[lanes.length - 1] = lod;
        });
      }),
      api.on(
        "ingest:done",
        (m) =>
          mine(m.jobId) && resolve({ originSec: m.originSec, lanes, lods, files: m.files, notes: m.notes }),
      ),
      api.on(
        "ingest:error",
        (m) => mine(m.jobId) && rej(m.cancelled ? new CancelledError() : new Error(m.message)),
      ),
    );
    api.startIngest(paths).then(
      (r) => {
        jobId = r.jobId;
        if (cancelled) void api.cancelIngest(r.jobId);
      },
      (e: Error) => rej(e),
    );
  });
  const done = result.finally(() => offs.forEach((off) => off()));
  return {
    result: done,
    cancel() {
      cancelled = true;
      if (jobId) void api.cancelIngest(jobId);
      reject(new CancelledError());
    },
  };
}

/** The desktop host: main reads files; everything else is as in web mode. */
export function electronHost(api: RankscopeApi): Host {
  return {
    ...webHost,
    kind: "electron",
    ingestFiles(files: PickedFile[], listeners) {
      const paths = files.map((f) => api.pathForFile(f.file)).filter(Boolean);
      return paths.length ? ingestViaMain(api, paths, listeners) : webHost.ingestFiles(files, listeners);
    },
    ingestPaths: (paths, listeners) => ingestViaMain(api, paths, listeners),
    launchPaths: () => api.launchPaths(),
    openFolderDialog: () => api.openFolderDialog(),
    savePng: (data, name) => api.savePng(data, name),
    saveJson: (text, name) => api.saveJson(text, name),
    copyPng: (data) => api.copyPng(data),
    onMenu(event, run) {
      return api.on(`menu:${event}`, run);
    },
    live: {
      anyUrl: true,
      launchTarget: () => api.liveLaunchTarget(),
      setTarget: (url) => api.setLiveTarget(url),
      transport: () => ({ kind: "relay" }),
      relay: (endpoint) => api.liveFetch(endpoint),
    },
  };
}
