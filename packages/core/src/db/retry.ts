import { setTimeout as sleep } from 'node:timers/promises';
import { SQLITE_BUSY_TIMEOUT_MS } from './open.js';

/** How many times a write transaction runs at most when SQLite reports the database busy. */
export const BUSY_ATTEMPTS = 30;

/**
 * True for SQLite's "database is locked" (SQLITE_BUSY, including BUSY_SNAPSHOT): another process
 * holds the write lock, or committed after this transaction began reading. The busy timeout
 * (db/open.ts) already waits for a held lock; what it cannot cure is a transaction that read
 * first and then found its snapshot stale — only running the transaction again can.
 */
export function isSqliteBusy(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') return true;
    if (typeof message === 'string' && message.includes('SQLITE_BUSY')) return true;
    current = cause;
  }
  return false;
}

/**
 * Runs `transaction` and, when it fails because SQLite was busy, runs it again (at most
 * `attempts` times in all) after a short randomised pause, so two processes that collided do not
 * collide again in step. Once the attempts have together waited a busy timeout, a lock is held
 * for good (a stuck process, a long import) and the error is thrown: the caller answers 503
 * instead of queueing. The transaction must be self-contained — it re-reads what it needs —
 * since a failed attempt was rolled back entirely. Other errors are thrown at once.
 *
 * @example
 * const n = await withBusyRetry(() => em.fork().transactional((tx) => insertRows(tx, rows)));
 * @throws whatever `transaction` throws; the last SQLITE_BUSY once the attempts are used up.
 */
export async function withBusyRetry<T>(
  transaction: () => Promise<T>,
  attempts = BUSY_ATTEMPTS,
  /** Whether a failed attempt may run again: false once it consumed something it cannot replay. */
  retryable: () => boolean = () => true,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isSqliteBusy(error) || !retryable() || Date.now() - started >= SQLITE_BUSY_TIMEOUT_MS)
        throw error;
      // 10–20 ms, doubling up to 160–320 ms: enough for the other writer's commit, and the
      // jitter keeps colliding writers from colliding again in step.
      await sleep((5 + Math.random() * 5) * 2 ** Math.min(attempt, 5));
    }
  }
}
