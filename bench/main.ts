import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, statfs } from "node:fs/promises";
import path from "node:path";
import { findChromium } from "../electron/cli/chromium";
import { chromiumFloor, type FloorRun } from "./chrome";
import { CLUSTER_BYTES_PER_ENTRY, FULL, generateCluster, type ClusterSpec } from "./generate";
import { generateTrace, traceBytesEstimate } from "./generateTrace";
import { parseFloor, timeIngest } from "./ingest";
import { appOpens, benchRender, type OpenRun } from "./render";

/**
 * `npm run bench`: generates the cluster run and its Chrome trace (once; cached under
 * bench/out), measures the ingest against the parse floor in this process, then the real
 * app in headless Chromium: the folder's import as a user gives it the folder, pan and zoom,
 * reopen, and the trace opened against Chromium's own fetch + JSON.parse of it; each import
 * also as `rankscope <path>` runs it in web mode (the launcher serves the files over HTTP:
 * `launch…` figures). Progress goes to stderr; the last stdout line is one JSON object
 * (DESIGN.md's contract).
 *
 * BENCH_SCALE scales both datasets (entries per rank); BENCH_SKIP_RENDER=1 skips Chromium
 * (render, reopen, app and chromeTrace are then null); BENCH_ONLY=cluster|chrome runs one
 * half; BENCH_REPEAT (3) is how many runs the cheap figures are the median of.
 */
export async function main(root: string): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const only = process.env.BENCH_ONLY ?? "";
  const repeat = Math.max(1, Math.round(Number(process.env.BENCH_REPEAT ?? 3)));
  if (!(scale > 0) || !["", "cluster", "chrome"].includes(only)) {
    console.error("usage: BENCH_SCALE=<number > 0> BENCH_ONLY=<cluster|chrome> npm run bench");
    process.exit(2);
  }
  const chromium = process.env.BENCH_SKIP_RENDER === "1" ? null : findChromium();
  if (!chromium)
    console.error(
      "Chromium: skipped (BENCH_SKIP_RENDER=1 or none found): render, reopen, app and chromeTrace will be null",
    );
  const timeoutMs = 15 * 60_000 * Math.max(1, scale);
  const spec: ClusterSpec = { ...FULL, entriesPerRank: Math.round(FULL.entriesPerRank * scale) };
  const outDir = path.join(root, "bench", "out");
  const shape = `${spec.nodes}x${spec.ranksPerNode}-${spec.entriesPerRank}`;
  const clusterDir = path.join(outDir, `cluster-${shape}`);
  const traceFile = path.join(outDir, `trace-${shape}`, "trace_task-bench.json");
  const wantCluster = only !== "chrome";
  const wantTrace = only !== "cluster" && chromium !== null;
  await checkDisk(outDir, scale, [
    wantCluster && !existsSync(`${clusterDir}.manifest.json`)
      ? spec.nodes * spec.ranksPerNode * spec.entriesPerRank * CLUSTER_BYTES_PER_ENTRY
      : 0,
    wantTrace && !existsSync(`${traceFile}.manifest.json`) ? traceBytesEstimate(spec) : 0,
  ]);

  const errors: Record<string, string> = {};
  let ingest: Record<string, number> | null = null;
  let render: Awaited<ReturnType<typeof benchRender>> | null = null;
  let launch: OpenRun | null = null;
  if (wantCluster) {
    // The manifest sits beside the folder: the folder holds only what a user's would.
    const gen = await cached(`${clusterDir}.manifest.json`, () => {
      console.error(
        `generating ${spec.nodes * spec.ranksPerNode} ranks × ${spec.entriesPerRank} entries into ${clusterDir} …`,
      );
      return generateCluster(clusterDir, spec);
    });
    console.error(
      `cluster: ${gen.files.length} files, ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.entries} entries`,
    );
    const files = gen.files.filter((f) => f.endsWith(".jsonl"));
    const floors: number[] = [];
    const ingests: number[] = [];
    let ing: Awaited<ReturnType<typeof timeIngest>> | null = null;
    for (let i = 0; i < repeat; i++) {
      const floor = await parseFloor(files);
      floors.push(floor.seconds);
      console.error(
        `parse floor ${i + 1}/${repeat}: ${floor.seconds.toFixed(2)} s for ${floor.records} records`,
      );
      ing = await timeIngest(clusterDir);
      ingests.push(ing.seconds);
      console.error(
        `ingest ${i + 1}/${repeat}: ${ing.seconds.toFixed(2)} s, ${ing.records} records, ${ing.lanes} lanes`,
      );
    }
    ingest = {
      events: ing!.records,
      bytes: gen.bytes,
      seconds: round(median(ingests)),
      parseFloorSeconds: round(median(floors)),
      ratioToParseFloor: round(median(ingests) / median(floors)),
    };
    if (chromium) {
      try {
        render = await benchRender(root, clusterDir, ing!.lanes, chromium, timeoutMs);
        console.error(`render: ${JSON.stringify(render)}`);
      } catch (e) {
        // The app failed (a crashed renderer, a time-out): the other figures still count.
        errors.render = (e as Error).message.split("\n")[0];
        console.error(`render: failed: ${errors.render}`);
      }
      launch = await appOpens(root, clusterDir, chromium, timeoutMs, "launch");
      if (launch.error) errors.launch = launch.error;
      console.error(
        `launch: the same folder served by the launcher: ${launch.seconds === null ? `failed: ${launch.error}` : `${launch.seconds.toFixed(2)} s`}`,
      );
    }
  }

  let chromeTrace: Record<string, unknown> | null = null;
  if (wantTrace) {
    const gen = await cached(`${traceFile}.manifest.json`, () => {
      console.error(
        `generating a Chrome trace of ${spec.nodes * spec.ranksPerNode} ranks × ${spec.entriesPerRank} spans and samples into ${traceFile} …`,
      );
      return generateTrace(traceFile, spec);
    });
    console.error(`trace: ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.spans} spans, ${gen.samples} samples`);
    // Both sides read the file from the page cache, not the first from disk.
    for await (const chunk of createReadStream(traceFile, { highWaterMark: 8 << 20 })) void chunk;
    const floors: FloorRun[] = [];
    for (let i = 0; i < repeat; i++) {
      const f = await chromiumFloor(root, traceFile, chromium!, timeoutMs);
      floors.push(f);
      console.error(
        `chromium floor ${i + 1}/${repeat}: ${f.seconds === null ? f.error : `${f.seconds.toFixed(2)} s, ${f.events} events`}, renderer peak ${mb(f.peak.rendererPeakBytes)}`,
      );
      if (f.seconds === null) break;
    }
    const ok = floors.filter((f) => f.seconds !== null);
    const floorSeconds = ok.length ? median(ok.map((f) => f.seconds!)) : null;
    const open = await appOpens(root, traceFile, chromium!, timeoutMs, "drop", "chrome-trace-opened");
    console.error(
      `app opens the trace: ${open.seconds === null ? open.error : `${open.seconds.toFixed(2)} s, ${open.lanes} lanes, ${open.items} items`}, renderer peak ${mb(open.peak.rendererPeakBytes)}`,
    );
    const launched = await appOpens(root, traceFile, chromium!, timeoutMs, "launch");
    console.error(
      `launch: the trace served by the launcher: ${launched.seconds === null ? launched.error : `${launched.seconds.toFixed(2)} s`}, renderer peak ${mb(launched.peak.rendererPeakBytes)}`,
    );
    chromeTrace = {
      bytes: gen.bytes,
      seconds: open.seconds === null ? null : round(open.seconds),
      chromiumFloorSeconds: floorSeconds === null ? null : round(floorSeconds),
      ratioToFloor: open.seconds !== null && floorSeconds ? round(open.seconds / floorSeconds) : null,
      rendererPeakBytes: open.peak.rendererPeakBytes,
      spans: gen.spans,
      samples: gen.samples,
      lanes: open.lanes,
      items: open.items,
      firstPictureMs: open.firstPictureMs === null ? null : round(open.firstPictureMs),
      mainHeapPeakBytes: open.peak.mainHeapPeakBytes,
      floorRendererPeakBytes: median(ok.map((f) => f.peak.rendererPeakBytes ?? NaN)),
      rendererIdleBytes: floors[0]?.idleBytes ?? null,
      launchSeconds: launched.seconds === null ? null : round(launched.seconds),
      launchRatioToFloor:
        launched.seconds !== null && floorSeconds ? round(launched.seconds / floorSeconds) : null,
      launchRendererPeakBytes: launched.peak.rendererPeakBytes,
      error: open.error ?? launched.error,
      floorError: ok.length ? null : floorWhy(floors[0]?.error ?? null, gen.bytes),
    };
  }

  const out = {
    ingest,
    render: render && {
      lanes: render.lanes,
      events: render.events,
      panP95Ms: render.panP95Ms,
      zoomP95Ms: render.zoomP95Ms,
      panMaxMs: render.panMaxMs,
      zoomMaxMs: render.zoomMaxMs,
      importSeconds: round(render.importSeconds),
      heapBytes: render.heapBytes,
    },
    reopen: render && { firstPaintMs: render.firstPaintMs, fullyLoadedMs: render.fullyLoadedMs },
    app:
      render && ingest
        ? {
            importSeconds: round(render.appImportSeconds),
            firstPictureMs: render.firstPictureMs,
            ratioToParseFloor: round(render.appImportSeconds / ingest.parseFloorSeconds),
            heapBytes: render.retainedHeapBytes,
            rendererPeakBytes: render.memory.rendererPeakBytes,
            launchImportSeconds: launch?.seconds == null ? null : round(launch.seconds),
            launchFirstPictureMs: launch?.firstPictureMs == null ? null : round(launch.firstPictureMs),
            launchRatioToParseFloor:
              launch?.seconds == null ? null : round(launch.seconds / ingest.parseFloorSeconds),
          }
        : null,
    chromeTrace,
    errors,
    measurements: {
      scale,
      medianOf: repeat,
      median: [
        "ingest.seconds",
        "ingest.parseFloorSeconds",
        "chromeTrace.chromiumFloorSeconds",
        "chromeTrace.floorRendererPeakBytes",
      ],
      single: [
        "render",
        "reopen",
        "app",
        "chromeTrace.seconds",
        "chromeTrace.rendererPeakBytes",
        "chromeTrace.firstPictureMs",
        "chromeTrace.launchSeconds",
      ],
      skipped: [
        ...(chromium ? [] : ["render", "reopen", "app", "chromeTrace (no Chromium)"]),
        ...(only === "chrome" ? ["ingest", "render", "reopen", "app"] : []),
        ...(only === "cluster" ? ["chromeTrace"] : []),
      ],
    },
  };
  console.log(JSON.stringify(out));
}

/** A generated dataset, from its manifest when an earlier run finished writing it. */
async function cached<T>(manifest: string, make: () => Promise<T>): Promise<T> {
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, "utf8")) as T;
  const t0 = performance.now();
  const made = await make();
  writeFileSync(manifest, JSON.stringify(made));
  console.error(
    `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s (this process's peak RSS so far: ${mb(process.resourceUsage().maxRSS * 1024)})`,
  );
  return made;
}

/**
 * Refuses, before writing anything, when the disk under bench/out cannot take what is to be
 * generated plus room for the browser profiles' IndexedDB (the imported datasets, in the
 * temporary directory, on this machine the same disk) and a margin.
 */
async function checkDisk(outDir: string, scale: number, toGenerate: number[]): Promise<void> {
  const generate = toGenerate.reduce((a, b) => a + b, 0);
  if (!generate) return;
  await mkdir(outDir, { recursive: true });
  const fs = await statfs(outDir);
  const free = fs.bavail * fs.bsize;
  const need = generate * 1.3 + 2 ** 30;
  if (free < need) {
    console.error(
      `bench: BENCH_SCALE=${scale} generates about ${gb(generate)} under ${outDir} and needs about ${gb(need)} free ` +
        `with room for the browser's IndexedDB; only ${gb(free)} is free. Free some space, delete old runs in bench/out, or lower BENCH_SCALE.`,
    );
    process.exit(1);
  }
}

/** V8's longest string (2^29 − 24 characters): a text past it cannot be held, so not parsed. */
const V8_MAX_STRING = 536_870_888;

function floorWhy(error: string | null, bytes: number): string | null {
  if (!error || bytes <= V8_MAX_STRING) return error;
  return `${error}: the file's ${bytes} bytes are more than V8's longest string (${V8_MAX_STRING} characters), so Chromium cannot JSON.parse it as one text`;
}

function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
const mb = (b: number | null) => (b === null ? "?" : `${(b / 1e6).toFixed(0)} MB`);
