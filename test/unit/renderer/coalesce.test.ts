import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { coalesce } from "../../../renderer/src/app/coalesce";

describe("coalesce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("hands on only the latest value, at most once per period", () => {
    const seen: number[] = [];
    const c = coalesce(250, (v: number) => seen.push(v));
    for (let i = 1; i <= 20; i++) {
      c.push(i);
      vi.advanceTimersByTime(50);
    }
    // 20 values over 1 s: one every 250 ms, each the newest at that moment.
    expect(seen).toEqual([5, 10, 15, 20]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([5, 10, 15, 20]);
  });

  it("sends its first value after firstMs, later ones a period apart", () => {
    const seen: string[] = [];
    const c = coalesce(300, (v: string) => seen.push(v), 0);
    c.push("a");
    vi.advanceTimersByTime(0);
    expect(seen).toEqual(["a"]);
    c.push("b");
    c.push("c");
    vi.advanceTimersByTime(299);
    expect(seen).toEqual(["a"]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(["a", "c"]);
  });

  it("drops what is pending when cancelled", () => {
    const seen: number[] = [];
    const c = coalesce(100, (v: number) => seen.push(v));
    c.push(1);
    c.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([]);
    c.push(2);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([2]);
  });
});
