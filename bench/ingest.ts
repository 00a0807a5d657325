import { createReadStream } from "node:fs";
import { ingestPaths } from "../electron/host/ingestThreads";

/** The parse floor: read the same files and JSON.parse every record once, nothing else. */
export async function parseFloor(files: string[]): Promise<{ seconds: number; records: number }> {
  const t0 = performance.now();
  let records = 0;
  const decoder = new TextDecoder();
  for (const file of files) {
    let carry = "";
    for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) {
      const text = carry + decoder.decode(chunk as Buffer, { stream: true });
      let from = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
        if (nl > from) {
          JSON.parse(text.slice(from, nl));
          records++;
        }
        from = nl + 1;
      }
      carry = text.slice(from);
    }
    if (carry.trim()) {
      JSON.parse(carry);
      records++;
    }
  }
  return { seconds: (performance.now() - t0) / 1000, records };
}

/** Rankscope's whole ingest of the folder, as the CLI runs it (worker threads on every core). */
export async function timeIngest(dir: string): Promise<{ seconds: number; records: number; lanes: number }> {
  const t0 = performance.now();
  const result = await ingestPaths([dir], new URL(import.meta.url));
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, records: result.files.reduce((n, f) => n + f.records, 0), lanes: result.lanes.length };
}
