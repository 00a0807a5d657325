// Builds everything the app needs: the renderer (Vite) and the Electron host (esbuild).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, shell: process.platform === "win32" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, [
  path.join(root, "node_modules", "vite", "bin", "vite.js"),
  "build",
  "--logLevel",
  "warn",
]);
const electronBuild = path.join(root, "build", "build-electron.mjs");
if (existsSync(electronBuild)) run(process.execPath, [electronBuild]);
console.log("built dist/renderer and dist/electron");
