import type { DatabaseKind } from '../config.js';
import type { CursorValue, SortKey, SqlCondition } from '../cursor/index.js';

/*
 * The order of the feed and which rows a reader may take. SQLite commits one writer at a time, so
 * `seq` (taken inside the writing transaction) is commit order. On PostgreSQL it is not: a
 * transaction may take a number and commit after one that took a later number. There a reader
 * takes only rows of transactions older than the oldest one still running (below the snapshot's
 * xmin every transaction has committed or rolled back), in (txid, seq) order: any row that becomes
 * visible later belongs to a transaction at or above that xmin, and so sorts after every row
 * already read. Two writes of one product are ordered by the row lock: the second transaction's
 * first write waits for the first to commit, and its id is assigned after the first's.
 */

/** The feed's order, as the cursor module's sort spec. */
export function changeSort(database: DatabaseKind): SortKey[] {
  const seq: SortKey = { field: 'seq', direction: 'asc', type: 'number' };
  return database === 'postgresql' ? [{ field: 'txid', direction: 'asc', type: 'number' }, seq] : [seq];
}

/** The rows a reader may take now (PostgreSQL: only settled transactions). */
export function settledChanges(database: DatabaseKind): SqlCondition[] {
  return database === 'postgresql' ? [{ sql: 'txid < txid_snapshot_xmin(txid_current_snapshot())' }] : [];
}

/** The position before every change. */
export function startPosition(database: DatabaseKind): CursorValue[] {
  return database === 'postgresql' ? [0, 0] : [0];
}

/** A row's position in the feed (its sort-key values). */
export function positionOf(row: { txid: unknown; seq: unknown }, database: DatabaseKind): number[] {
  return database === 'postgresql' ? [Number(row.txid), Number(row.seq)] : [Number(row.seq)];
}

/** Whether position `a` comes before position `b` in the feed. */
export function isBefore(a: readonly CursorValue[], b: readonly CursorValue[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number(a[i]) !== Number(b[i])) return Number(a[i]) < Number(b[i]);
  }
  return false;
}
