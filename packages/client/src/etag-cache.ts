/** Options of the client's ETag cache (`createClient({ cache })`). */
export interface CacheOptions {
  /** Most entries kept; the least recently used go first (default 500). */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 500;

/**
 * Bodies of conditional reads by URL, with the ETag they came with. A read sends the ETag back
 * in `If-None-Match`; a 304 then returns the body kept here instead of transferring it again.
 * Bounded: the least recently used entry is dropped first.
 */
export class ETagCache {
  readonly #entries = new Map<string, { etag: string; value: unknown }>();
  readonly #max: number;

  constructor(options: CacheOptions = {}) {
    this.#max = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  }

  /** The entry of `key`, counted as just used. */
  get(key: string): { etag: string; value: unknown } | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, etag: string, value: unknown): void {
    this.#entries.delete(key);
    this.#entries.set(key, { etag, value });
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Forgets everything (a new session may see other bodies under the same URLs). */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
