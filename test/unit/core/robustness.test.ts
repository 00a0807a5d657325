import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ingest } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import { LINE_FIXTURES, OTHER_FIXTURES, sqliteFixture } from "./robustnessFixtures";

const enc = new TextEncoder();

const quick = { numRuns: 25 };

describe("random damage never throws out of the ingest", () => {
  it("truncated line files keep every complete record before the cut", async () => {
    for (const [name, text] of Object.entries(LINE_FIXTURES)) {
      const bytes = enc.encode(text);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (cut) => {
          const part = bytes.subarray(0, cut);
          const r = await ingest([memorySource(name, part)]);
          const complete = new TextDecoder().decode(part).split("\n").length - 1;
          if (r.files[0].format === "unknown") return;
          expect(r.files[0].records).toBeGreaterThanOrEqual(complete);
          // A cut line is a torn last line: a warning, not an error.
          expect(r.files[0].errors).toEqual([]);
        }),
        quick,
      );
    }
  });

  it("truncation or corruption of any fixture is reported, never thrown", async () => {
    const all: Record<string, Uint8Array> = Object.fromEntries(
      [...Object.entries(LINE_FIXTURES), ...Object.entries(OTHER_FIXTURES)].map(([k, v]) => [
        k,
        enc.encode(v),
      ]),
    );
    all["jobs.db"] = await sqliteFixture();
    for (const [name, bytes] of Object.entries(all)) {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: bytes.length }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
          async (cut, flips) => {
            const damaged = bytes.slice(0, cut);
            for (const [at, value] of flips) if (damaged.length) damaged[at % damaged.length] = value;
            const r = await ingest([
              memorySource(name, damaged),
              memorySource("ok/other.jsonl", LINE_FIXTURES["stormlog.jsonl"]),
            ]);
            // The damaged file is reported; the intact one beside it still loads whole.
            expect(r.files).toHaveLength(2);
            expect(r.files.find((f) => f.path === "ok/other.jsonl")!.records).toBe(30);
          },
        ),
        { numRuns: 15 },
      );
    }
  });
});
