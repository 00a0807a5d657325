import { beforeAll, describe, expect, it, vi } from "vitest";
import { EVENT_CHANNELS, INVOKE_FUNCTIONS, type RankscopeApi } from "../../../shared/ipc/contract";
import { INTERNAL } from "../../../electron/internal";
import { electron } from "./electronMock";

vi.mock("electron", async () => (await import("./electronMock")).electron);

type PageListener = (e: { isTrusted: boolean; target?: unknown; dataTransfer?: unknown }) => void;
const pageListeners = new Map<string, { fn: PageListener; capture: boolean }>();
let api: RankscopeApi;

beforeAll(async () => {
  // The page's window, as far as the preload touches it.
  vi.stubGlobal("addEventListener", (type: string, fn: PageListener, capture: boolean) =>
    pageListeners.set(type, { fn, capture }),
  );
  await import("../../../electron/preload");
  const [name, exposed] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [
    string,
    RankscopeApi,
  ];
  expect(name).toBe("rankscope");
  api = exposed;
});

const fileAt = (path: string) => ({ path });

describe("window.rankscope", () => {
  it("exposes exactly the contract's functions, on, pathForFile and platform", () => {
    expect(Object.keys(api).sort()).toEqual(
      [...Object.keys(INVOKE_FUNCTIONS), "on", "pathForFile", "platform"].sort(),
    );
    expect(api.platform).toBe(process.platform);
  });

  it("each function invokes its own channel with the caller's arguments", async () => {
    for (const [name, channel] of Object.entries(INVOKE_FUNCTIONS)) {
      electron.ipcRenderer.invoke.mockClear();
      await (api[name as keyof typeof INVOKE_FUNCTIONS] as (...a: unknown[]) => Promise<unknown>)("a", 1);
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(channel, "a", 1);
    }
  });

  it("subscribes to contract events only, passes the payload alone, and unsubscribes", () => {
    const listener = vi.fn();
    const off = api.on("ingest:done", listener);
    const [channel, forward] = electron.ipcRenderer.on.mock.lastCall as unknown as [
      string,
      (...a: unknown[]) => void,
    ];
    expect(channel).toBe("ingest:done");
    forward({ sender: "ipcRenderer itself" }, { jobId: "j" });
    expect(listener).toHaveBeenCalledWith({ jobId: "j" });
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith("ingest:done", forward);

    expect(() => api.on("ingest:start" as never, vi.fn())).toThrow(/unknown event/);
    for (const event of EVENT_CHANNELS) expect(() => api.on(event, vi.fn())()).not.toThrow();
  });

  it("resolves a dropped File to its path with webUtils", () => {
    expect(api.pathForFile(fileAt("/home/ana/runs") as never)).toBe("/home/ana/runs");
  });
});

describe("files the user drops or picks", () => {
  const sentPaths = () =>
    electron.ipcRenderer.send.mock.calls
      .filter((c) => (c as unknown[])[0] === INTERNAL.registerDropped)
      .map((c) => (c as unknown[])[1]);

  it("listens in the capture phase, before the page's own handlers", () => {
    expect(pageListeners.get("drop")?.capture).toBe(true);
    expect(pageListeners.get("change")?.capture).toBe(true);
  });

  it("reports the paths of a trusted drop to main, and ignores a drop page script made up", () => {
    electron.ipcRenderer.send.mockClear();
    const drop = pageListeners.get("drop")!.fn;
    drop({ isTrusted: false, dataTransfer: { files: [fileAt("/home/ana/.ssh")] } });
    expect(sentPaths()).toEqual([]);
    drop({ isTrusted: true, dataTransfer: { files: [fileAt("/data/run-1"), fileAt("")] } });
    expect(sentPaths()).toEqual([["/data/run-1"]]);
  });

  it("reports files picked in a file input, only from trusted change events", () => {
    electron.ipcRenderer.send.mockClear();
    const change = pageListeners.get("change")!.fn;
    change({ isTrusted: true, target: { type: "text", files: [fileAt("/x")] } });
    change({ isTrusted: false, target: { type: "file", files: [fileAt("/y")] } });
    change({ isTrusted: true, target: { type: "file", files: [fileAt("/data/a.jsonl")] } });
    expect(sentPaths()).toEqual([["/data/a.jsonl"]]);
  });
});
