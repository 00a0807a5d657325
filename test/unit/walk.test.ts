import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModel } from "../../electron/cli/cli";
import { nodeFileSource, walkPaths } from "../../electron/host/fsSource";

const hasMkfifo = process.platform !== "win32" && spawnSync("mkfifo", ["--version"]).error === undefined;
const tmp = mkdtempSync(path.join(tmpdir(), "rankscope-walk-"));
const logs = path.join(tmp, "logs");
const outside = path.join(tmp, "outside");
// "f\xff.json": 0xff never occurs in UTF-8, so the name cannot round-trip through a string.
const oddName = Buffer.from([0x66, 0xff, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]);
const oddContent = '{"odd": true}\n';

mkdirSync(path.join(logs, "sub"), { recursive: true });
mkdirSync(outside);
writeFileSync(path.join(outside, "secret.txt"), "do not read");
writeFileSync(path.join(logs, "a.json"), '{"a": 1}\n');
writeFileSync(path.join(logs, "sub", "b.json"), '{"b": 2}\n');
writeFileSync(Buffer.concat([Buffer.from(logs + path.sep), oddName]), oddContent);
symlinkSync("/etc", path.join(logs, "etc-link"));
symlinkSync(outside, path.join(logs, "outside-link"));
symlinkSync("loop", path.join(logs, "loop"));
symlinkSync("..", path.join(logs, "sub", "up"));
symlinkSync("missing.json", path.join(logs, "broken"));
symlinkSync(path.join("sub", "b.json"), path.join(logs, "alias.json"));
symlinkSync("sub", path.join(logs, "zlink-dir"));
if (hasMkfifo) spawnSync("mkfifo", [path.join(logs, "pipe")]);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("walking a folder the user gave", () => {
  it("reads each file once under its real name, and lists every link and FIFO it did not follow", async () => {
    const { sources, problems } = await walkPaths([logs]);
    expect(sources.map((s) => s.path)).toEqual(["logs/a.json", "logs/f\uFFFD.json", "logs/sub/b.json"]);
    expect(problems).toEqual([
      ...(hasMkfifo
        ? [{ path: "logs/pipe", message: "a named pipe (FIFO): skipped, not a file", skipped: true }]
        : []),
      { path: "logs/broken", message: "a broken symbolic link (its target does not exist)", skipped: true },
      {
        path: "logs/etc-link",
        message: `a symbolic link to ${realpathSync("/etc")}, outside the folders you opened: not followed`,
        skipped: true,
      },
      { path: "logs/loop", message: "a symbolic link loop: not followed", skipped: true },
      {
        path: "logs/outside-link",
        message: `a symbolic link to ${realpathSync(outside)}, outside the folders you opened: not followed`,
        skipped: true,
      },
      {
        path: "logs/sub/up",
        message: "a symbolic link to its own folder or one above it (a loop): not followed",
        skipped: true,
      },
    ]);
  });

  it("opens a file whose name is not UTF-8, by its bytes", async () => {
    const { sources } = await walkPaths([logs]);
    const odd = sources.find((s) => s.path === "logs/f\uFFFD.json")!;
    expect(odd.absolutePath.subarray(-oddName.length).equals(oddName)).toBe(true);
    expect(odd.size).toBe(oddContent.length);
    expect(new TextDecoder().decode(await odd.bytes())).toBe(oddContent);
    expect(new TextDecoder().decode(await odd.head(6))).toBe('{"odd"');
    const chunks: Uint8Array[] = [];
    for await (const c of odd.chunks()) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe(oddContent);
    // As a worker thread receives it: the Buffer arrives as a plain Uint8Array.
    const cloned = nodeFileSource(new Uint8Array(odd.absolutePath), odd.path, odd.size, 0);
    expect(new TextDecoder().decode(await cloned.bytes())).toBe(oddContent);
  });

  it("follows a link into another folder the user gave, and a link the user gave", async () => {
    const other = path.join(tmp, "other");
    mkdirSync(path.join(other, "deep"), { recursive: true });
    writeFileSync(path.join(other, "deep", "c.json"), "{}");
    const into = path.join(logs, "into-other");
    symlinkSync(path.join(other, "deep"), into);
    const given = path.join(tmp, "given-link");
    symlinkSync(logs, given);
    try {
      const both = await walkPaths([logs, other]);
      expect(both.sources.map((s) => s.path)).toContain("other/deep/c.json");
      expect(both.problems.map((p) => p.path)).not.toContain("logs/into-other");
      // Given alone, logs' link leads outside it.
      const alone = await walkPaths([logs]);
      expect(alone.problems.find((p) => p.path === "logs/into-other")?.message).toMatch(
        /outside the folders/,
      );
      const viaLink = await walkPaths([given]);
      expect(viaLink.sources.map((s) => s.path)).toEqual([
        "given-link/a.json",
        "given-link/f\uFFFD.json",
        "given-link/sub/b.json",
      ]);
    } finally {
      unlinkSync(into);
      unlinkSync(given);
    }
  });

  it("reports a path that does not exist as an error, not a skip", async () => {
    const { sources, problems } = await walkPaths([path.join(tmp, "nope")]);
    expect(sources).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: "nope", message: expect.stringContaining("ENOENT") });
    expect(problems[0].skipped).toBeUndefined();
  });

  it.skipIf(!hasMkfifo)("refuses a listed file that became a FIFO, without waiting on it", async () => {
    const dir = path.join(tmp, "swap");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "x.json"), "{}");
    const { sources } = await walkPaths([dir]);
    unlinkSync(path.join(dir, "x.json"));
    spawnSync("mkfifo", [path.join(dir, "x.json")]);
    await expect(sources[0].head(10)).rejects.toThrow("a named pipe (FIFO), not a file");
    await expect(sources[0].bytes()).rejects.toThrow("a named pipe (FIFO), not a file");
  });

  it("puts what it skipped into the report the user sees, as warnings", async () => {
    const model = await loadModel([logs]);
    const etc = model.files.find((f) => f.path === "logs/etc-link")!;
    expect(etc).toEqual({
      path: "logs/etc-link",
      format: "unknown",
      bytes: 0,
      records: 0,
      errors: [],
      warnings: [`a symbolic link to ${realpathSync("/etc")}, outside the folders you opened: not followed`],
    });
    expect(model.files.map((f) => f.path)).not.toContain("logs/etc-link/shadow");
    expect(model.files.map((f) => f.path).filter((p) => p.startsWith("logs/etc-link/"))).toEqual([]);
  });
});
