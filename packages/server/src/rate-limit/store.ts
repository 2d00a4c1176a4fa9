/** The state of one counter in its current fixed window. */
export interface RateLimitCount {
  /** Hits counted in the current window (after this one, for `increment`). */
  count: number;
  /** When the current window ends, epoch milliseconds. */
  resetAt: number;
}

/**
 * Where rate-limit counters live. The in-memory store serves one process; a shared store (on the
 * database or Redis) makes the limits hold across several server processes. Counters are
 * fixed windows: the first hit opens a window of `windowMs`, and the count resets when it ends.
 */
export interface RateLimitStore {
  /** Counts one hit on `key` and returns the window's count including it. */
  increment(key: string, windowMs: number): Promise<RateLimitCount>;
  /** The current window of `key`, or null when it has none (never hit, or expired). */
  get(key: string): Promise<RateLimitCount | null>;
  /** Forgets `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>;
  /** Releases resources; the server calls it when it closes. */
  close?(): Promise<void>;
}
