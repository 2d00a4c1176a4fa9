import type { RateLimitCount, RateLimitStore } from './store.js';

/**
 * Rate-limit counters in this process's memory. Expired windows are dropped lazily, with a full
 * sweep whenever the map has grown by `sweepEvery` keys, so memory stays bounded by the number of
 * keys active in one window. Limits are per process: use a shared store behind a load balancer.
 *
 * @example
 * const store = new MemoryRateLimitStore();
 * const { count, resetAt } = await store.increment('ip:203.0.113.7', 60_000);
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, RateLimitCount>();
  private nextSweepAt: number;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sweepEvery = 10_000,
  ) {
    this.nextSweepAt = sweepEvery;
  }

  async increment(key: string, windowMs: number): Promise<RateLimitCount> {
    const now = this.now();
    const current = this.live(key, now);
    const next = current
      ? { count: current.count + 1, resetAt: current.resetAt }
      : { count: 1, resetAt: now + windowMs };
    this.windows.set(key, next);
    if (this.windows.size >= this.nextSweepAt) this.sweep(now);
    return { ...next };
  }

  async get(key: string): Promise<RateLimitCount | null> {
    const current = this.live(key, this.now());
    return current ? { ...current } : null;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  /** Number of keys held, expired or not (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private live(key: string, now: number): RateLimitCount | undefined {
    const current = this.windows.get(key);
    if (current && current.resetAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return current;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    this.nextSweepAt = this.windows.size + this.sweepEvery;
  }
}
