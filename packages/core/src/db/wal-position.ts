import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Positions in PostgreSQL's write-ahead log (an LSN, `pg_lsn`, written `X/Y` in hex), and the
 * position the reads of the current async context must see (read-your-writes, docs/scaling.md).
 */

/** `X/Y` as PostgreSQL writes an LSN: two hex numbers of at most 8 digits. */
const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The LSN written as `X/Y`, as a number that orders like the log; undefined when it is not one. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  const match = text == null ? null : LSN_TEXT.exec(text.trim());
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** An LSN as PostgreSQL writes it (`X/Y`, upper-case hex). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

const minimum = new AsyncLocalStorage<bigint>();

/** Runs `fn` with reads that must see the log at least up to `lsn` (a replica behind it is not read). */
export function readingAfter<T>(lsn: bigint, fn: () => T): T {
  return minimum.run(lsn, fn);
}

/** The position the reads of the current async context must see, if any. */
export function minimumReadPosition(): bigint | undefined {
  return minimum.getStore();
}
