/**
 * One guarded GET, shared by the poll loop (any host) and the web-mode proxy (Node): a
 * timeout that holds even when the body stalls, no redirects followed, no answer from
 * another origin, and a size cap. `fetch` and the timers are injected so the same code
 * runs in Electron main, the launcher, a page, and tests with a fake clock.
 */

/** The part of a fetch Response this module reads (WHATWG fetch and test fakes both fit). */
export interface ResponseLike {
  status: number;
  statusText?: string;
  /** "opaqueredirect" when a browser stopped at a redirect (`redirect: "manual"`). */
  type?: string;
  url?: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface RequestInitLike {
  method: "GET";
  redirect: "manual";
  signal: AbortSignal;
  headers: Record<string, string>;
  credentials: "omit";
  cache: "no-store";
}

export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/**
 * Thrown by a FetchLike that relays the GET (web mode's proxy, Electron's main) when the
 * relay already said what went wrong upstream: passed on in its words, not as "connection failed".
 */
export class RelayedError extends Error {}

export interface Timers {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export interface GetOptions {
  timers: Timers;
  timeoutMs: number;
  maxBytes?: number;
  /** Aborts the request from outside (pause, stop). */
  signal?: AbortSignal;
}

export interface GotText {
  status: number;
  contentType: string | null;
  text: string;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null; // relative (web mode): the browser keeps it on the page's origin
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Says why a fetch threw, in the words of the network layer (undici puts them in `cause`). */
export function networkReason(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } } | null;
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ""}`;
  return err?.message ?? String(e);
}

/**
 * GETs `url` and returns its body as text, or throws an Error whose message says what went
 * wrong ("timed out after 8 s", "HTTP 503 Service Unavailable", "redirect refused …").
 */
export async function getText(fetch: FetchLike, url: string, opts: GetOptions): Promise<GotText> {
  const { timers, timeoutMs } = opts;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener("abort", onOuterAbort);
  if (opts.signal?.aborted) abort.abort();
  let timer: unknown = null;
  // Racing a timer, not only aborting: a fetch that ignores its signal must still time out.
  const timedOut = new Promise<never>((_, reject) => {
    timer = timers.setTimeout(() => {
      abort.abort();
      reject(new Error(`timed out after ${seconds(timeoutMs)}`));
    }, timeoutMs);
  });
  timedOut.catch(() => {});
  const work = async (): Promise<GotText> => {
    let res: ResponseLike;
    try {
      res = await fetch(url, {
        method: "GET",
        redirect: "manual",
        signal: abort.signal,
        headers: { accept: "application/json" },
        credentials: "omit",
        cache: "no-store",
      });
    } catch (e) {
      if (opts.signal?.aborted) throw new Error("cancelled");
      if (e instanceof RelayedError) throw e;
      throw new Error(`connection failed: ${networkReason(e)}`);
    }
    if (res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400)) {
      const to = res.headers.get("location");
      throw new Error(
        `redirect refused${to ? ` (to ${to})` : ""}: only ${originOf(url) ?? url} is contacted`,
      );
    }
    const want = originOf(url);
    const got = res.url ? originOf(res.url) : null;
    if (want && got && got !== want) throw new Error(`answer came from ${got}, not ${want}: refused`);
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`);
    }
    const declared = Number(res.headers.get("content-length"));
    if (declared > maxBytes)
      throw new Error(`answer of ${declared} bytes is over the ${maxBytes}-byte limit`);
    const text = await res.text();
    if (text.length > maxBytes) throw new Error(`answer is over the ${maxBytes}-byte limit`);
    return { status: res.status, contentType: res.headers.get("content-type"), text };
  };
  try {
    return await Promise.race([work(), timedOut]);
  } finally {
    timers.clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/** A JSON object body, or an Error that names what came instead. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new Error(`${what} is not a JSON object`);
  return doc as Record<string, unknown>;
}
