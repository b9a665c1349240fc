/**
 * In-memory state for fakes: collections with stable ordering, id sequences and a
 * controllable clock, so a fake answers the same way on every run.
 */

/** Thrown by {@link FakeCollection.require} and {@link FakeCollection.update} for an unknown id; fake servers answer it with the vendor's 404. */
export class FakeNotFound extends Error {
  readonly id: string;
  constructor(id: number | string, what = 'object') {
    super(`fake: no ${what} with id ${String(id)}`);
    this.name = 'FakeNotFound';
    this.id = String(id);
  }
}

export interface FakeCollectionOptions<T> {
  /** Order of `list()`; default: insertion order. */
  compare?: (a: T, b: T) => number;
  /** Names the kind of object in not-found errors (default `object`). */
  name?: string;
}

/** A keyed collection whose `list()` order is stable (insertion order unless `compare` is given). */
export class FakeCollection<T extends { id: number | string }> {
  readonly #items = new Map<string, T>();
  readonly #compare: ((a: T, b: T) => number) | undefined;
  readonly #name: string;

  constructor(options: FakeCollectionOptions<T> = {}) {
    this.#compare = options.compare;
    this.#name = options.name ?? 'object';
  }

  /** Adds or replaces an item (a replaced item keeps its position). */
  insert(item: T): T {
    this.#items.set(String(item.id), item);
    return item;
  }

  get(id: T['id']): T | undefined {
    return this.#items.get(String(id));
  }

  /** The item, or a {@link FakeNotFound}. */
  require(id: T['id']): T {
    const item = this.get(id);
    if (item === undefined) throw new FakeNotFound(id, this.#name);
    return item;
  }

  /** Merges `patch` into the item and returns the new item. */
  update(id: T['id'], patch: Partial<T>): T {
    const current = this.require(id);
    const next = { ...current, ...patch, id: current.id } as T;
    this.#items.set(String(current.id), next);
    return next;
  }

  delete(id: T['id']): boolean {
    return this.#items.delete(String(id));
  }

  /** Items matching `filter`, in stable order. */
  list(filter?: (item: T) => boolean): T[] {
    const out = [...this.#items.values()].filter((item) => (filter ? filter(item) : true));
    if (this.#compare) {
      const compare = this.#compare;
      // Stable: ties keep insertion order.
      return out.map((item, index) => ({ item, index })).sort((a, b) => compare(a.item, b.item) || a.index - b.index).map((e) => e.item);
    }
    return out;
  }

  get size(): number {
    return this.#items.size;
  }

  clear(): void {
    this.#items.clear();
  }
}

/** A counter: `next()` returns `start`, `start + 1`, ... (default start 1). */
export function createSequence(start = 1): () => number {
  let next = start;
  return () => next++;
}

/** A clock that only moves when told to, so timestamps in fakes are deterministic and distinct. */
export class FakeClock {
  #ms: number;

  /** @param start ISO-8601 start time; default `2026-01-01T00:00:00Z`. */
  constructor(start = '2026-01-01T00:00:00Z') {
    const ms = Date.parse(start);
    if (Number.isNaN(ms)) throw new TypeError(`FakeClock: invalid start time "${start}"`);
    this.#ms = ms;
  }

  now(): Date {
    return new Date(this.#ms);
  }

  /** The current time as ISO-8601 without milliseconds (`2026-01-01T00:00:00Z`), as most vendors print it. */
  iso(): string {
    return new Date(this.#ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Moves the clock forward (default 1000 ms) and returns the new {@link iso} time. */
  tick(ms = 1000): string {
    this.#ms += ms;
    return this.iso();
  }

  /** Sets the clock to an instant (ISO-8601 or a Date). */
  set(time: string | Date): string {
    const ms = typeof time === 'string' ? Date.parse(time) : time.getTime();
    if (Number.isNaN(ms)) throw new TypeError(`FakeClock: invalid time "${String(time)}"`);
    this.#ms = ms;
    return this.iso();
  }
}
