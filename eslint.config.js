import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "release/**",
      "node_modules/**",
      "test-results/**",
      "demo-data/**",
      "bench/out/**",
      "test/fixtures/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // shared/ runs in every host: no DOM, Node or Electron imports.
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "node:*",
            "electron",
            "react",
            "react-dom",
            "dexie",
            "fs",
            "path",
            "os",
            "child_process",
            "*/renderer/*",
            "*/electron/*",
          ],
        },
      ],
    },
  },
  {
    // The renderer never reaches into the desktop host.
    files: ["renderer/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": ["error", { patterns: ["electron", "node:*", "*/electron/*"] }],
    },
  },
  {
    // View math (time scale, lane views, layout, ticks, queries) is plain TypeScript: no React,
    // no canvas drawing, no state or storage, so every layer above may import it.
    files: ["renderer/src/view/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "electron",
            "node:*",
            "*/electron/*",
            "react",
            "react-dom",
            "react/*",
            "zustand",
            "zustand/*",
            "dexie",
            "*/timeline/*",
            "*/inspector/*",
            "*/components/*",
            "*/export/*",
            "*/app/*",
            "*/db/*",
          ],
        },
      ],
    },
  },
  {
    // Storage and state never import drawing or UI code: they sit below it.
    files: ["renderer/src/db/**/*.ts", "renderer/src/app/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "electron",
            "node:*",
            "*/electron/*",
            "*/timeline/*",
            "*/inspector/*",
            "*/components/*",
            "*/export/*",
          ],
        },
      ],
    },
  },
);
