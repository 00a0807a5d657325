import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../shared/formats";
import { timestampNs } from "../../../shared/formats/prometheus/line";
import { ingest, readHead } from "../../../shared/ingest/pipeline";
import { memorySource } from "../../../shared/ingest/source";
import type { LaneData } from "../../../shared/model/types";

const upstream = (name: string) =>
  readFileSync(new URL(`../../fixtures/upstream/prometheus/${name}`, import.meta.url), "utf8");
const OM = upstream("alltypes.5mfs.om.txt");
const TEXT = upstream("prometheus-common-text");
const MTIME = 1_776_988_800_250; // ms: the scrape's file time

async function read(files: Record<string, string>, mtime = MTIME) {
  return ingest(Object.entries(files).map(([p, c]) => memorySource(p, c, mtime)));
}

const detect = async (content: string) =>
  detectFormat(await readHead(memorySource("x", content))).format?.id ?? "unknown";

/** A series' samples as [epoch ns, value]. */
function series(r: { originSec: number; lanes: LaneData[] }, name: string): [bigint, number][] {
  for (const lane of r.lanes) {
    const c = lane.counters.find((s) => s.name === name);
    if (c) return [...c.t].map((t, i) => [BigInt(r.originSec) * 1_000_000_000n + BigInt(t), c.v[i]]);
  }
  throw new Error(`no series ${name}`);
}

const MTIME_NS = BigInt(MTIME) * 1_000_000n;

describe("OpenMetrics scrapes (prometheus/alltypes.5mfs.om.txt)", () => {
  it("is detected by content with the name hidden", async () => {
    expect(await detect(OM)).toBe("prometheus.text");
  });

  it("reads every sample; counters by their _total name, exemplars and # EOF understood", async () => {
    const r = await read({ x: OM });
    expect(r.files[0]).toMatchObject({ format: "prometheus.text", records: 53, errors: [] });
    expect(series(r, 'rpc_requests_total{service="exponential"}')).toEqual([[MTIME_NS, 22]]);
    expect(series(r, 'rpc_requests_total{service="uniform"}')).toEqual([[MTIME_NS, 11]]);
    // A bucket line with an exemplar still holds a good sample: the histogram's count and sum.
    expect(series(r, "rpc_durations_histogram_seconds_count")).toEqual([[MTIME_NS, 15]]);
    expect(series(r, "rpc_durations_histogram_seconds_sum")).toEqual([[MTIME_NS, -8.452185437166741e-5]]);
    expect(series(r, 'rpc_durations_seconds{quantile="0.99",service="normal"}')).toEqual([
      [MTIME_NS, 0.0003023094636293776],
    ]);
    expect(series(r, 'go_build_info{checksum="",path="",version=""}')).toEqual([[MTIME_NS, 1]]);
  });

  it("draws no _created or bucket series, and says what it read but did not draw", async () => {
    const r = await read({ x: OM });
    const names = r.lanes.flatMap((l) => l.counters.map((c) => c.name));
    expect(names.filter((n) => /_created|_bucket/.test(n))).toEqual([]);
    // 53 samples: 21 buckets and 9 _created are not series of their own.
    expect(names).toHaveLength(23);
    expect(r.files[0].warnings).toEqual([
      "read but not drawn: 21 histogram bucket samples (their _sum and _count are drawn), " +
        "9 _created samples (creation times of counters, not values), 6 exemplars (single observations)",
    ]);
  });

  it("reads float-second timestamps exactly, and integer ms in Prometheus text", async () => {
    const om = "# TYPE a counter\na_total 1 1520879607.789\na_total 2 1.7268398142239082e+09\n# EOF\n";
    const r = await read({ "a.om": om });
    expect(series(r, "a_total")).toEqual([
      [1520879607789000000n, 1],
      [1726839814223908200n, 2],
    ]);
    const prom = "# TYPE b gauge\nb 1 1520879607789\nb 2 1520879607001\n";
    expect(series(await read({ "b.prom": prom }), "b")).toEqual([
      [1520879607001000000n, 2],
      [1520879607789000000n, 1],
    ]);
    expect(timestampNs("-5", false)).toBe(-5_000_000n);
    expect(timestampNs("1520879607", true)).toBe(1520879607000000000n);
    expect(timestampNs("1520879607.123456789123", true)).toBe(1520879607123456789n);
    expect(timestampNs("abc", true)).toBeNull();
  });

  it("a large OpenMetrics scrape whose first 64 KiB look like Prometheus text says how it read them", async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `g{i="${i}"} 1 1520879607`);
    const r = await read({ "big.om": [...lines, "# EOF", ""].join("\n") });
    expect(r.files[0]).toMatchObject({ records: 4000, errors: [] });
    expect(r.files[0].warnings).toEqual([
      '4000 integer timestamps were read as milliseconds (Prometheus text), but "# EOF" on line 4001 says OpenMetrics, whose timestamps are seconds',
    ]);
  });

  it("reports text after # EOF on its line, and a missing # EOF as a possibly cut scrape", async () => {
    const after = await read({ "a.om": "# TYPE a gauge\na 1\n# EOF\na 2\nb 3\n" });
    expect(after.files[0].errors).toEqual([{ line: 4, message: 'text after "# EOF" (line 3) is not read' }]);
    expect(series(after, "a")).toEqual([[MTIME_NS, 1]]);
    const cut = OM.slice(0, OM.indexOf("# HELP rpc_requests "));
    const r = await read({ x: cut });
    expect(r.files[0].records).toBe(47);
    expect(r.files[0].warnings[0]).toBe('no "# EOF" line: the OpenMetrics scrape may have been cut short');
  });
});

describe("Prometheus text scrapes (prometheus/prometheus-common-text)", () => {
  it("is detected with the name hidden; 248 series at the file's mtime", async () => {
    expect(await detect(TEXT)).toBe("prometheus.text");
    const r = await read({ "metrics/prometheus-common-text": TEXT });
    expect(r.files[0]).toMatchObject({ records: 248, errors: [], warnings: [] });
    expect(r.lanes).toHaveLength(1);
    expect(r.lanes[0].counters).toHaveLength(248);
    expect(series(r, 'http_requests_total{code="200",handler="prometheus",method="get"}')).toEqual([
      [MTIME_NS, 119],
    ]);
    expect(series(r, "process_resident_memory_bytes")).toEqual([[MTIME_NS, 53870592]]);
  });

  it("a torn scrape keeps its complete samples, and warns about the cut line", async () => {
    const at = TEXT.indexOf("process_cpu_seconds_total 0.55");
    const cuts: [string, string][] = [
      [TEXT.slice(0, at + "process_cpu_sec".length), "the scrape was cut short"],
      // "0.55" cut to "0" still parses, but a line without its newline may hold half a value.
      [TEXT.slice(0, at + "process_cpu_seconds_total 0".length), "no newline after it"],
    ];
    for (const [cut, why] of cuts) {
      expect(await detect(cut)).toBe("prometheus.text");
      const r = await read({ scrape: cut });
      // 166 samples precede line 177, where the cut falls.
      expect(r.files[0]).toMatchObject({ format: "prometheus.text", records: 166, errors: [] });
      expect(r.files[0].warnings).toEqual([`line 177: torn last line dropped (${why})`]);
      expect(series(r, 'http_requests_total{code="200",handler="prometheus",method="get"}')).toEqual([
        [MTIME_NS, 119],
      ]);
      expect(r.lanes[0].counters.some((c) => c.name.startsWith("process_cpu"))).toBe(false);
    }
  });

  it("a bad line is an error on that line; the lines around it still load", async () => {
    // A real scrape (so detection is sure) with bad lines appended after its 322 lines.
    const text = [
      TEXT.trimEnd(),
      'broken{a="x} 1',
      "two_values 1 2 3",
      "not_a_number abc",
      "# TYPE weird flux",
      "after 7",
      "",
    ].join("\n");
    const r = await read({ "m.prom": text });
    expect(r.files[0].errors).toEqual([
      { line: 323, message: 'unterminated quoted string at column 15: broken{a="x} 1' },
      { line: 324, message: "unexpected text after the sample at column 16: two_values 1 2 3" },
      { line: 325, message: 'bad value "abc": not_a_number abc' },
      { line: 326, message: 'unknown metric type "flux" for weird: # TYPE weird flux' },
    ]);
    expect(r.files[0].records).toBe(249);
    expect(series(r, "after")).toEqual([[MTIME_NS, 7]]);
  });

  it("undoes label escapes, prints series as Prometheus does, and reads quoted UTF-8 names", async () => {
    const text = [
      'paths{dir="C:\\\\temp",msg="say \\"hi\\"\\nbye"} 1',
      'paths{msg="plain",dir="b"} 2',
      '{"my.metric","label.x"="v"} 3',
      "",
    ].join("\n");
    const r = await read({ "m.prom": text });
    expect(r.files[0].errors).toEqual([]);
    expect(r.lanes[0].counters.map((c) => [c.name, c.v[0]]).sort()).toEqual([
      ['my.metric{label.x="v"}', 3],
      ['paths{dir="C:\\\\temp",msg="say \\"hi\\"\\nbye"}', 1],
      ['paths{dir="b",msg="plain"}', 2],
    ]);
  });

  it("scrapes without target labels form a lane per folder; job/instance labels pick the lane", async () => {
    const r = await read({
      "run1/a.prom": "up 1\nload 0.5\n",
      "run1/b.prom": "up 0\nload 0.7\n",
      "run2/a.prom": "up 1\nload 0.1\n",
      "jobs.prom": 'up{job="api",instance="h1:80"} 1\nup{job="api",instance="h2:80"} 0\n',
    });
    expect(r.lanes.map((l) => [l.info.id, l.info.label, l.counters[0].v.length]).sort()).toEqual([
      ["prometheus:api:h1:80", "api · h1:80", 1],
      ["prometheus:api:h2:80", "api · h2:80", 1],
      ["prometheus:folder:run1", "run1", 2],
      ["prometheus:folder:run2", "run2", 1],
    ]);
  });

  it("claims no other text: CSV, SSE, Markdown, key=value config", async () => {
    expect(await detect("a,b,c\n1,2,3\n4,5,6\n")).toBe("unknown");
    expect(await detect('event: log\ndata: {"a":1}\n\nevent: end\ndata: {}\n\n')).toBe("unknown");
    expect(await detect("# Title\n\nSome words here.\nMore words.\n")).toBe("unknown");
    expect(await detect("vm.swappiness = 10\nnet.core.somaxconn = 1024\n")).toBe("unknown");
  });
});
