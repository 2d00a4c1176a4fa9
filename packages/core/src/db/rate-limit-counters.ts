import type { Orm } from './open.js';
import { withBusyRetry } from './retry.js';

/** The state of one counter in its current fixed window. */
export interface RateLimitWindow {
  /** Hits counted in the current window. */
  count: number;
  /** When the window ends, epoch milliseconds. */
  resetAt: number;
}

/** Expired windows are deleted once every this many increments (per process). */
const SWEEP_EVERY = 1000;

interface Row {
  count: number | string;
  reset_at: number | string;
}

const toWindow = (row: Row): RateLimitWindow => ({ count: Number(row.count), resetAt: Number(row.reset_at) });

/**
 * Fixed-window counters in the database (table `rate_limits`), so that every process on it —
 * `catalog serve --workers N`, several containers on one PostgreSQL — counts the same hits.
 * Each increment is one atomic upsert: two processes can never both see the same count. It has
 * the shape of the server's `RateLimitStore`.
 *
 * @example
 * const { count, resetAt } = await catalog.rateLimits.increment('auth-ip:203.0.113.7', 60_000);
 */
export class RateLimitCounters {
  private untilSweep = SWEEP_EVERY;

  constructor(
    private readonly orm: Orm,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one hit on `key`: opens a window of `windowMs` when it has none (or it expired).
   * @returns the window's count including this hit.
   * @throws the driver's error when the database is unavailable.
   */
  async increment(key: string, windowMs: number): Promise<RateLimitWindow> {
    const now = this.now();
    if (--this.untilSweep <= 0) {
      this.untilSweep = SWEEP_EVERY;
      await this.run('delete from rate_limits where reset_at <= ?', [now], 'run');
    }
    // SET expressions all see the row as it was, so `count` tests the old reset_at.
    const rows = await this.run(
      `insert into rate_limits (key, count, reset_at) values (?, 1, ?)
       on conflict (key) do update set
         count = case when rate_limits.reset_at <= ? then 1 else rate_limits.count + 1 end,
         reset_at = case when rate_limits.reset_at <= ? then excluded.reset_at else rate_limits.reset_at end
       returning count, reset_at`,
      [key, now + windowMs, now, now],
    );
    return toWindow(rows[0] as Row);
  }

  /** The live window of `key`, or null when it has none. */
  async get(key: string): Promise<RateLimitWindow | null> {
    const rows = await this.run('select count, reset_at from rate_limits where key = ? and reset_at > ?', [
      key,
      this.now(),
    ]);
    return rows[0] ? toWindow(rows[0] as Row) : null;
  }

  /** Forgets `key`. */
  async reset(key: string): Promise<void> {
    await this.run('delete from rate_limits where key = ?', [key], 'run');
  }

  /**
   * Forgets every key that starts with `prefix` (compared exactly: no wildcards, case-sensitive
   * on both databases). It scans the table: meant for rare operator actions such as an unlock.
   */
  async resetPrefix(prefix: string): Promise<void> {
    // substr counts characters (code points) on SQLite and PostgreSQL alike.
    await this.run('delete from rate_limits where substr(key, 1, ?) = ?', [[...prefix].length, prefix], 'run');
  }

  private run(sql: string, params: unknown[], method: 'all' | 'run' = 'all'): Promise<Row[]> {
    const connection = this.orm.em.getConnection();
    return withBusyRetry(() => connection.execute<Row[]>(sql, params, method));
  }
}
