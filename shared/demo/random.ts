/** A small seeded PRNG (mulberry32) so generated datasets are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Python `datetime.isoformat()` of epoch microseconds in UTC: no fraction when it is zero. */
export function pyIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  const micro = us - Math.floor(us / 1e6) * 1e6;
  return micro === 0 ? `${base}+00:00` : `${base}.${String(micro).padStart(6, "0")}+00:00`;
}
