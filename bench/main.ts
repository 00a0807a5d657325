import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FULL, generateCluster, type ClusterSpec } from "./generate";
import { parseFloor, timeIngest } from "./ingest";
import { benchRender } from "./render";

/**
 * `npm run bench`: generates the cluster run (once; cached under bench/out), measures the
 * ingest against the parse floor in this process, then the real app in headless Chromium.
 * Prints progress, and as its last line one JSON object (DESIGN.md's contract).
 */
export async function main(root: string): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const spec: ClusterSpec = { ...FULL, entriesPerRank: Math.round(FULL.entriesPerRank * scale) };
  const dir = path.join(
    root,
    "bench",
    "out",
    `cluster-${spec.nodes}x${spec.ranksPerNode}-${spec.entriesPerRank}`,
  );
  const manifest = path.join(dir, "manifest.json");
  let gen: { files: string[]; bytes: number; entries: number };
  if (existsSync(manifest)) {
    gen = JSON.parse(readFileSync(manifest, "utf8"));
  } else {
    console.error(
      `generating ${spec.nodes * spec.ranksPerNode} ranks × ${spec.entriesPerRank} entries into ${dir} …`,
    );
    gen = await generateCluster(dir, spec);
    writeFileSync(manifest, JSON.stringify(gen));
  }
  console.error(
    `dataset: ${gen.files.length} files, ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.entries} entries`,
  );
  const files = gen.files.filter((f) => f.endsWith(".jsonl"));

  const floor = await parseFloor(files);
  console.error(`parse floor: ${floor.seconds.toFixed(2)} s for ${floor.records} records`);
  const ing = await timeIngest(path.join(dir));
  console.error(`ingest: ${ing.seconds.toFixed(2)} s, ${ing.records} records, ${ing.lanes} lanes`);

  let render: Awaited<ReturnType<typeof benchRender>> | null = null;
  const chromium = process.env.RANKSCOPE_CHROMIUM ?? "/usr/bin/chromium";
  if (process.env.BENCH_SKIP_RENDER !== "1" && existsSync(chromium)) {
    render = await benchRender(root, dir, ing.lanes, chromium);
    console.error(`render: ${JSON.stringify(render)}`);
  } else {
    console.error("render: skipped (no Chromium or BENCH_SKIP_RENDER=1)");
  }
  const out = {
    ingest: {
      events: ing.records,
      bytes: gen.bytes,
      seconds: round(ing.seconds),
      parseFloorSeconds: round(floor.seconds),
      ratioToParseFloor: round(ing.seconds / floor.seconds),
    },
    render: render
      ? {
          lanes: render.lanes,
          events: render.events,
          panP95Ms: render.panP95Ms,
          zoomP95Ms: render.zoomP95Ms,
          panMaxMs: render.panMaxMs,
          zoomMaxMs: render.zoomMaxMs,
          importSeconds: round(render.importSeconds),
          heapBytes: render.heapBytes,
        }
      : null,
    reopen: render ? { firstPaintMs: render.firstPaintMs, fullyLoadedMs: render.fullyLoadedMs } : null,
  };
  console.log(JSON.stringify(out));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
