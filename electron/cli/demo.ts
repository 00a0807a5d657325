import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateSkulkDemo } from "../../shared/demo/skulkDemo";

/** Writes the demo dataset to `dir` (default ./demo-data/skulk-hang) and returns the folder. */
export async function writeDemo(dir = path.resolve("demo-data", "skulk-hang")): Promise<string> {
  for (const f of generateSkulkDemo()) {
    const target = path.join(dir, f.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
  return dir;
}
