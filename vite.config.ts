import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The renderer is one Vite app, served as-is in web mode and loaded from dist/renderer by
// Electron. Relative base so file:// loading works.
export default defineConfig({
  root: "renderer",
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../dist/renderer",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  worker: { format: "es" },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: false },
});
