import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseLaunchArgs, PathAllowlist } from "../../../electron/paths";

describe("PathAllowlist", () => {
  it("allows a granted folder and everything under it, nothing beside or above it", () => {
    const list = new PathAllowlist("linux");
    list.grant(["/home/ana/runs/r1"], "dialog");
    expect(list.allows("/home/ana/runs/r1")).toBe(true);
    expect(list.allows("/home/ana/runs/r1/node-a/diag.json")).toBe(true);
    expect(list.allows("/home/ana/runs/r10")).toBe(false);
    expect(list.allows("/home/ana/runs")).toBe(false);
    expect(list.allows("/home/ana/.ssh/id_ed25519")).toBe(false);
  });

  it("sees through .. that climbs out of a granted folder", () => {
    const list = new PathAllowlist("linux");
    list.grant(["/data/logs"], "drop");
    expect(list.allows("/data/logs/../../etc/passwd")).toBe(false);
    expect(list.allows("/data/logs/a/../b.json")).toBe(true);
  });

  it("refuses relative paths, empty strings, NUL bytes and non-strings", () => {
    const list = new PathAllowlist("linux");
    list.grant(["/data"], "argv");
    for (const bad of ["data/x.json", "./x", "", "/data/x\0.json", 42, null, undefined, ["/data"]]) {
      expect(list.allows(bad)).toBe(false);
    }
    expect(list.refused(["/data/a", "/etc/passwd", 7])).toEqual(["/etc/passwd", "7"]);
  });

  it("resolves relative command-line paths against the launch directory", () => {
    const list = new PathAllowlist("linux");
    expect(list.grant(["logs", "../other/run.jsonl"], "argv", "/home/ana/work")).toEqual([
      "/home/ana/work/logs",
      "/home/ana/other/run.jsonl",
    ]);
    expect(list.allows("/home/ana/work/logs/x.json")).toBe(true);
    expect(list.allows("/home/ana/other/run.jsonl")).toBe(true);
    expect(list.allows("/home/ana/other/secret")).toBe(false);
  });

  it("compares case-insensitively on Windows, with its own separators and drives", () => {
    const list = new PathAllowlist("win32");
    list.grant(["C:\\Users\\Ana\\Runs"], "dialog");
    expect(list.allows("c:\\users\\ana\\runs\\a.json")).toBe(true);
    expect(list.allows("C:\\Users\\Ana\\Runs\\..\\secret.txt")).toBe(false);
    expect(list.allows("D:\\Users\\Ana\\Runs\\a.json")).toBe(false);
  });

  it("is case-sensitive on Linux", () => {
    const list = new PathAllowlist("linux");
    list.grant(["/data/Runs"], "dialog");
    expect(list.allows("/data/runs/a.json")).toBe(false);
  });

  it("grants nothing until told", () => {
    const list = new PathAllowlist("linux");
    expect(list.size).toBe(0);
    expect(list.allows("/")).toBe(false);
  });
});

describe("PathAllowlist on disk", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "rankscope-paths-"));
  const runs = path.join(tmp, "runs");
  const secrets = path.join(tmp, "secrets");
  mkdirSync(path.join(runs, "node-a"), { recursive: true });
  mkdirSync(secrets);
  writeFileSync(path.join(runs, "node-a", "diag.json"), "{}");
  writeFileSync(path.join(secrets, "id_ed25519"), "key");
  symlinkSync(secrets, path.join(runs, "secrets-link"));
  symlinkSync(path.join(runs, "node-a"), path.join(runs, "latest"));
  symlinkSync(runs, path.join(tmp, "runs-link"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("refuses a path whose name is under a granted folder but which leads outside it through a link", () => {
    const list = new PathAllowlist();
    list.grant([runs], "drop");
    const through = path.join(runs, "secrets-link", "id_ed25519");
    expect(list.allows(through)).toBe(true);
    expect(list.allowsOnDisk(through)).toBe(false);
    expect(list.allowsOnDisk(path.join(runs, "secrets-link"))).toBe(false);
    expect(list.refusedOnDisk([path.join(runs, "node-a"), through])).toEqual([through]);
  });

  it("allows links that stay inside, paths not there yet, and a granted folder that is itself a link", () => {
    const list = new PathAllowlist();
    list.grant([runs], "drop");
    expect(list.allowsOnDisk(path.join(runs, "latest", "diag.json"))).toBe(true);
    expect(list.allowsOnDisk(path.join(runs, "node-b", "later.json"))).toBe(true);
    expect(list.allowsOnDisk(path.join(runs, "secrets-link", "new.json"))).toBe(false);
    const viaLink = new PathAllowlist();
    viaLink.grant([path.join(tmp, "runs-link")], "argv");
    expect(viaLink.allowsOnDisk(path.join(tmp, "runs-link", "node-a", "diag.json"))).toBe(true);
    expect(viaLink.allowsOnDisk(path.join(tmp, "runs-link", "secrets-link", "id_ed25519"))).toBe(false);
  });
});

describe("parseLaunchArgs", () => {
  it("skips the executable and, in development, the app path", () => {
    expect(
      parseLaunchArgs(["/usr/bin/electron", "dist/electron/main.cjs", "runs/a", "b.jsonl"], {
        defaultApp: true,
      }),
    ).toEqual(["runs/a", "b.jsonl"]);
    expect(parseLaunchArgs(["/usr/bin/electron", "."], { defaultApp: true })).toEqual([]);
  });

  it("keeps the first argument of a packaged app: there is no app path", () => {
    expect(parseLaunchArgs(["/opt/Rankscope/rankscope", "runs/a"], { defaultApp: false })).toEqual([
      "runs/a",
    ]);
  });

  it("drops Electron, Chromium and Node flags wherever they are", () => {
    const argv = [
      "/usr/bin/electron",
      "--inspect=0",
      "--remote-debugging-port=0",
      "/app/dist/electron/main.cjs",
      "--no-sandbox",
      "/tmp/skulk",
      "-psn_0_12345",
    ];
    expect(parseLaunchArgs(argv, { defaultApp: true })).toEqual(["/tmp/skulk"]);
  });

  it("takes everything after -- as a path, so a file named like a flag can be opened", () => {
    expect(parseLaunchArgs(["rankscope", "--", "--weird-name.json"], { defaultApp: false })).toEqual([
      "--weird-name.json",
    ]);
  });
});
