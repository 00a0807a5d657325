/**
 * Values nested deeper than this are cut. JSON.parse reads any depth, but everything that
 * walks a value recursively (JSON.stringify of span args, the renderer's details, the
 * Chrome-trace export, a format's own helpers) overflows the stack a few thousand levels
 * down, and no telemetry needs a hundred.
 */
export const MAX_VALUE_DEPTH = 100;

/** What stands in for a cut value, so the user sees that something was there. */
export const TOO_DEEP = `[cut: nested deeper than ${MAX_VALUE_DEPTH} levels]`;

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === "object" && v !== null;
}

/**
 * Whether objects or arrays inside the value go deeper than `max` levels (the value is
 * level 1). Runs for every span's args: flat args allocate nothing.
 */
export function deeperThan(value: unknown, max = MAX_VALUE_DEPTH): boolean {
  if (!isContainer(value)) return false;
  let stack: [Container, number][] | null = null;
  let node: Container = value;
  let depth = 1;
  for (;;) {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (!isContainer(v)) continue;
        if (depth >= max) return true;
        (stack ??= []).push([v, depth + 1]);
      }
    } else {
      for (const k in node) {
        const v = node[k];
        if (!isContainer(v)) continue;
        if (depth >= max) return true;
        (stack ??= []).push([v, depth + 1]);
      }
    }
    const next = stack?.pop();
    if (!next) return false;
    [node, depth] = next;
  }
}

/**
 * Replaces, in place, every object or array below level `max` with TOO_DEEP, walking with
 * a heap stack rather than recursion; returns how many were cut. For freshly parsed values.
 */
export function cutDeepValues(value: unknown, max = MAX_VALUE_DEPTH): number {
  if (!isContainer(value)) return 0;
  let cuts = 0;
  const stack: [Container, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const record = node as Record<string, unknown>;
    for (const k of Object.keys(node)) {
      const v = record[k];
      if (!isContainer(v)) continue;
      if (depth >= max) {
        record[k] = TOO_DEEP;
        cuts++;
      } else stack.push([v, depth + 1]);
    }
  }
  return cuts;
}

/**
 * A copy that JSON.stringify can always write: cut below level `max` (which also ends
 * cycles), BigInts as decimal strings. The input is left as it is.
 */
export function serialisableCopy(value: unknown, max = MAX_VALUE_DEPTH): { value: unknown; cuts: number } {
  const plain = (v: unknown) => (typeof v === "bigint" ? v.toString() : v);
  if (!isContainer(value)) return { value: plain(value), cuts: 0 };
  let cuts = 0;
  const empty = (v: Container): Container => (Array.isArray(v) ? [] : {});
  const root = empty(value);
  const stack: [Container, Record<string, unknown>, number][] = [[value, root as Record<string, unknown>, 1]];
  while (stack.length) {
    const [src, dst, depth] = stack.pop()!;
    for (const [k, v] of Object.entries(src)) {
      if (!isContainer(v)) dst[k] = plain(v);
      else if (depth >= max) {
        dst[k] = TOO_DEEP;
        cuts++;
      } else {
        const copy = empty(v);
        dst[k] = copy;
        stack.push([v, copy as Record<string, unknown>, depth + 1]);
      }
    }
  }
  return { value: root, cuts };
}
