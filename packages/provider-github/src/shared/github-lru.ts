/** A small least-recently-used map. */
export class Lru<V> {
  readonly #items = new Map<string, V>();
  constructor(readonly capacity: number) {}
  get(key: string): V | undefined {
    const value = this.#items.get(key);
    if (value !== undefined) {
      this.#items.delete(key);
      this.#items.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    if (this.capacity <= 0) return;
    this.#items.delete(key);
    this.#items.set(key, value);
    while (this.#items.size > this.capacity) {
      const oldest = this.#items.keys().next().value;
      if (oldest === undefined) break;
      this.#items.delete(oldest);
    }
  }
  get size(): number {
    return this.#items.size;
  }
}
