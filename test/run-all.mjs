// `npm test`: builds the app, runs every runner (Vitest, then Playwright), and ends with one
// line "N passed, N failed, N skipped" summing them all, which is what CI reads.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "test-results");
mkdirSync(out, { recursive: true });
const bin = (pkg, rel) => path.join(root, "node_modules", pkg, rel);
const run = (args, env = {}) =>
  spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } }).status;

const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

if (!process.argv.includes("--no-build")) {
  if (run([path.join(root, "build", "build.mjs")]) !== 0) broken = true;
}

const unitJson = path.join(out, "unit.json");
rmSync(unitJson, { force: true });
const unitStatus = run([
  bin("vitest", "vitest.mjs"),
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${unitJson}`,
]);
if (existsSync(unitJson)) {
  const r = JSON.parse(readFileSync(unitJson, "utf8"));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (unitStatus !== 0 && r.numFailedTests === 0) broken = true; // e.g. a suite that failed to load
} else broken = true;

/** A port nothing listens on, so a leftover server elsewhere cannot break the run. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const e2eJson = path.join(out, "e2e.json");
rmSync(e2eJson, { force: true });
const e2eStatus = run([bin("@playwright/test", "cli.js"), "test"], {
  RANKSCOPE_E2E_JSON: e2eJson,
  RANKSCOPE_E2E_PORT: process.env.RANKSCOPE_E2E_PORT ?? String(await freePort()),
});
/** Prints why each skipped Playwright test was skipped (its skip annotation). */
function skipReasons(report) {
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        for (const a of t.annotations ?? [])
          if (a.type === "skip") console.log(`skipped: ${spec.title}: ${a.description ?? ""}`);
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
}

if (existsSync(e2eJson)) {
  const report = JSON.parse(readFileSync(e2eJson, "utf8"));
  skipReasons(report);
  const s = report.stats;
  totals.passed += s.expected + (s.flaky ?? 0);
  totals.failed += s.unexpected;
  totals.skipped += s.skipped;
  if (e2eStatus !== 0 && s.unexpected === 0) broken = true;
} else broken = true;

if (broken) console.log("A test runner failed to run to the end (see above).");
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || broken || totals.passed === 0 ? 1 : 0);
