/** A fake clock and a scripted fetch for the poll loop: no test waits real seconds. */

import type { FetchLike, RequestInitLike, ResponseLike, Timers } from "../../../shared/live/http";

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets promise chains started by a timer (fetch → text → parse → callbacks) run to the end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) await macrotask();
}

export class FakeTimers implements Timers {
  private queue: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(public t = Date.UTC(2026, 3, 24, 22, 0, 0)) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const seq = ++this.seq;
    this.queue.push({ at: this.t + Math.max(0, ms), seq, fn });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((q) => q.seq !== handle);
  }

  /** Runs every timer due within `ms`, in time order, letting each one's work finish. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      const due = this.queue.filter((q) => q.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.queue = this.queue.filter((q) => q !== due);
      this.t = due.at;
      due.fn();
      await settle();
    }
    this.t = end;
  }
}

export function response(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  url?: string,
): ResponseLike {
  return {
    status,
    statusText: status === 200 ? "OK" : "",
    url,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: async () => (typeof body === "string" ? body : JSON.stringify(body)),
  };
}

export type Reply = ResponseLike | Error | "hang";

/** A fetch whose answers come from `reply(url, n)`; "hang" waits until the request is aborted. */
export function scriptedFetch(reply: (url: string, n: number) => Reply) {
  const calls: { url: string; init: RequestInitLike }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init });
    const r = reply(url, calls.length);
    if (r === "hang")
      return new Promise((_, reject) =>
        init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
      );
    return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
  };
  return { fetch, calls };
}

/** What Node's fetch throws when nothing listens on the port. */
export function refused(): Error {
  return Object.assign(new TypeError("fetch failed"), {
    cause: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 10.0.0.2:52415" },
  });
}
