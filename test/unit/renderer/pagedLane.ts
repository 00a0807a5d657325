import { ModelBuilder } from "../../../shared/model/builder";
import { buildLaneLod, type LaneLod } from "../../../shared/model/lod";
import type { LaneData } from "../../../shared/model/types";
import { laneTiles, readTile } from "../../../renderer/src/db/paging";
import type { Tile, TileSource } from "../../../renderer/src/view/tiles";

/**
 * A big lane shaped like a flight recorder's: `tasks` phases (depth 0), each with 10 decode
 * steps (depth 1, unique args), one marker per 100 tasks, and two memory series sampled
 * every 100 µs. Times in ns from 0; a task lasts 1 ms.
 */
export function bigLane(tasks = 3000, id = "big"): { lane: LaneData; lod: LaneLod } {
  const b = new ModelBuilder();
  const w = b.lane({ id, label: id, source: "skulk", group: "g" });
  for (let i = 0; i < tasks; i++) {
    const t = i * 1e6;
    w.span({
      start: t,
      end: t + 9e5,
      name: i % 2 ? "decode_stream" : "prefill_barrier",
      args: { taskId: `task-${i}` },
    });
    for (let s = 0; s < 10; s++)
      w.span({
        start: t + s * 9e4,
        end: t + s * 9e4 + 6e4,
        name: "generator_step",
        depth: 1,
        args: { step: s, taskId: `task-${i}` },
      });
    if (i % 100 === 50) w.marker({ t: t + 5e5, name: "oom_warning", kind: 1 });
    for (let k = 0; k < 10; k++) {
      w.counter("mlx.active", t + k * 1e5, 1e9 + ((i * 10 + k) % 977) * 1e6);
      w.counter("mlx.peak", t + k * 1e5, 2e9 + ((i * 10 + k) % 13) * 1e7);
    }
  }
  const lane = b.build()[0];
  return { lane, lod: buildLaneLod(lane) };
}

/** Every tile of a paged lane, by key, as the cache would hold them. */
export function tileMap(
  lane: LaneData,
  lod: LaneLod,
  index: Parameters<typeof laneTiles>[2],
): Map<string, Tile> {
  const out = new Map<string, Tile>();
  for (const t of laneTiles(lane, lod, index)) out.set(t.key, readTile(t));
  return out;
}

/** A tile source that holds every tile (what drawing sees once all have arrived). */
export function fullSource(tiles: Map<string, Tile>): TileSource & { wanted: string[] } {
  const wanted: string[] = [];
  return {
    wanted,
    want: (_lane, keys) => keys.map((k) => (wanted.push(k), tiles.get(k))),
    peek: (_lane, key) => tiles.get(key),
    load: async (_lane, keys) => keys.map((k) => tiles.get(k)!),
    memo: (_lane, _key, make) => make().value,
  };
}

/** The spans of [start, end] as plain rows (what drawing paints of that range). */
export function spansIn(
  s: { start: Float64Array; end: Float64Array; name: Uint32Array; depth: Uint8Array; strings: string[] },
  start: number,
  end: number,
) {
  const out: string[] = [];
  for (let i = 0; i < s.start.length; i++)
    if (s.start[i] <= end && s.end[i] >= start)
      out.push(`${s.start[i]}-${s.end[i]} ${s.strings[s.name[i]]} d${s.depth[i]}`);
  return out.sort();
}
