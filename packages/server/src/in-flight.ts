import type { Middleware } from 'koa';
import type { AppState } from './state.js';

/**
 * Counts requests whose handlers are still running. A client that hangs up does not stop its
 * handler, so "no open connections" is not "no work left": shutdown waits for this count to reach
 * zero before the database is closed under the handlers.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  middleware(): Middleware<AppState> {
    return async (_ctx, next) => {
      this.count++;
      try {
        await next();
      } finally {
        if (--this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
      }
    };
  }

  /** Resolves when no handler runs, or after `timeoutMs` (whatever is left is then cut off). */
  drained(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
