import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelBuilder, type ArgsText } from "../../../shared/model/builder";
import { TimeBase } from "../../../shared/model/time";
import { SpanFlag } from "../../../shared/model/types";

interface Raw {
  start: number;
  len: number;
  name: string;
  depth: number;
  open: boolean;
  args: ArgsText;
  line: number;
}

const raw = fc.record({
  start: fc.double({ min: -1e12, max: 1e12, noNaN: true }),
  len: fc.double({ min: -1e6, max: 1e9, noNaN: true }),
  name: fc.constantFrom("step", "phase", "barrier", ""),
  depth: fc.integer({ min: 0, max: 255 }),
  open: fc.boolean(),
  args: fc.oneof(fc.constantFrom("", '{"rank":1}', '{"step":2}'), fc.constant({ cut: '{"deep":"[cut]"}' })),
  line: fc.integer({ min: 0, max: 1e6 }),
});

const sample = fc.tuple(
  fc.oneof(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.constant(NaN)),
  fc.oneof(fc.double({ noNaN: true }), fc.constant(NaN), fc.constant(Infinity)),
);

/**
 * Two models of the same lanes: one written span by span and sample by sample, one through
 * the batch calls a trace's reader uses. An earlier input in another time base (a day
 * before) wrote to the same lane first, so the batch's times are shifted to the lane's
 * origin too; a second lane of the batch's input ends at that input's latest instant.
 */
function both(spans: Raw[], order: number[] | null, samples: [number, number][], offset: number) {
  const models = [false, true].map((batched) => {
    const b = new ModelBuilder();
    const info = { id: "lane", label: "lane", source: "trace" as const, group: "g" };
    b.setFile(0);
    b.lane(info, new TimeBase(1_777_000_000)).span({ start: 5, end: 9, name: "first" });
    b.setFile(1);
    const later = new TimeBase(1_777_086_400);
    // Another lane of the same input: it ends where the input's latest instant is.
    b.lane({ ...info, id: "other", label: "other" }, later).span({ start: 0, end: 1, name: "short" });
    const lane = b.lane(info, later);
    const k = order ?? spans.map((_, i) => i);
    if (!batched) {
      for (const i of k) {
        const s = spans[i];
        lane.span({
          start: offset + s.start,
          end: offset + (s.start + s.len),
          name: s.name,
          depth: s.depth,
          flags: s.open ? SpanFlag.Open : 0,
          argsText: s.args,
          line: s.line,
        });
      }
      for (const [t, v] of samples) lane.counter("mem", offset + t, v);
    } else {
      lane.spanBatch(
        {
          start: Float64Array.from(spans, (s) => s.start),
          end: Float64Array.from(spans, (s) => s.start + s.len),
          depth: Uint8Array.from(spans, (s) => s.depth),
          flags: Uint8Array.from(spans, (s) => (s.open ? SpanFlag.Open : 0)),
          line: Uint32Array.from(spans, (s) => s.line),
          name: spans.map((s) => s.name),
          args: spans.map((s) => s.args),
        },
        order && Uint32Array.from(order),
        offset,
      );
      lane.counterBatch(
        "mem",
        samples.map(([t]) => t),
        samples.map(([, v]) => v),
        offset,
      );
    }
    return { lanes: b.build(), cuts: [...b.argsCuts] };
  });
  return { one: models[0], batch: models[1] };
}

describe("batch writes", () => {
  it("give the same lane as writing each span and sample", () => {
    fc.assert(
      fc.property(
        fc.array(raw, { maxLength: 60 }),
        fc.array(sample, { maxLength: 60 }),
        fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        fc.boolean(),
        (spans, samples, offset, reversed) => {
          const order = reversed ? spans.map((_, i) => spans.length - 1 - i) : null;
          const { one, batch } = both(spans, order, samples, offset);
          expect(batch).toEqual(one);
          const finite = samples.filter(([t, v]) => Number.isFinite(offset + t) && Number.isFinite(v));
          expect(one.lanes[0].spans.start.length).toBe(spans.length + 1);
          const reach = spans.filter((x) => !x.open).map((x) => offset + Math.max(x.start + x.len, x.start));
          if (reach.length) expect(one.lanes[1].end).toBeGreaterThanOrEqual(Math.max(...reach) - 1e3);
          expect(one.lanes[0].counters.length).toBe(finite.length ? 1 : 0);
        },
      ),
    );
  });

  it("write a series only when a sample of it is placed in time", () => {
    const { one, batch } = both(
      [],
      null,
      [
        [NaN, 1],
        [2, Infinity],
      ],
      0,
    );
    expect(batch).toEqual(one);
    expect(batch.lanes[0].counters).toHaveLength(0);
  });
});
