import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_NODES, generateSkulkDemo } from "../../../shared/demo/skulkDemo";
import type { EventMap } from "../../../shared/ipc/contract";
import { registerHandlers } from "../../../electron/handlers";
import { IngestJobs } from "../../../electron/ingestJobs";
import { ingestPaths } from "../../../electron/host/ingestThreads";
import { INTERNAL } from "../../../electron/internal";
import { trustSenders } from "../../../electron/ipc";
import { PathAllowlist } from "../../../electron/paths";
import { AppOrigins } from "../../../electron/security";
import { electron, FakeWebContents, ipcMain } from "./electronMock";

vi.mock("electron", async () => (await import("./electronMock")).electron);

const tmp = mkdtempSync(path.join(tmpdir(), "rankscope-ipc-"));
const given = path.join(tmp, "given");
const other = path.join(tmp, "other");
const picked = path.join(tmp, "picked");
const dropped = path.join(tmp, "dropped");
const jsonl = generateSkulkDemo().find((f) => f.path.endsWith(".jsonl"))!;
for (const dir of [given, other, picked, dropped]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "flight-recorder-rank0.jsonl"), jsonl.content);
}

// A link inside the granted folder that leads out of it, to a folder the user never gave.
symlinkSync(other, path.join(given, "other-link"));

const launchPaths: string[] = [];
const allowlist = new PathAllowlist();
allowlist.grant([given], "argv");
let workerFile = "";
const jobs = new IngestJobs((paths, opts) => ingestPaths(paths, workerFile, { ...opts, threads: 2 }));

const contents = new FakeWebContents();
const fromApp = { sender: contents, senderFrame: { url: "app://rankscope/index.html", parent: null } };
const invoke = (channel: string, ...args: unknown[]) => ipcMain.invoke(channel, fromApp, ...args);

type Sent = { [E in keyof EventMap]: { channel: E; payload: EventMap[E] } }[keyof EventMap];
const eventsOf = (jobId: string) =>
  (contents.sent as Sent[]).filter((e) => (e.payload as { jobId?: string }).jobId === jobId);
const finished = (jobId: string) =>
  vi.waitFor(
    () =>
      expect(eventsOf(jobId).some((e) => e.channel === "ingest:done" || e.channel === "ingest:error")).toBe(
        true,
      ),
    {
      timeout: 20_000,
    },
  );

beforeAll(async () => {
  // The real worker, bundled as the build does, so the test runs the thread main would.
  workerFile = path.join(tmp, "ingestWorker.cjs");
  await build({
    entryPoints: [path.resolve(__dirname, "../../../electron/ingestWorker.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: workerFile,
    external: ["sql.js"],
    logLevel: "warning",
  });
  trustSenders(new AppOrigins(null));
  registerHandlers({ allowlist, launchPaths, jobs });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("launch", () => {
  it("reports the command-line paths, and wants the demo only when there are none", async () => {
    expect(await invoke("app:wants-demo")).toBe(true);
    launchPaths.push(given);
    expect(await invoke("app:launch-paths")).toEqual([given]);
    expect(await invoke("app:wants-demo")).toBe(false);
    launchPaths.length = 0;
  });
});

describe("ingest:start", () => {
  it("reads a folder the user gave in a worker and streams progress, lanes, then done", async () => {
    const { jobId } = (await invoke("ingest:start", [given])) as { jobId: string };
    await finished(jobId);
    const events = eventsOf(jobId);
    const order = events.map((e) => e.channel).filter((c) => c !== "ingest:file");
    expect(order[0]).toBe("ingest:progress");
    expect(order.at(-1)).toBe("ingest:done");
    const firstLanes = order.indexOf("ingest:lanes");
    expect(firstLanes).toBeGreaterThan(0);
    expect(order.slice(firstLanes, -1).every((c) => c === "ingest:lanes")).toBe(true);

    const lanes = events.flatMap((e) => (e.channel === "ingest:lanes" ? e.payload.lanes : []));
    expect(lanes).toHaveLength(1);
    // The flight-recorder dump alone gives the node's id but not its name.
    expect(lanes[0].info).toMatchObject({ node: DEMO_NODES.a.id, nodeName: null, rank: 0, worldSize: 4 });
    // Typed arrays arrive as typed arrays (structured clone), not as JSON objects.
    expect(lanes[0].spans.start).toBeInstanceOf(Float64Array);
    expect(lanes[0].spans.start.length).toBeGreaterThan(0);

    const done = events.at(-1)!.payload as EventMap["ingest:done"];
    // The link out of the folder is listed, as a warning, and not followed.
    expect(done.files.map((f) => [f.path, f.format])).toEqual([
      ["given/other-link", "unknown"],
      ["given/flight-recorder-rank0.jsonl", "skulk.flight-recorder"],
    ]);
    expect(done.files[0].warnings).toEqual([
      `a symbolic link to ${realpathSync(other)}, outside the folders you opened: not followed`,
    ]);
    const files = events.filter((e) => e.channel === "ingest:file");
    expect(files).toHaveLength(2);
    expect(jobs.running).toBe(0);
  });

  it("accepts a file inside a folder the user gave", async () => {
    const { jobId } = (await invoke("ingest:start", [path.join(given, "flight-recorder-rank0.jsonl")])) as {
      jobId: string;
    };
    await finished(jobId);
    expect(eventsOf(jobId).at(-1)!.channel).toBe("ingest:done");
  });

  it("refuses paths the user did not give, and starts nothing", async () => {
    const before = contents.sent.length;
    for (const bad of [
      [other],
      [given, "/etc/passwd"],
      [path.join(given, "..", "other")],
      [path.join(given, "other-link")],
      [path.join(given, "other-link", "flight-recorder-rank0.jsonl")],
      ["given"],
      [],
      "/etc",
      [42],
    ]) {
      await expect(invoke("ingest:start", bad)).rejects.toThrow(/not opened by the user|no paths/);
    }
    expect(jobs.running).toBe(0);
    expect(contents.sent.length).toBe(before);
  });

  it("refuses callers other than the app's own top-level page", async () => {
    const evil = { sender: contents, senderFrame: { url: "https://evil.example/", parent: null } };
    const framed = { sender: contents, senderFrame: { url: "app://rankscope/index.html", parent: {} } };
    const gone = { sender: contents, senderFrame: null };
    for (const event of [evil, framed, gone]) {
      await expect(ipcMain.invoke("ingest:start", event, [given])).rejects.toThrow(/sender is not the app/);
    }
  });

  it("stops a job on cancel: an error marked cancelled, and nothing after it", async () => {
    const { jobId } = (await invoke("ingest:start", [given])) as { jobId: string };
    await invoke("ingest:cancel", jobId);
    const events = eventsOf(jobId);
    expect(events.at(-1)).toEqual({
      channel: "ingest:error",
      payload: { jobId, message: "import cancelled", cancelled: true },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsOf(jobId)).toHaveLength(events.length);
    expect(jobs.running).toBe(0);
  });
});

describe("paths the user gives later", () => {
  it("Open Folder allows what the user picked, and nothing when cancelled", async () => {
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await invoke("dialog:open-folder")).toBeNull();
    await expect(invoke("ingest:start", [picked])).rejects.toThrow();

    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [picked] });
    expect(await invoke("dialog:open-folder")).toEqual([picked]);
    expect(electron.dialog.showOpenDialog.mock.lastCall!.at(-1)).toMatchObject({
      properties: expect.arrayContaining(["openDirectory", "openFile", "multiSelections"]),
    });
    const { jobId } = (await invoke("ingest:start", [picked])) as { jobId: string };
    await finished(jobId);
  });

  it("a drop the preload reported allows those paths; other senders and missing paths do not count", async () => {
    const evil = { sender: contents, senderFrame: { url: "https://evil.example/", parent: null } };
    ipcMain.emit(INTERNAL.registerDropped, evil, [dropped]);
    ipcMain.emit(INTERNAL.registerDropped, fromApp, [path.join(tmp, "missing"), "relative/x"]);
    await expect(invoke("ingest:start", [dropped])).rejects.toThrow();
    await expect(invoke("ingest:start", [path.join(tmp, "missing")])).rejects.toThrow();

    ipcMain.emit(INTERNAL.registerDropped, fromApp, [dropped]);
    const { jobId } = (await invoke("ingest:start", [dropped])) as { jobId: string };
    await finished(jobId);
  });
});

describe("saving and the clipboard", () => {
  const png = PNG.sync.write(Object.assign(new PNG({ width: 2, height: 2 }), {}));

  it("writes a PNG where the user chose, suggesting a bare file name", async () => {
    const target = path.join(tmp, "out.png");
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    expect(await invoke("file:save-png", new Uint8Array(png), "../../evil:name")).toBe(target);
    expect(readFileSync(target).equals(png)).toBe(true);
    expect(electron.dialog.showSaveDialog.mock.lastCall!.at(-1)).toMatchObject({
      defaultPath: "evil_name.png",
    });
  });

  it("returns null when the Save dialog is cancelled, and writes nothing", async () => {
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: "" });
    expect(await invoke("file:save-json", "{}", "notes.json")).toBeNull();
    await expect(invoke("file:save-png", "not bytes", "x.png")).rejects.toThrow(/PNG bytes/);
  });

  it("writes JSON text", async () => {
    const target = path.join(tmp, "notes.json");
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    expect(await invoke("file:save-json", '{"a":1}', "notes")).toBe(target);
    expect(readFileSync(target, "utf8")).toBe('{"a":1}');
    expect(electron.dialog.showSaveDialog.mock.lastCall!.at(-1)).toMatchObject({ defaultPath: "notes.json" });
  });

  it("puts a PNG on the clipboard and refuses bytes that are not an image", async () => {
    await invoke("clipboard:write-png", new Uint8Array(png));
    expect(electron.clipboard.write).toHaveBeenCalledTimes(1);
    const [items] = electron.clipboard.write.mock.calls[0] as unknown as [{ items: Record<string, Blob> }[]];
    expect(Object.keys(items[0].items)).toEqual(["image/png"]);
    expect(new Uint8Array(await items[0].items["image/png"].arrayBuffer())).toEqual(new Uint8Array(png));
    await expect(invoke("clipboard:write-png", new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a PNG/);
    expect(electron.clipboard.write).toHaveBeenCalledTimes(1);
  });
});
