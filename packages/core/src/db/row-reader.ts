import type { Config } from '../config.js';
import type { Orm } from './open.js';
import { preparedPostgresReader } from './postgres-prepared-reader.js';
import type { QueryObservers } from './query-observers.js';
import { replicaRowReader } from './replica-reader.js';
import type { ReplicaSet } from './replica-set.js';
import { SqliteScanPool } from './sqlite-scan-pool.js';
import { SyncSqliteReadConnection } from './sqlite-sync-reader.js';

/**
 * Runs one read-only SQL statement (values bound to its `?` parameters) and resolves with its rows as plain objects
 * (column name → value). `R` names the columns the caller expects; it is not checked.
 */
export type RowReader = <R extends object>(sql: string, params?: readonly unknown[]) => Promise<R[]>;

/** The readers of the hot read paths, with the connections they own. */
export interface RowReaders {
  /**
   * For statements whose cost is bounded by their LIMIT: an index range of a page, a row by id,
   * the dashboard's aggregates and seeks.
   */
  read: RowReader;
  /**
   * For statements whose cost depends on the data — a search, a filter the order's index does not
   * serve — which may read many rows before finding a page.
   */
  scan: RowReader;
  close(): Promise<void>;
}

/** Worker threads of a SQLite file catalog's scans, each with its connection (scans may run side by side). */
const SQLITE_SCAN_THREADS = 2;

/**
 * The readers of a catalog.
 *
 * On a SQLite file they are connections of their own, read-only, with cached prepared statements
 * (a statement through MikroORM and knex costs several times more main-thread CPU; bench/README.md):
 * all on better-sqlite3. Bounded statements run on one synchronous connection on the main thread,
 * the cheapest way to run a short statement; scans run on a small pool of worker threads, each
 * with a connection of its own (db/sqlite-scan-pool.ts), so that a slow one never stalls the event
 * loop. In WAL mode every one of them reads the last committed state while
 * the ORM's connection writes: a read never waits behind (or sees inside) a write transaction,
 * and every write acknowledged before a read began is visible to it.
 *
 * On PostgreSQL, whose pool already serves reads concurrently, both read on the ORM's pool: the
 * bounded statements as prepared statements on its connections (db/postgres-prepared-reader.ts),
 * the scans through the ORM's `execute`. On `:memory:`, which lives in the ORM's one connection,
 * both read through the ORM's connection.
 *
 * `observers` time the catalog's own readers; statements through the ORM's `execute` are timed
 * where the ORM runs them (db/query-observers.ts), so none is counted twice.
 */
export async function openRowReaders(
  config: Config,
  orm: Orm,
  observers: QueryObservers,
  replicas?: ReplicaSet,
): Promise<RowReaders> {
  if (replicas) {
    // PostgreSQL with read replicas: both read on a replica when one may serve (db/replica-reader.ts).
    const read = replicaRowReader(orm, replicas, observers, 'read');
    return { read, scan: replicaRowReader(orm, replicas, observers, 'scan'), close: async () => {} };
  }
  if (config.database.kind === 'postgresql') {
    // Bounded statements prepared once per connection; scans planned for their values every time.
    const read = observers.timed(
      preparedPostgresReader(() => orm.em.getKnex()),
      'read',
    );
    return { read, scan: ormRowReader(orm), close: async () => {} };
  }
  const path = config.database.kind === 'sqlite' ? config.database.path : undefined;
  if (path === undefined || path === ':memory:') {
    const read = ormRowReader(orm);
    return { read, scan: read, close: async () => {} };
  }
  const bounded = SyncSqliteReadConnection.open(path);
  const scans = new SqliteScanPool(path, SQLITE_SCAN_THREADS);
  return {
    read: observers.timed((sql, params) => bounded.all(sql, params ?? []), 'read'),
    scan: observers.timed((sql, params) => scans.all(sql, params ?? []), 'scan'),
    close: async () => {
      await Promise.all([bounded, scans].map((connection) => connection.close()));
    },
  };
}

/** Reads through the ORM's connection (and so inside its pool and transactions' rules). */
export function ormRowReader(orm: Orm): RowReader {
  return <R extends object>(sql: string, params: readonly unknown[] = []) =>
    orm.em.getConnection().execute<R[]>(sql, [...params], 'all');
}
