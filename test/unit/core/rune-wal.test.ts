import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyWal } from "../../../shared/formats/rune/sqlite";
import type { Model } from "../../../shared/model/types";
import { ingestFiles, spans } from "../helpers";

// Real WAL-mode job stores written by SQLite, and what SQLite itself reads from each damaged
// variant of their -wal (test/fixtures/rune/make.py measured it with Python's sqlite3).
const DIR = fileURLToPath(new URL("../../fixtures/rune/", import.meta.url));
const file = (p: string) => new Uint8Array(readFileSync(DIR + p));

type Op =
  | ["xor", number, number]
  | ["put", number, string]
  | ["fill", number, number, number]
  | ["truncate", number]
  | ["append", string];
interface Rows {
  ids: number[];
  jobs: Record<string, string>;
}
interface Variant {
  name: string;
  ops: Op[];
  reason?: string;
  bad?: number;
  lastCommit?: number;
  sqlite: Rows | { error: string };
}
interface Fixture {
  frames: number;
  commitFrames: number[];
  mainOnly: Rows;
  variants: Variant[];
}
const expected = JSON.parse(readFileSync(DIR + "expected.json", "utf8")) as Record<
  "wal" | "restarted",
  Fixture
>;

function damage(wal: Uint8Array, ops: Op[]): Uint8Array {
  let b = wal.slice();
  for (const op of ops) {
    if (op[0] === "xor") b[op[1]] ^= op[2];
    else if (op[0] === "put") b.set(Buffer.from(op[2], "hex"), op[1]);
    else if (op[0] === "fill") b.fill(op[3], op[1], op[1] + op[2]);
    else if (op[0] === "truncate") b = b.slice(0, op[1]);
    else b = new Uint8Array([...b, ...Buffer.from(op[1], "base64")]);
  }
  return b;
}

/** The rows a user sees: every event id drawn, and each job's status on its lane. */
function rows(m: Model): Rows {
  const ids = m.lanes.flatMap((l) => spans(l).map((s) => s.args.id as number)).sort((a, b) => a - b);
  const jobs: Record<string, string> = {};
  for (const l of m.lanes) {
    const state = l.info.state as { status?: string } | undefined;
    if (state?.status) jobs[l.info.id.replace(/^rune:/, "")] = state.status;
  }
  return { ids, jobs };
}

const PHRASE: Record<string, (k: number) => string> = {
  checksum: (k) => `checksum mismatch at frame ${k}`,
  salt: (k) => `salt mismatch at frame ${k}`,
  page: (k) => `page number 0 at frame ${k}`,
  torn: (k) => `the file ends inside frame ${k}`,
};

/** The warning that names what was ignored, built from the frame facts make.py recorded. */
function expectedWarning(v: Variant, wal: Uint8Array): RegExp | null {
  const pageSize = new DataView(wal.buffer, wal.byteOffset).getUint32(8);
  const last = Math.ceil((wal.length - 32) / (24 + pageSize));
  const frames = (a: number, b: number) => (a === b ? `WAL frame ${a}` : `WAL frames ${a}-${b}`);
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  switch (v.reason) {
    case undefined:
      return null;
    case "uncommitted":
      return new RegExp(
        esc(
          `jobs.db-wal: ${frames(v.lastCommit! + 1, last)} ignored: no commit frame after frame ${v.lastCommit}`,
        ),
      );
    case "header":
      return /^jobs\.db-wal ignored: its header fails its checksum; the main file read alone$/;
    case "short":
      return /^jobs\.db-wal ignored: shorter than the 32-byte WAL header \(20 bytes\)/;
    case "version":
      return /^jobs\.db-wal ignored: WAL format version 3007001, not 3007000/;
    case "pagesize":
      return /^jobs\.db-wal ignored: its header names page size 1000, not a power of two/;
    case "unreadable":
      return /committed frames of jobs\.db-wal applied the database does not read \(database disk image is malformed\); the main file read alone$/;
    default:
      return new RegExp(
        `^${esc(`jobs.db-wal: ${frames(v.lastCommit! + 1, last)} ignored: ${PHRASE[v.reason](v.bad!)}`)}`,
      );
  }
}

for (const folder of ["wal", "restarted"] as const) {
  const fx = expected[folder];
  const db = file(`${folder}/jobs.db`);
  const wal = file(`${folder}/jobs.db-wal`);

  describe(`RUNE job store with a -wal (${folder}): read as SQLite reads it`, () => {
    it.each(fx.variants.map((v) => [v.name, v] as const))("%s", async (_, v) => {
      const damaged = damage(wal, v.ops);
      const dbCopy = db.slice();
      const walCopy = damaged.slice();
      const m = await ingestFiles({ "x/jobs.db": db, "x/jobs.db-wal": damaged });
      // SQLite's own answer; where SQLite refuses (an unknown WAL version, a WAL that applies
      // to a database that does not read), the main file's rows are what is left.
      const want = "error" in v.sqlite ? fx.mainOnly : v.sqlite;
      expect(rows(m)).toEqual(want);
      const f = m.files.find((x) => x.path === "x/jobs.db")!;
      expect(f.format).toBe("rune.sqlite");
      expect(f.records).toBe(want.ids.length);
      expect(f.errors).toEqual([]);
      const warning = expectedWarning(v, damaged);
      const frameNotes = f.warnings.filter((w) => w.startsWith("jobs.db-wal") || / does not read /.test(w));
      if (warning) {
        expect(frameNotes).toHaveLength(1);
        expect(frameNotes[0]).toMatch(warning);
      } else expect(frameNotes).toEqual([]);
      const applied = v.lastCommit ?? ("error" in v.sqlite || v.reason ? 0 : fx.frames);
      if (applied && v.reason !== "unreadable")
        expect(f.warnings).toContain(
          `read with jobs.db-wal (${applied} committed WAL frames applied, on a copy)`,
        );
      else expect(f.warnings.join("\n")).not.toMatch(/read with jobs\.db-wal/);
      // The user's files are never written.
      expect(Buffer.from(db).equals(Buffer.from(dbCopy))).toBe(true);
      expect(Buffer.from(damaged).equals(Buffer.from(walCopy))).toBe(true);
    });
  });
}

describe("the WAL of a RUNE job store", () => {
  const fx = expected.wal;
  const db = file("wal/jobs.db");
  const wal = file("wal/jobs.db-wal");

  it("holds 29 events in the main file and 21 more only in the -wal, as SQLite reads it", () => {
    expect(fx.mainOnly.ids).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
    const intact = fx.variants.find((v) => v.name === "intact")!.sqlite as Rows;
    expect(intact.ids).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // The jobs' final statuses were written only to the WAL.
    expect(intact.jobs).toEqual({ "job-1": "succeeded", "job-2": "failed", "job-3": "succeeded" });
    expect(fx.mainOnly.jobs).toEqual({ "job-1": "running", "job-2": "running", "job-3": "running" });
  });

  it("the image ends where the last valid commit says the database ends", () => {
    const dv = new DataView(wal.buffer, wal.byteOffset);
    const pageSize = dv.getUint32(8);
    const lastFrame = 32 + (fx.frames - 1) * (24 + pageSize);
    const applied = applyWal(db, wal, "jobs.db-wal");
    expect(applied.frames).toBe(fx.frames);
    expect(applied.notes).toEqual([]);
    expect(applied.bytes.length).toBe(dv.getUint32(lastFrame + 4) * pageSize);
    // Opens without a WAL: file format versions 1, not 2.
    expect([applied.bytes[18], applied.bytes[19]]).toEqual([1, 1]);
    expect([db[18], db[19]]).toEqual([2, 2]);
  });

  it("the real -shm beside them is a companion, not a file of its own", async () => {
    const m = await ingestFiles({
      "x/jobs.db": db,
      "x/jobs.db-wal": wal,
      "x/jobs.db-shm": file("wal/jobs.db-shm"),
    });
    expect(m.files.find((f) => f.path === "x/jobs.db")!.records).toBe(50);
    expect(m.files.find((f) => f.path === "x/jobs.db-shm")!.warnings.join()).toMatch(/read together with it/);
    expect(m.files.find((f) => f.path === "x/jobs.db-wal")!.warnings.join()).toMatch(/read together with it/);
  });

  it("an empty -wal (after a truncating checkpoint) reads the main file with nothing to say", async () => {
    const m = await ingestFiles({ "x/jobs.db": db, "x/jobs.db-wal": new Uint8Array(0) });
    const f = m.files.find((x) => x.path === "x/jobs.db")!;
    expect(rows(m)).toEqual(fx.mainOnly);
    expect(f.warnings.filter((w) => /jobs\.db-wal/.test(w) && !/read together/.test(w))).toEqual([]);
  });

  it("random damage to the -wal keeps a committed prefix: every row of the main file, no error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: wal.length }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        async (cut, flips) => {
          const damaged = wal.slice(0, cut);
          for (const [at, mask] of flips) if (damaged.length) damaged[at % damaged.length] ^= mask;
          const m = await ingestFiles({ "x/jobs.db": db, "x/jobs.db-wal": damaged });
          const f = m.files.find((x) => x.path === "x/jobs.db")!;
          expect(f.errors).toEqual([]);
          // Only inserts were committed, so any committed state is events 1..k, k from 29 to 50.
          const { ids } = rows(m);
          expect(ids.length).toBeGreaterThanOrEqual(29);
          expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
        },
      ),
      { numRuns: 30 },
    );
  });
});
