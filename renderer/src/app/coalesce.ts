/**
 * The latest of a stream of values, handed on at most once per `ms`: the first after
 * `firstMs`, each later one `ms` after the one before. `cancel` drops what is pending (an
 * import that ended must not paint over the next one).
 */
export interface Coalesced<T> {
  push(value: T): void;
  cancel(): void;
}

export function coalesce<T>(ms: number, apply: (value: T) => void, firstMs = ms): Coalesced<T> {
  let latest: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let applied = false;
  const fire = () => {
    timer = null;
    const v = latest;
    latest = null;
    applied = true;
    if (v) apply(v.value);
  };
  return {
    push(value) {
      latest = { value };
      timer ??= setTimeout(fire, applied ? ms : firstMs);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      latest = null;
    },
  };
}
