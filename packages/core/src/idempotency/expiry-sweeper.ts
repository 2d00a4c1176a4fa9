import type { IdempotencyStore } from './idempotency-store.js';

/** Rows deleted per statement, and statements per round at most: each delete stays short. */
const BATCH = 1000;
const BATCHES_PER_ROUND = 20;

/** A background cleanup that can be stopped. */
export interface ExpirySweeper {
  /** Runs one round now (the timer does this on its own): deletes expired keys in bounded batches. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

/**
 * Deletes expired idempotency keys every `intervalMs`, off the request path: requests treat an
 * expired key as absent by themselves, so the sweep only reclaims space and may lag. A failed
 * round (database briefly away) is dropped; the next one catches up. The timer does not keep the
 * process alive.
 */
export function startExpirySweeper(store: IdempotencyStore, intervalMs: number): ExpirySweeper {
  let running: Promise<number> | null = null;
  const sweep = () => {
    running ??= (async () => {
      let total = 0;
      for (let batch = 0; batch < BATCHES_PER_ROUND; batch++) {
        const deleted = await store.deleteExpired(BATCH);
        total += deleted;
        if (deleted < BATCH) break;
      }
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void sweep().catch(() => undefined), intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
