import { realpathSync } from "node:fs";
import path from "node:path";

/**
 * Which paths main may read. Only paths the user gave count: command-line arguments, Open
 * Folder picks, dropped files, and File → Open Recent choices (a list only main writes).
 * Main never reads a path because the renderer asked for it alone, so a renderer running
 * hostile script (say, HTML smuggled in through a log file) cannot make main read ~/.ssh.
 *
 * Drops are the hard case: a drop happens in the renderer, and Electron tells main nothing
 * about it. The preload (an isolated world page script cannot reach) listens for drop events
 * in the capture phase and accepts only `isTrusted` ones: page script can neither forge a
 * trusted event nor make a File that `webUtils.getPathForFile` resolves to a path. It then
 * reports the paths on an internal channel that is not exposed to the page, before the page's
 * own drop handler runs, so the grant reaches main ahead of the `ingest:start` that follows
 * (both travel over the same ordered IPC pipe). What is left is a renderer with native code
 * execution, which could send the internal message itself; main still only ever reads, and
 * everything it writes goes to a path the user picked in a Save dialog.
 */

type PathApi = Pick<
  typeof path,
  "resolve" | "relative" | "isAbsolute" | "normalize" | "sep" | "dirname" | "join" | "basename"
>;

export type GrantSource = "argv" | "dialog" | "drop" | "recent";

export class PathAllowlist {
  private readonly roots = new Map<string, GrantSource>();
  private readonly p: PathApi;
  private readonly fold: (s: string) => string;

  /** `platform` picks path rules; Windows and macOS file systems ignore case by default. */
  constructor(platform: NodeJS.Platform = process.platform) {
    this.p = platform === "win32" ? path.win32 : path.posix;
    this.fold = platform === "win32" || platform === "darwin" ? (s) => s.toLowerCase() : (s) => s;
  }

  /** Allows `paths` and everything under them; relative paths resolve against `cwd`. */
  grant(paths: readonly string[], source: GrantSource, cwd?: string): string[] {
    const added: string[] = [];
    for (const raw of paths) {
      if (typeof raw !== "string" || !raw || raw.includes("\0")) continue;
      const abs = cwd ? this.p.resolve(cwd, raw) : this.p.resolve(raw);
      if (!this.roots.has(this.fold(abs))) this.roots.set(this.fold(abs), source);
      added.push(abs);
    }
    return added;
  }

  /**
   * True when `candidate` is absolute and is, or lies under, a granted path. Relative paths
   * are refused outright: their meaning depends on main's working directory, which the
   * renderer has no business relying on.
   */
  allows(candidate: unknown): candidate is string {
    if (typeof candidate !== "string" || !candidate || candidate.includes("\0")) return false;
    if (!this.p.isAbsolute(candidate)) return false;
    const abs = this.fold(this.p.resolve(candidate));
    for (const root of this.roots.keys()) {
      if (abs === root) return true;
      const rel = this.p.relative(root, abs);
      if (rel && !rel.startsWith("..") && !this.p.isAbsolute(rel)) return true;
    }
    return false;
  }

  /** The paths of `candidates` main would refuse. */
  refused(candidates: readonly unknown[]): string[] {
    return candidates.filter((c) => !this.allows(c)).map((c) => String(c));
  }

  /**
   * `allows`, judged on disk too: the candidate's real path must lie under the real path of
   * a granted one, so granted/etc-link/shadow, where etc-link leads to /etc, is refused
   * although its name is under a granted folder. (The folder walk applies the same rule to
   * the links it meets.) A path that does not exist is judged by its nearest existing parent.
   */
  allowsOnDisk(candidate: unknown, real: (p: string) => string = realpathSync.native): candidate is string {
    if (!this.allows(candidate)) return false;
    const target = this.fold(this.realOrParent(candidate, real));
    for (const root of this.roots.keys()) {
      const base = this.fold(this.realOrParent(root, real));
      const rel = this.p.relative(base, target);
      if (!rel || (!rel.startsWith("..") && !this.p.isAbsolute(rel))) return true;
    }
    return false;
  }

  /** The paths of `candidates` main would refuse, by name or on disk. */
  refusedOnDisk(candidates: readonly unknown[], real?: (p: string) => string): string[] {
    return candidates.filter((c) => !this.allowsOnDisk(c, real)).map((c) => String(c));
  }

  private realOrParent(p: string, real: (p: string) => string): string {
    try {
      return real(p);
    } catch {
      const parent = this.p.dirname(p);
      return parent === p ? p : this.p.join(this.realOrParent(parent, real), this.p.basename(p));
    }
  }

  get size(): number {
    return this.roots.size;
  }
}

export interface ArgvContext {
  /**
   * Electron's `process.defaultApp`: true when started as `electron <app> ...`, where the
   * app's own path comes first and is not a user argument. A packaged app has no such entry.
   */
  defaultApp: boolean;
}

/**
 * The paths in Electron's argv. argv[0] is the executable; in development the next
 * non-flag is the app (main.cjs or its folder). Flags are Chromium's, Node's or ours
 * (`--inspect=0`, `--remote-debugging-port=0` from Playwright, `-psn_…` from old macOS
 * Finder launches), never paths: a path that starts with "-" can be given as "./-name".
 */
export function parseLaunchArgs(argv: readonly string[], ctx: ArgvContext): string[] {
  const rest = argv.slice(1);
  const out: string[] = [];
  let skipApp = ctx.defaultApp;
  let afterDashDash = false;
  for (const arg of rest) {
    if (!afterDashDash && arg === "--") {
      afterDashDash = true;
      continue;
    }
    if (!afterDashDash && arg.startsWith("-")) continue;
    if (skipApp) {
      skipApp = false;
      continue;
    }
    if (arg) out.push(arg);
  }
  return out;
}
