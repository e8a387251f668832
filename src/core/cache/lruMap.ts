// A map that keeps its most recently used entries, at most `capacity` of them: every cache in the extension
// (lens results per document, text outlines, looked-up traces, opened traces) is one of these.
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  /** `evicted` hears of each entry pushed out by a newer one (not of deletes). */
  constructor(
    private readonly capacity: number,
    private readonly evicted?: (key: K, value: V) => void,
  ) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size <= this.capacity) return;
    const [oldest, old] = this.entries.entries().next().value as [K, V];
    this.entries.delete(oldest);
    this.evicted?.(oldest, old);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  values(): IterableIterator<V> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }
}
