import { describe, expect, it } from "vitest";
import { ingestFiles } from "../helpers";

const PNG_BYTES = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);

describe("junk in a folder", () => {
  it("is listed as unknown with a reason, and nothing crashes", async () => {
    const m = await ingestFiles({
      "shot.png": PNG_BYTES,
      "README.md": "# Run 42\nNotes from the on-call.\n",
      "empty.json": "",
      "blank.txt": "   \n\n",
      "package.json": JSON.stringify({ name: "x", version: "1.0.0", dependencies: {} }),
      "deep.json": "[".repeat(200_000) + "]".repeat(200_000),
      "latin1.log": Uint8Array.from([
        0x48, 0xe9, 0x6c, 0x6c, 0xf6, 0x20, 0xff, 0xfe, 0xe4, 0xfc, 0xe9, 0xe8, 0xe0, 0xf9, 0xf1, 0xe7,
      ]),
      // `curl … > timeline.json` in Windows PowerShell 5: UTF-16LE with a byte-order mark.
      "utf16.json": Uint8Array.from([
        0xff,
        0xfe,
        ...[...'{"timeline": []}'].flatMap((c) => [c.charCodeAt(0), 0]),
      ]),
      "deep-lines.jsonl":
        '{"a":'.repeat(5000) + "1" + "}".repeat(5000) + "\n" + "[".repeat(5000) + "]".repeat(5000) + "\n",
      "spaces.txt": " \n".repeat(300_000),
    });
    const why = Object.fromEntries(
      m.files.map((f) => [f.path, [...f.warnings, ...f.errors.map((e) => e.message)].join(" ")]),
    );
    for (const f of m.files) expect(f.format).toBe("unknown");
    expect(why["shot.png"]).toMatch(/binary/);
    expect(why["README.md"]).toMatch(/not a telemetry format/);
    expect(why["empty.json"]).toBe("empty file");
    expect(why["blank.txt"]).toBe("only whitespace");
    expect(why["package.json"]).toMatch(/JSON, but not a telemetry shape .*keys: name, version/);
    expect(why["deep.json"]).toMatch(/JSON/);
    expect(why["latin1.log"]).toMatch(/not UTF-8|binary/);
    expect(why["utf16.json"]).toBe(
      "UTF-16 text: Rankscope reads UTF-8 (save the file as UTF-8, e.g. `Out-File -Encoding utf8`)",
    );
    expect(why["deep-lines.jsonl"]).toBe("JSON, but not a telemetry shape Rankscope knows (keys: a)");
    expect(why["spaces.txt"]).toBe("only whitespace");
    expect(m.lanes).toEqual([]);
  });
});
