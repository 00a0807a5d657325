// Bundles the Electron host: main, the sandboxed preload and the ingest worker, each one
// CommonJS file (a sandboxed preload cannot require local modules; main and the worker load
// faster as one file). Run: node build/build-electron.mjs
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist", "electron");
const dev = process.argv.includes("--dev");

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  // Electron 45 ships Node 24 and a Chromium newer than 150.
  target: "node24",
  sourcemap: dev ? "inline" : "linked",
  minify: false,
  logLevel: "warning",
  // electron is provided by the runtime; sql.js stays in node_modules (electron-builder packs
  // dependencies) because it finds its .wasm next to its own files.
  external: ["electron", "sql.js"],
};

mkdirSync(out, { recursive: true });
await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(root, "electron", "main.ts")],
    outfile: path.join(out, "main.cjs"),
  }),
  build({
    ...common,
    entryPoints: [path.join(root, "electron", "ingestWorker.ts")],
    outfile: path.join(out, "ingestWorker.cjs"),
  }),
  build({
    ...common,
    entryPoints: [path.join(root, "electron", "preload.ts")],
    outfile: path.join(out, "preload.cjs"),
    // The sandboxed preload has `require` for electron only, and Chromium's JS.
    target: "chrome150",
  }),
]);
// The window icon on Linux (packaged apps also get it from electron-builder).
copyFileSync(path.join(root, "build", "icon.png"), path.join(out, "icon.png"));
console.log("built dist/electron (main.cjs, preload.cjs, ingestWorker.cjs)");
