import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * File → Open Recent. An entry is one open, holding every path opened together: a drop of
 * four rank folders is one dataset, and reopening it must give that dataset again, not four
 * separate ones. Paths are compared resolved and, where the file system ignores case by
 * default (Windows, macOS), case-folded, so `/Data/run` and `/data/run/` are one entry there.
 */

export const RECENT_MAX = 10;

export type RecentEntry = readonly string[];

function pathApi(platform: NodeJS.Platform) {
  return platform === "win32" ? path.win32 : path.posix;
}

function foldsCase(platform: NodeJS.Platform): boolean {
  return platform === "win32" || platform === "darwin";
}

function usable(p: unknown, platform: NodeJS.Platform): p is string {
  return typeof p === "string" && !!p && !p.includes("\0") && pathApi(platform).isAbsolute(p);
}

/** The entry's paths, resolved, without repeats; non-paths dropped. */
function normalize(paths: readonly unknown[], platform: NodeJS.Platform): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (!usable(p, platform)) continue;
    const abs = pathApi(platform).resolve(p);
    const k = foldsCase(platform) ? abs.toLowerCase() : abs;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(abs);
  }
  return out;
}

/** Two entries are the same open when they hold the same paths, in any order. */
function key(entry: RecentEntry, platform: NodeJS.Platform): string {
  const fold = foldsCase(platform);
  return entry
    .map((p) => (fold ? p.toLowerCase() : p))
    .sort()
    .join("\0");
}

/** `list` with `paths` first; an earlier open of the same paths moves up, the 11th falls off. */
export function addRecent(
  list: readonly RecentEntry[],
  paths: readonly unknown[],
  platform: NodeJS.Platform,
): RecentEntry[] {
  const entry = normalize(paths, platform);
  if (!entry.length) return [...list];
  const k = key(entry, platform);
  return [entry, ...list.filter((e) => key(e, platform) !== k)].slice(0, RECENT_MAX);
}

export function removeRecent(
  list: readonly RecentEntry[],
  paths: RecentEntry,
  platform: NodeJS.Platform,
): RecentEntry[] {
  const k = key(normalize(paths, platform), platform);
  return list.filter((e) => key(e, platform) !== k);
}

/**
 * recent.json as written by `serializeRecent`. Anything else (a damaged write, another app's
 * file, a hand edit) reads as what can be salvaged of it, at worst nothing: a broken list
 * must never keep the app from starting.
 */
export function parseRecent(text: string, platform: NodeJS.Platform): RecentEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const raw = (doc as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(raw)) return [];
  let list: RecentEntry[] = [];
  // Oldest first, so a repeated entry keeps its most recent place.
  for (const e of [...raw].reverse()) {
    const paths = typeof e === "string" ? [e] : Array.isArray(e) ? e : [];
    list = addRecent(list, paths, platform);
  }
  return list;
}

export function serializeRecent(list: readonly RecentEntry[]): string {
  return `${JSON.stringify({ version: 1, entries: list }, null, 2)}\n`;
}

/**
 * The menu label of an entry. macOS and Linux write the home folder as ~ (as their own file
 * managers and shells do); Windows users do not read ~, so there it is the full path. Long
 * labels lose their middle, never the end, which holds the folder's own name. On Windows and
 * Linux a single & in a label marks a keyboard mnemonic, so a literal one is doubled.
 */
export function recentLabel(entry: RecentEntry, home: string, platform: NodeJS.Platform, max = 70): string {
  const p = pathApi(platform);
  const short = entry.map((full) => {
    if (platform === "win32" || !home) return full;
    const rel = p.relative(home, full);
    if (!rel) return "~";
    const outside = rel === ".." || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel);
    return outside ? full : `~${p.sep}${rel}`;
  });
  const each = short.map((s) => (s.length > max ? `${s.slice(0, 20)}…${s.slice(s.length - (max - 21))}` : s));
  const label = each.length > 2 ? `${each[0]}, ${each[1]} +${each.length - 2} more` : each.join(", ");
  return platform === "darwin" ? label : label.replace(/&/g, "&&");
}

/**
 * What the store tells the OS, so the Dock menu (macOS) and jump list (Windows) match. Linux
 * has no such list, and Electron documents these calls for macOS and Windows only.
 */
export interface OsRecent {
  addRecentDocument(path: string): void;
  clearRecentDocuments(): void;
}

/** The list in memory, kept in `file` (userData/recent.json) after every change. */
export class RecentStore {
  private list: RecentEntry[];
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly platform: NodeJS.Platform,
    private readonly os?: OsRecent,
  ) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      // No list yet (first start) or unreadable: start empty.
    }
    this.list = parseRecent(text, platform);
  }

  get entries(): readonly RecentEntry[] {
    return this.list;
  }

  add(paths: readonly unknown[]): void {
    const entry = normalize(paths, this.platform);
    if (!entry.length) return;
    this.list = addRecent(this.list, entry, this.platform);
    if (this.os && this.platform !== "linux") for (const p of entry) this.os.addRecentDocument(p);
    this.changed();
  }

  remove(paths: RecentEntry): void {
    const next = removeRecent(this.list, paths, this.platform);
    if (next.length === this.list.length) return;
    this.list = next;
    this.changed();
  }

  clear(): void {
    this.list = [];
    if (this.os && this.platform !== "linux") this.os.clearRecentDocuments();
    this.changed();
  }

  /** Calls `fn` after each change (the app rebuilds its menu). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    this.save();
    for (const fn of this.listeners) fn();
  }

  /**
   * Temp file, then rename: a crash mid-write leaves the old list or the new one, never half
   * of one. A write that fails (read-only profile, full disk) keeps the list for this session
   * rather than failing the import that caused it.
   */
  private save(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(tmp, serializeRecent(this.list));
      renameSync(tmp, this.file);
    } catch (e) {
      rmSync(tmp, { force: true });
      console.warn(`Open Recent: could not save ${this.file}: ${(e as Error).message}`);
    }
  }
}

export interface ReopenDeps {
  exists(path: string): boolean;
  /** Grants the paths and asks the renderer to import them. */
  open(paths: string[]): void;
  /** Tells the user which paths are gone. */
  report(missing: string[]): void;
}

/**
 * Chooses a recent entry. A path that is gone (a deleted run, an unmounted share) removes
 * the whole entry and is reported: reopening part of an open would be a different dataset.
 */
export function reopenRecent(store: RecentStore, entry: RecentEntry, deps: ReopenDeps): boolean {
  const missing = entry.filter((p) => !deps.exists(p));
  if (missing.length) {
    store.remove(entry);
    deps.report(missing);
    return false;
  }
  deps.open([...entry]);
  return true;
}
