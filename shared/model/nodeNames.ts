/**
 * How a node is labelled wherever it is shown (lane headers, readout, clocks, exports,
 * `inspect`). Skulk node ids are libp2p peer ids: every one starts "12D3KooW", so a cut
 * after the first characters makes all nodes look alike. A node is shown by its friendly
 * name or hostname when a file named it, else by the shortest end of its id that no other
 * node shares (go-libp2p's own short form also keeps the end). The full id stays in `title`.
 */

/** Anything that says which node it is on: a LaneInfo, or a plain pair. */
export interface NodeNamed {
  node?: string | null;
  nodeName?: string | null;
}

export interface NodeLabel {
  /** What to show: the name, or a short form of the id that tells peers apart. */
  text: string;
  /** The tooltip: the name (when there is one) and the full id. */
  title: string;
}

/** Ids this long or shorter ("node-a", a hostname) are shown whole. */
const WHOLE_MAX = 12;
/** The fewest id characters a short form keeps: 58^6 makes a chance collision rare. */
const MIN_SUFFIX = 6;
const ELLIPSIS = "\u2026";

/** Short forms of ids, unique among the ids given: "…" and the shortest unshared end. */
export function shortNodeIds(ids: Iterable<string>): Map<string, string> {
  const unique = [...new Set(ids)];
  const long = unique.filter((id) => id.length > WHOLE_MAX);
  const out = new Map<string, string>();
  for (const id of unique) {
    if (id.length <= WHOLE_MAX) {
      out.set(id, id);
      continue;
    }
    let k = MIN_SUFFIX;
    // Two ids with equal last k characters both need more; an id that ends another is shown whole.
    while (k < id.length && long.some((o) => o !== id && o.endsWith(id.slice(-k)))) k++;
    out.set(id, k >= id.length ? id : ELLIPSIS + id.slice(-k));
  }
  return out;
}

/**
 * Labels for every node among `items`. A name given for a node on any item names it
 * everywhere; a name that two different nodes share gets their short ids added.
 */
export function nodeLabels(items: Iterable<NodeNamed>): Map<string, NodeLabel> {
  const names = new Map<string, string | null>();
  for (const it of items) {
    if (!it.node) continue;
    const name = it.nodeName?.trim() || null;
    if (!names.get(it.node)) names.set(it.node, name);
  }
  const short = shortNodeIds(names.keys());
  const holders = new Map<string, number>();
  for (const name of names.values()) if (name) holders.set(name, (holders.get(name) ?? 0) + 1);
  const out = new Map<string, NodeLabel>();
  for (const [id, name] of names) {
    const s = short.get(id)!;
    if (!name || name === id) {
      out.set(id, { text: s, title: id });
      continue;
    }
    out.set(id, { text: holders.get(name)! > 1 ? `${name} (${s})` : name, title: `${name}\n${id}` });
  }
  return out;
}
