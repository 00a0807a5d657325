import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { trustSenders } from "../../../electron/ipc";
import { liveLaunchArgs, LiveTargets, registerLiveHandlers } from "../../../electron/live";
import { AppOrigins } from "../../../electron/security";
import type { FetchLike } from "../../../shared/live/http";
import { startFakeSkulk, type FakeSkulk } from "../../fake-skulk/server";
import { FakeWebContents, ipcMain } from "./electronMock";

vi.mock("electron", async () => (await import("./electronMock")).electron);

const contents = new FakeWebContents();
const fromApp = { sender: contents, senderFrame: { url: "app://rankscope/index.html", parent: null } };
const invoke = (channel: string, ...args: unknown[]) => ipcMain.invoke(channel, fromApp, ...args);

let fake: FakeSkulk;
const targets = new LiveTargets();
const asked: string[] = [];

beforeAll(async () => {
  fake = await startFakeSkulk({ timeLimitMs: 20_000 });
  const fetch: FetchLike = (url, init) => {
    asked.push(url);
    return globalThis.fetch(url, init) as unknown as ReturnType<FetchLike>;
  };
  trustSenders(new AppOrigins(null));
  registerLiveHandlers({ targets, fetch });
});
afterAll(() => fake.close());

describe("live attach over IPC", () => {
  it("fetches nothing before a cluster is given", async () => {
    expect(await invoke("live:launch-target")).toBeNull();
    expect(await invoke("live:fetch", "timeline")).toEqual({
      ok: false,
      error: "not attached: give a cluster URL first",
    });
    expect(asked).toEqual([]);
  });

  it("refuses URLs it may not attach to, and keeps no target from them", async () => {
    expect(await invoke("live:set-target", "file:///etc/passwd")).toEqual({
      ok: false,
      error: 'only http and https URLs can be attached (got "file:")',
    });
    expect(await invoke("live:set-target", "http://admin:secret@10.0.0.2:52415")).toEqual({
      ok: false,
      error: "the URL carries a user name or password; give the address without it",
    });
    expect(await invoke("live:set-target", 42)).toEqual({
      ok: false,
      error: "live:set-target: expected a URL",
    });
    expect(targets.current).toBeNull();
  });

  it("GETs the two endpoints of the dialog's cluster, and only those", async () => {
    expect(await invoke("live:set-target", `${fake.url}/v1/diagnostics/cluster/timeline`)).toEqual({
      ok: true,
      label: fake.url,
    });
    const timeline = (await invoke("live:fetch", "timeline")) as { ok: true; text: string };
    expect(timeline.ok).toBe(true);
    expect(JSON.parse(timeline.text).runners).toHaveLength(fake.cluster.runners.length);
    const bundle = (await invoke("live:fetch", "cluster")) as { ok: true; text: string };
    expect(JSON.parse(bundle.text).nodes).toHaveLength(fake.cluster.nodes.length);
    for (const endpoint of ["../../admin", "timeline/../..", { toString: () => "timeline" }])
      expect(await invoke("live:fetch", endpoint)).toMatchObject({ ok: false });
    expect(asked).toEqual([
      `${fake.url}/v1/diagnostics/cluster/timeline`,
      `${fake.url}/v1/diagnostics/cluster`,
    ]);
  });

  it("says why a poll failed in the network's words, without throwing across IPC", async () => {
    await fetch(`${fake.url}/_control/outage`, { method: "POST", body: JSON.stringify({ mode: "error" }) });
    expect(await invoke("live:fetch", "timeline")).toEqual({
      ok: false,
      error: "HTTP 503 Service Unavailable",
    });
    await fetch(`${fake.url}/_control/redirect`, {
      method: "POST",
      body: JSON.stringify({ to: "http://169.254.169.254/latest" }),
    });
    await fetch(`${fake.url}/_control/outage`, { method: "POST", body: JSON.stringify({ mode: null }) });
    expect(await invoke("live:fetch", "timeline")).toEqual({
      ok: false,
      error: `redirect refused (to http://169.254.169.254/latest): only ${fake.url} is contacted`,
    });
  });

  it("answers only the app's own top-level page", async () => {
    for (const senderFrame of [
      { url: "https://evil.example/", parent: null },
      { url: "app://rankscope/index.html", parent: {} },
      null,
    ]) {
      await expect(
        ipcMain.invoke("live:fetch", { sender: contents, senderFrame }, "timeline"),
      ).rejects.toThrow("live:fetch: refused, the sender is not the app");
      await expect(
        ipcMain.invoke("live:set-target", { sender: contents, senderFrame }, "http://10.0.0.9:52415"),
      ).rejects.toThrow("refused");
    }
    expect(targets.current?.label).toBe(fake.url);
  });
});

describe("the command line's cluster", () => {
  it("comes as --attach= and --interval= flags; a bad URL attaches to nothing", () => {
    expect(liveLaunchArgs(["electron", "main.cjs", "--attach=studio-a:8000", "--interval=0.5"])).toEqual({
      target: expect.objectContaining({ label: "http://studio-a:8000" }),
      intervalSec: 0.5,
    });
    expect(liveLaunchArgs(["electron", "--attach=http://h", "--interval=0.01"])?.intervalSec).toBeNull();
    expect(liveLaunchArgs(["electron", "--attach=ftp://h"])).toBeNull();
    expect(liveLaunchArgs(["electron", "logs"])).toBeNull();
  });
});
