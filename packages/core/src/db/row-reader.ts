import { LRUCache } from 'lru-cache';
import sqlite3 from 'sqlite3';
import type { Config } from '../config.js';
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_CACHE_KIB, type Orm } from './open.js';

/**
 * Runs one read-only SQL statement (`?` placeholders) and resolves with its rows as plain objects
 * (column name → value). `R` names the columns the caller expects; it is not checked.
 */
export type RowReader = <R extends object>(sql: string, params?: readonly unknown[]) => Promise<R[]>;

/** A RowReader with the connections it owns. */
export interface RowReaders {
  read: RowReader;
  close(): Promise<void>;
}

/** Read connections a SQLite file catalog keeps beside the ORM's connection. */
const SQLITE_READ_CONNECTIONS = 2;
/** Prepared statements kept per read connection; statement texts repeat (one per listing shape). */
const STATEMENTS_PER_CONNECTION = 128;
/**
 * Page cache of each read connection, in KiB (a quarter of the ORM connection's): enough for the
 * upper levels of the hot indexes, which is what a keyset page reads again and again (the OS page
 * cache holds the rest). A full export reads every page through these, and its peak memory must
 * not grow with the catalog: 8 MB each measured 145 MiB at 1M rows, over the 150 MB target.
 */
const READ_CACHE_KIB = SQLITE_CACHE_KIB / 4;
/** Longer statements (a search's inline candidate list) are prepared, run and finalized. */
const CACHEABLE_SQL_LENGTH = 2000;

/**
 * The reader for read-only hot paths (listing, get, dashboard, search candidates).
 *
 * On a SQLite file it is a few connections of its own with cached prepared statements: a
 * statement through MikroORM and knex costs ~0.5 ms of main-thread CPU, a cached prepared
 * statement ~0.1 ms (bench/README.md). In WAL mode these connections read the last committed
 * state while the ORM's connection writes, so a read never waits behind (or sees inside) a write
 * transaction, and every write acknowledged before a read began is visible to it.
 *
 * Elsewhere (PostgreSQL, whose pool already serves reads concurrently; `:memory:`, which lives in
 * the ORM's one connection) it reads through the ORM's connection.
 */
export async function openRowReaders(config: Config, orm: Orm): Promise<RowReaders> {
  const path = config.database.kind === 'sqlite' ? config.database.path : undefined;
  if (path === undefined || path === ':memory:') return { read: ormRowReader(orm), close: async () => {} };
  const connections = await Promise.all(Array.from({ length: SQLITE_READ_CONNECTIONS }, () => SqliteReadConnection.open(path)));
  let next = 0;
  return {
    read: (sql, params) => {
      const connection = connections[next]!;
      next = (next + 1) % connections.length;
      return connection.all(sql, params ?? []);
    },
    close: async () => {
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}

/** Reads through the ORM's connection (and so inside its pool and transactions' rules). */
export function ormRowReader(orm: Orm): RowReader {
  return <R extends object>(sql: string, params: readonly unknown[] = []) => orm.em.getConnection().execute<R[]>(sql, [...params], 'all');
}

/** One read-only node-sqlite3 connection with an LRU of prepared statements. */
class SqliteReadConnection {
  private readonly statements: LRUCache<string, Promise<sqlite3.Statement>>;

  private constructor(private readonly db: sqlite3.Database) {
    this.statements = new LRUCache({
      max: STATEMENTS_PER_CONNECTION,
      // node-sqlite3 runs a finalize after the statement's queued work, so an evicted statement
      // still in use finishes first. (close() finalizes the rest itself: `clear` is not a dispose.)
      dispose: (statement, _sql, reason) => {
        if (reason !== 'delete') void statement.then((s) => s.finalize(), () => {});
      },
    });
  }

  static async open(path: string): Promise<SqliteReadConnection> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (error) => (error ? reject(error) : resolve(opened)));
    });
    // query_only: this connection can never write, whatever SQL reaches it.
    const pragmas = [`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, `pragma cache_size = -${READ_CACHE_KIB}`, 'pragma query_only = on'];
    await new Promise<void>((resolve, reject) => db.exec(pragmas.join('; '), (error) => (error ? reject(error) : resolve())));
    return new SqliteReadConnection(db);
  }

  async all<R extends object>(sql: string, params: readonly unknown[]): Promise<R[]> {
    if (sql.length > CACHEABLE_SQL_LENGTH) {
      return new Promise<R[]>((resolve, reject) => this.db.all(sql, [...params], (error: Error | null, rows: R[]) => (error ? reject(error) : resolve(rows))));
    }
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.prepare(sql);
      this.statements.set(sql, statement);
      // A statement that failed to prepare (bad SQL) is not kept.
      statement.catch(() => this.statements.delete(sql));
    }
    const prepared = await statement;
    return new Promise<R[]>((resolve, reject) => prepared.all([...params], (error: Error | null, rows: R[]) => (error ? reject(error) : resolve(rows))));
  }

  /** Finalizes every statement (SQLite refuses to close a connection with live ones), then closes. */
  async close(): Promise<void> {
    const statements = [...this.statements.values()];
    this.statements.clear();
    await Promise.allSettled(statements.map(async (pending) => {
      const statement = await pending;
      await new Promise<void>((resolve) => statement.finalize(() => resolve()));
    }));
    await new Promise<void>((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }

  private prepare(sql: string): Promise<sqlite3.Statement> {
    return new Promise((resolve, reject) => {
      const statement: sqlite3.Statement = this.db.prepare(sql, (error) => (error ? reject(error) : resolve(statement)));
    });
  }
}
