import { afterEach, describe, expect, it, vi } from "vitest";
import type { IngestHandle, IngestListeners } from "../../../renderer/src/host/host";
import type { IngestOutcome } from "../../../renderer/src/ingest/protocol";
import { KEY_HEADER } from "../../../shared/ipc/webLaunch";

/** Loads web.ts afresh as a page at `href` would, with storage and history stubbed. */
async function loadPage(href: string, stored: Record<string, string> = {}) {
  vi.resetModules();
  const url = new URL(href);
  const location = { href: url.href, search: url.search, pathname: url.pathname, hash: url.hash };
  const replaceState = vi.fn((_s: unknown, _t: string, to: string) => {
    const next = new URL(to, url);
    Object.assign(location, {
      href: next.href,
      search: next.search,
      pathname: next.pathname,
      hash: next.hash,
    });
  });
  const storage = new Map(Object.entries(stored));
  vi.stubGlobal("location", location);
  vi.stubGlobal("history", { state: null, replaceState });
  vi.stubGlobal("sessionStorage", {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
  });
  const fetch = vi.fn(async (_u: string, _init?: RequestInit) =>
    Response.json({
      files: [{ path: "runs/a.jsonl", size: 10, lastModified: 5 }],
      notRead: [{ path: "runs/etc-link", message: "outside", skipped: true }],
    }),
  );
  vi.stubGlobal("fetch", fetch);
  const { webHost } = await import("../../../renderer/src/host/web");
  return { webHost, location, replaceState, storage, fetch };
}

afterEach(() => vi.unstubAllGlobals());

describe("web mode's page and the launch secret", () => {
  it("takes the secret out of the address bar, keeps it for the tab, and sends it to /api", async () => {
    const page = await loadPage("http://127.0.0.1:4780/?k=s3cret&demo#x");
    expect(page.location.search).toBe("?demo");
    expect(page.location.hash).toBe("#x");
    expect([...page.storage.values()]).toEqual(["s3cret"]);
    const served = await page.webHost.servedFiles!();
    expect(page.fetch).toHaveBeenCalledWith("./api/launch", {
      headers: { [KEY_HEADER]: "s3cret" },
      cache: "no-store",
    });
    expect(served.files).toEqual([
      {
        path: "runs/a.jsonl",
        size: 10,
        lastModified: 5,
        url: "http://127.0.0.1:4780/api/file/0",
        headers: { [KEY_HEADER]: "s3cret" },
      },
    ]);
    expect(served.notRead).toEqual([{ path: "runs/etc-link", message: "outside", skipped: true }]);
  });

  it("after a reload (no secret in the URL) uses the one kept for the tab", async () => {
    const page = await loadPage("http://127.0.0.1:4780/", { "rankscope:launch-key": "kept" });
    expect(page.replaceState).not.toHaveBeenCalled();
    await page.webHost.servedFiles!();
    expect(page.fetch.mock.calls[0][1]?.headers).toEqual({ [KEY_HEADER]: "kept" });
  });

  it("asks nothing of /api without a secret (the demo, or a page opened by hand)", async () => {
    const page = await loadPage("http://127.0.0.1:4780/?demo");
    expect(await page.webHost.servedFiles!()).toEqual({ files: [], notRead: [] });
    expect(page.fetch).not.toHaveBeenCalled();
    expect(page.location.search).toBe("?demo");
  });
});

describe("what a walk did not read", () => {
  it("reaches the file list at once and stays with the import's outcome", async () => {
    const { withNotRead } = await import("../../../renderer/src/host/host");
    const seen: string[] = [];
    const listeners: IngestListeners = { onProgress: () => {}, onFile: (r) => seen.push(r.path) };
    const outcome: IngestOutcome = { originSec: 0, lanes: [], files: [], notes: [] };
    const start = vi.fn((): IngestHandle => {
      seen.push("(started)");
      return { result: Promise.resolve(outcome), cancel: vi.fn() };
    });
    const handle = withNotRead(
      [
        { path: "logs/pipe", message: "a named pipe (FIFO): skipped, not a file", skipped: true },
        { path: "logs/locked", message: "EACCES: permission denied" },
      ],
      listeners,
      start,
    );
    expect(seen).toEqual(["logs/pipe", "logs/locked", "(started)"]);
    const files = (await handle.result).files;
    expect(files).toEqual([
      {
        path: "logs/pipe",
        format: "unknown",
        bytes: 0,
        records: 0,
        errors: [],
        warnings: ["a named pipe (FIFO): skipped, not a file"],
      },
      {
        path: "logs/locked",
        format: "unknown",
        bytes: 0,
        records: 0,
        errors: [{ message: "EACCES: permission denied" }],
        warnings: [],
      },
    ]);
  });
});

describe("web mode's import workers", () => {
  /** A Worker stand-in that records what it is sent and answers only when told to. */
  class FakeWorker {
    static made: FakeWorker[] = [];
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onerror: ((e: { message: string }) => void) | null = null;
    sent: unknown[] = [];
    terminated = false;
    constructor() {
      FakeWorker.made.push(this);
    }
    postMessage(m: unknown) {
      this.sent.push(m);
    }
    terminate() {
      this.terminated = true;
    }
  }

  it("start the next import's worker ahead, but only once the running import ended", async () => {
    FakeWorker.made = [];
    vi.stubGlobal("Worker", FakeWorker);
    const page = await loadPage("http://127.0.0.1:4780/?k=s3cret");
    await page.webHost.servedFiles!();
    // The spare, loading while the app starts.
    expect(FakeWorker.made.length).toBe(1);
    const handle = page.webHost.ingestDemo({ onProgress: () => {}, onFile: () => {} });
    const [running] = FakeWorker.made;
    expect(running.sent).toEqual([{ type: "demo" }]);
    await new Promise((ok) => setTimeout(ok, 20));
    // No worker loads beside the import: it would take from the import's cores.
    expect(FakeWorker.made.length).toBe(1);
    const outcome: IngestOutcome = { originSec: 0, lanes: [], files: [], notes: [] };
    running.onmessage!({ data: { type: "done", outcome } });
    expect(await handle.result).toEqual(outcome);
    expect(running.terminated).toBe(true);
    await new Promise((ok) => setTimeout(ok, 20));
    expect(FakeWorker.made.length).toBe(2);
    // The next import takes that one.
    const next = page.webHost.ingestDemo({ onProgress: () => {}, onFile: () => {} });
    expect(FakeWorker.made[1].sent).toEqual([{ type: "demo" }]);
    next.cancel();
    await expect(next.result).rejects.toThrow("import cancelled");
  });
});
