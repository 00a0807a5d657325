// Electron's entry point (bundled to dist/electron/main.cjs; package.json "main").
import path from "node:path";
import { startApp } from "./app";

startApp({ electronDir: __dirname, rendererDir: path.join(__dirname, "..", "renderer") });
