// `npm run bench`: bundles bench/main.ts for Node (esbuild) and runs it. See README.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Newest modification time of the files under `dir` (ms). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

// A stale build would measure old code: rebuild when the app's sources are newer.
const built = path.join(root, "dist", "renderer", "index.html");
if (
  !existsSync(built) ||
  statSync(built).mtimeMs < Math.max(newest(path.join(root, "renderer")), newest(path.join(root, "shared")))
) {
  const r = spawnSync(process.execPath, [path.join(root, "build", "build.mjs")], {
    stdio: "inherit",
    cwd: root,
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const out = path.join(root, "dist", "bench", "main.mjs");
await esbuild.build({
  entryPoints: [path.join(root, "bench", "main.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: out,
  external: ["playwright-core", "sql.js", "esbuild"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
});
const { main } = await import(pathToFileURL(out).href);
await main(root);
