import { writeFile } from "node:fs/promises";
import { notReadReport } from "../../shared/ingest/report";
import { finalizeModel } from "../../shared/model/dataset";
import { formatInspect, inspectReport } from "../../shared/model/summary";
import type { Model } from "../../shared/model/types";
import { ingestPaths } from "../host/ingestThreads";

const USAGE = `usage:
  rankscope [PATH...]                      open the app (web mode when Electron is missing)
  rankscope --attach URL [--interval S]    open the app attached live to a Skulk cluster
                                           (URL: http://HOST:52415; polls every S s, default 2)
  rankscope --web ...                      web mode even where Electron could run
  rankscope inspect PATH... [--json]       what Rankscope reads in files and folders
  rankscope export PATH... --chrome-trace OUT.json
  rankscope export PATH... --png OUT.png [--width 1600] [--pixel-ratio 2]
  rankscope demo [DIR]                     write the demo dataset`;

export class UsageError extends Error {}

export interface OpenArgs {
  web: boolean;
  /** `--attach URL`, validated (resolveTarget) by the caller. */
  attach: string | null;
  /** `--interval S`: the live poll interval in seconds. */
  intervalSec: number | null;
  paths: string[];
}

/** What `rankscope [--web] [--attach URL [--interval S]] [PATH...]` asks for. */
export function parseOpenArgs(args: string[]): OpenArgs {
  const out: OpenArgs = { web: false, attach: null, intervalSec: null, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, null];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "" || (inline === null && v.startsWith("--")))
        throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === "--web") out.web = true;
    else if (flag === "--attach") out.attach = value();
    else if (flag === "--interval") {
      const v = value();
      const sec = Number(v);
      if (!(sec >= 0.25 && sec <= 3600))
        throw new UsageError(`--interval takes seconds between 0.25 and 3600 (got "${v}")\n${USAGE}`);
      out.intervalSec = sec;
    } else if (a.startsWith("--"))
      continue; // Chromium's and Electron's own flags pass through
    else out.paths.push(a);
  }
  if (out.intervalSec !== null && !out.attach)
    throw new UsageError(`--interval goes with --attach\n${USAGE}`);
  return out;
}

export async function loadModel(paths: string[]): Promise<Model> {
  // Big inputs are read by worker threads running this same bundle.
  const result = await ingestPaths(paths, new URL(import.meta.url));
  const files = [...result.problems.map(notReadReport), ...result.files];
  return finalizeModel({ lanes: result.lanes, files, notes: result.notes });
}

/** Runs `inspect`; returns the exit code per DESIGN.md (0 ran, 1 nothing found). */
export async function inspectCommand(args: string[], out: (s: string) => void): Promise<number> {
  const json = args.includes("--json");
  const paths = args.filter((a) => a !== "--json");
  if (!paths.length || paths.some((p) => p.startsWith("--"))) throw new UsageError(USAGE);
  const model = await loadModel(paths);
  const report = inspectReport(model);
  out(json ? JSON.stringify(report, null, 2) : formatInspect(report));
  const found = model.files.some((f) => f.format !== "unknown");
  return found ? 0 : 1;
}

function option(args: string[], name: string): string | null {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] && !args[i + 1].startsWith("--") ? args[i + 1] : null;
}

export async function exportCommand(args: string[], out: (s: string) => void): Promise<number> {
  const png = option(args, "--png");
  if (png) {
    const valued = new Set(["--png", "--width", "--pixel-ratio"]);
    const paths = args.filter((a, j) => !a.startsWith("--") && !valued.has(args[j - 1]));
    if (!paths.length) throw new UsageError(USAGE);
    const width = Number(option(args, "--width") ?? 1600);
    const ratio = Number(option(args, "--pixel-ratio") ?? 2);
    if (!(width >= 480 && width <= 16000) || !(ratio >= 1 && ratio <= 4)) throw new UsageError(USAGE);
    const { exportPngHeadless } = await import("./headlessPng");
    const root = process.env.RANKSCOPE_ROOT ?? process.cwd();
    try {
      const { lanes } = await exportPngHeadless(root, paths, png, width, ratio);
      out(`wrote ${png}: ${lanes} lanes`);
      return 0;
    } catch (e) {
      process.stderr.write(`rankscope export: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const i = args.indexOf("--chrome-trace");
  if (i < 0 || !args[i + 1]) throw new UsageError(USAGE);
  const target = args[i + 1];
  const paths = args.filter((_, j) => j !== i && j !== i + 1);
  if (!paths.length) throw new UsageError(USAGE);
  const model = await loadModel(paths);
  const { toChromeTrace } = await import("../../shared/export/chromeTrace");
  await writeFile(target, JSON.stringify(toChromeTrace(model)));
  out(`wrote ${target}: ${model.lanes.length} lanes`);
  return model.files.some((f) => f.format !== "unknown") ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const out = (s: string) => process.stdout.write(s + "\n");
  try {
    if (cmd === "inspect") return await inspectCommand(rest, out);
    if (cmd === "export") return await exportCommand(rest, out);
    if (cmd === "demo") {
      const { writeDemo } = await import("./demo");
      const dir = await writeDemo(rest[0]);
      out(dir);
      return 0;
    }
    if (cmd === "--help" || cmd === "-h" || cmd === "help") {
      out(USAGE);
      return 0;
    }
    throw new UsageError(USAGE);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(e.message + "\n");
      return 2;
    }
    throw e;
  }
}
