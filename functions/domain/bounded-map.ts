/**
 * A Map that keeps at most `limit` entries, forgetting the oldest first. Caches keyed by what
 * readers type (filter terms on the preferences page) live as long as a warm container: without a
 * bound, a stream of distinct terms grows them until the container runs out of memory.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
    if (!(limit >= 1)) throw new Error(`BoundedMap: limit ${limit} is not at least 1`);
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
