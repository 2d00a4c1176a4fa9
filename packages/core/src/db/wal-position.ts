import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * The WAL position the reads of the current async context must see (read-your-writes,
 * docs/scaling.md); positions are parsed by the contract's parseLsn.
 */

const minimum = new AsyncLocalStorage<bigint>();

/** Runs `fn` with reads that must see the log at least up to `lsn` (a replica behind it is not read). */
export function readingAfter<T>(lsn: bigint, fn: () => T): T {
  return minimum.run(lsn, fn);
}

/** The position the reads of the current async context must see, if any. */
export function minimumReadPosition(): bigint | undefined {
  return minimum.getStore();
}
