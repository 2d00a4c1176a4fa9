import { CatalogApiError } from './errors.js';

/** First backoff step and the longest wait between two attempts (Retry-After included), in ms. */
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** Failures a later attempt may not meet: no answer at all, a gateway's error, a write still running. */
export function shouldRetry(error: unknown): boolean {
  if (!(error instanceof CatalogApiError)) return false;
  return (
    error.code === 'network_error' ||
    error.status === 502 ||
    error.status === 503 ||
    error.status === 504 ||
    (error.status === 409 && error.code === 'idempotency_key_in_flight')
  );
}

/**
 * How long to wait before attempt `attempt + 1`: the server's `Retry-After` when it sent one,
 * else exponential backoff (250 ms, 500 ms, 1 s, …) with full jitter, so that clients that failed
 * together do not come back together; never more than 5 s.
 */
export function retryDelayMs(error: unknown, attempt: number): number {
  const retryAfter = error instanceof CatalogApiError ? error.retryAfter : null;
  if (retryAfter !== null) return Math.min(retryAfter * 1000, MAX_DELAY_MS);
  return Math.random() * Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
