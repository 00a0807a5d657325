/**
 * The tile cache of the open dataset's paged lanes: drawing asks for the tiles of what it
 * shows (`want`), gets what is in memory now and a redraw when the rest arrives. Each frame's
 * missing tiles are read in one IndexedDB transaction, one read at a time: while one runs,
 * only the latest frame's wants wait for the next (a view that moved on does not queue the
 * tiles of every place it passed). Tiles and the joins made of them are kept least recently
 * used first out, within a byte budget; what the latest frame used is never let go.
 */
import { tileBytes, type Tile, type TileSource } from "../view/tiles";
import { readTile, type StoredTile } from "./paging";
import type { RankscopeDb } from "./db";

export const TILE_BUDGET_BYTES = 192 * 2 ** 20;

export interface TileRef {
  laneId: string;
  key: string;
}

export type TileLoader = (refs: TileRef[]) => Promise<(Pick<StoredTile, "strings" | "cols"> | undefined)[]>;

interface Entry {
  value: unknown;
  bytes: number;
  /** The frame that last used it. */
  frame: number;
}

const id = (r: TileRef) => `${r.laneId}\u0000${r.key}`;

export class TileCache implements TileSource {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** The frame drawing now, and the last one that ended (its tiles are on screen). */
  private frame = 0;
  private ended = 0;
  /** Missing tiles asked for in this frame, and the latest frame's waiting behind a read. */
  private wanted = new Map<string, TileRef>();
  private queued: Map<string, TileRef> | null = null;
  private readonly inFlight = new Set<string>();
  private reading = false;
  private flushing = false;
  /** Bumps on reset: a read of the previous dataset that lands later is dropped. */
  private epoch = 0;
  private readonly listeners = new Set<() => void>();
  reads = 0;

  constructor(
    private loader: TileLoader | null = null,
    readonly budget = TILE_BUDGET_BYTES,
  ) {}

  /** A new dataset (or none): everything held is let go. */
  reset(loader: TileLoader | null): void {
    this.loader = loader;
    this.entries.clear();
    this.bytes = 0;
    this.wanted.clear();
    this.queued = null;
    this.inFlight.clear();
    this.reading = false;
    this.epoch++;
  }

  /** Called when tiles arrive (the timeline redraws). */
  onArrive(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get heldBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Resolves once no tile that was asked for is still on its way (an export waits for them). */
  async settled(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    const idle = () => !this.flushing && !this.reading && !this.queued && !this.wanted.size;
    do await new Promise((ok) => setTimeout(ok, 10));
    while (!idle() && Date.now() < until);
  }

  peek(laneId: string, key: string): Tile | undefined {
    return this.entries.get(id({ laneId, key }))?.value as Tile | undefined;
  }

  want(laneId: string, keys: string[]): (Tile | undefined)[] {
    return keys.map((key) => {
      const ref = { laneId, key };
      const k = id(ref);
      this.scheduleFlush();
      const e = this.touch(k);
      if (e) return e.value as Tile;
      if (!this.inFlight.has(k)) this.wanted.set(k, ref);
      return undefined;
    });
  }

  memo<T>(laneId: string, key: string, make: () => { value: T; bytes: number }): T {
    const k = id({ laneId, key: `=${key}` });
    this.scheduleFlush();
    const e = this.touch(k);
    if (e) return e.value as T;
    const made = make();
    this.insert(k, made.value, made.bytes);
    return made.value;
  }

  async load(laneId: string, keys: string[]): Promise<Tile[]> {
    const refs = keys.map((key) => ({ laneId, key }));
    const missing = refs.filter((r) => !this.entries.has(id(r)));
    if (missing.length && this.loader) {
      const epoch = this.epoch;
      const rows = await this.loader(missing);
      if (epoch === this.epoch) missing.forEach((r, i) => this.store(r, rows[i]));
    }
    return refs.map((r) => this.touch(id(r))?.value as Tile).filter(Boolean);
  }

  private touch(k: string): Entry | undefined {
    const e = this.entries.get(k);
    if (!e) return undefined;
    this.entries.delete(k);
    this.entries.set(k, e);
    e.frame = this.frame;
    return e;
  }

  private store(ref: TileRef, row: Pick<StoredTile, "strings" | "cols"> | undefined): void {
    if (!row) return;
    const tile = readTile(row);
    this.insert(id(ref), tile, tileBytes(tile));
  }

  private insert(k: string, value: unknown, bytes: number): void {
    const old = this.entries.get(k);
    if (old) this.bytes -= old.bytes;
    this.entries.delete(k);
    this.entries.set(k, { value, bytes, frame: this.frame });
    this.bytes += bytes;
    this.evict();
  }

  private evict(): void {
    if (this.bytes <= this.budget) return;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.budget) break;
      if (e.frame >= this.ended) continue;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  /** After the frame that asked (a microtask: drawing is one synchronous pass). */
  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() => {
      this.flushing = false;
      this.ended = this.frame++;
      const batch = this.wanted;
      this.wanted = new Map();
      if (!batch.size) return;
      if (this.reading) this.queued = batch;
      else void this.read(batch);
    });
  }

  private async read(batch: Map<string, TileRef>): Promise<void> {
    const refs = [...batch].filter(([k]) => !this.entries.has(k) && !this.inFlight.has(k));
    if (!refs.length || !this.loader) return;
    const epoch = this.epoch;
    this.reading = true;
    for (const [k] of refs) this.inFlight.add(k);
    this.reads++;
    let rows: (Pick<StoredTile, "strings" | "cols"> | undefined)[] = [];
    try {
      rows = await this.loader(refs.map(([, r]) => r));
    } catch {
      // A failed read leaves the coarser picture; the next frame that wants the tiles asks again.
    }
    if (epoch !== this.epoch) return;
    this.reading = false;
    refs.forEach(([k, r], i) => {
      this.inFlight.delete(k);
      this.store(r, rows[i]);
    });
    for (const fn of this.listeners) fn();
    const next = this.queued;
    this.queued = null;
    if (next) void this.read(next);
  }
}

/** Reads tiles of one dataset, all in one transaction. */
export function dbLoader(db: RankscopeDb, datasetId: string): TileLoader {
  return (refs) =>
    db.transaction("r", db.tiles, () => db.tiles.bulkGet(refs.map((r) => [datasetId, r.laneId, r.key])));
}
