#!/usr/bin/env node
// The `rankscope` command. `inspect`, `export` and `demo` run under plain Node. Anything else
// opens the app: Electron when its binary is installed, web mode (a local server and a URL
// to open in any Chromium) when it is not.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** Bundles the Node entry points on first use (fast), so a fresh clone works without a build. */
async function nodeEntry() {
  const out = path.join(root, "dist", "node", "entry.mjs");
  const src = path.join(root, "electron");
  const stale = !existsSync(out) || statSync(out).mtimeMs < newest(src, path.join(root, "shared"));
  if (stale) {
    const esbuild = await import("esbuild");
    await esbuild.build({
      entryPoints: [path.join(src, "cli", "entry.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: out,
      external: ["sql.js", "esbuild", "playwright-core"],
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: "warning",
    });
  }
  return import(pathToFileURL(out).href);
}

function newest(...dirs) {
  let t = 0;
  const walk = (d) => {
    for (const e of require("node:fs").readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  dirs.forEach(walk);
  return t;
}

function ensureBuilt() {
  if (
    existsSync(path.join(root, "dist", "renderer", "index.html")) &&
    existsSync(path.join(root, "dist", "electron", "main.cjs"))
  )
    return;
  const r = spawnSync(process.execPath, [path.join(root, "build", "build.mjs")], {
    stdio: "inherit",
    cwd: root,
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const command = args[0];
if (["inspect", "export", "demo", "help", "--help", "-h"].includes(command)) {
  if (command === "export" && args.includes("--png")) ensureBuilt();
  process.env.RANKSCOPE_ROOT ??= root;
  const { main } = await nodeEntry();
  process.exitCode = await main(args);
} else {
  ensureBuilt();
  const entry = await nodeEntry();
  let opened, target;
  try {
    opened = entry.parseOpenArgs(args);
    target = opened.attach ? entry.resolveTarget(opened.attach) : null;
  } catch (e) {
    if (!(e instanceof entry.UsageError || e instanceof entry.AttachError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
  const { web: webRequested, paths, intervalSec } = opened;
  const facts = { webRequested, electron: entry.electronState(root), hasDisplay: entry.hasDisplay() };
  let plan = entry.planLaunch(facts);
  if (plan.kind === "download") {
    console.log(
      `Electron ${plan.version}'s binary is not downloaded yet: fetching it from ${plan.host} (once)…`,
    );
    const download = await entry.downloadElectron(plan.packageDir, plan.host);
    plan = entry.planLaunch({ ...facts, electron: entry.electronState(root), download });
  }
  if (plan.kind === "desktop") {
    // As single --flag=value arguments: Electron's main takes anything else for a path.
    const live = target
      ? [`--attach=${target.label}`, ...(intervalSec ? [`--interval=${intervalSec}`] : [])]
      : [];
    const child = spawn(
      plan.executable,
      [path.join(root, "dist", "electron", "main.cjs"), ...live, ...paths.map((p) => path.resolve(p))],
      { stdio: "inherit" },
    );
    child.on("exit", (code) => process.exit(code ?? 0));
  } else {
    if (plan.reason)
      console.log(`The desktop app is not available here: ${plan.reason}, so Rankscope runs in web mode.`);
    const { url } = await entry.serveWeb(
      path.join(root, "dist", "renderer"),
      paths.map((p) => path.resolve(p)),
      Number(process.env.PORT ?? 5173),
      { live: target ? entry.liveProxyHandler(target) : undefined },
    );
    // The URL carries the launch secret the page needs to read the served files (/api).
    const open = target
      ? `${url}&live${intervalSec ? `&interval=${intervalSec}` : ""}`
      : paths.length
        ? url
        : `${url}&demo`;
    console.log(`Rankscope (web mode) is at ${open}`);
    if (target)
      console.log(
        `Attached to ${target.label}: while the page is open it polls ${target.timelineUrl} ` +
          `every ${intervalSec ?? 2} s and ${target.clusterUrl} every 15 s, through this launcher, and nothing else.`,
      );
    else
      console.log(
        paths.length
          ? `Serving ${paths.join(", ")} to the page: open the URL in Chromium or Chrome.`
          : "It opens the bundled demo dataset: a two-node Skulk cluster whose run hangs.",
      );
    console.log("Press Ctrl+C to stop.");
  }
}
