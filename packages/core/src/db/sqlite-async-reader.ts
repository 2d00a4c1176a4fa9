import { LRUCache } from 'lru-cache';
import sqlite3 from 'sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from './open.js';
import {
  CACHEABLE_SQL_LENGTH,
  READ_CACHE_KIB,
  STATEMENTS_PER_CONNECTION,
  type ReadConnection,
} from './read-connection.js';

/**
 * One read-only node-sqlite3 connection with an LRU of prepared statements. Statements run on the
 * libuv thread pool, so a long one (a scan) never blocks the event loop.
 */
export class SqliteReadConnection implements ReadConnection {
  private readonly statements: LRUCache<string, Promise<sqlite3.Statement>>;

  private constructor(private readonly db: sqlite3.Database) {
    this.statements = new LRUCache({
      max: STATEMENTS_PER_CONNECTION,
      // node-sqlite3 runs a finalize after the statement's queued work, so an evicted statement
      // still in use finishes first. (close() finalizes the rest itself: `clear` is not a dispose.)
      dispose: (statement, _sql, reason) => {
        if (reason !== 'delete')
          void statement.then(
            (s) => s.finalize(),
            () => {},
          );
      },
    });
  }

  static async open(path: string): Promise<SqliteReadConnection> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (error) =>
        error ? reject(error) : resolve(opened),
      );
    });
    // query_only: this connection can never write, whatever SQL reaches it.
    const pragmas = [
      `pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
      `pragma cache_size = -${READ_CACHE_KIB}`,
      'pragma query_only = on',
    ];
    await new Promise<void>((resolve, reject) =>
      db.exec(pragmas.join('; '), (error) => (error ? reject(error) : resolve())),
    );
    return new SqliteReadConnection(db);
  }

  async all<R extends object>(sql: string, params: readonly unknown[]): Promise<R[]> {
    if (sql.length > CACHEABLE_SQL_LENGTH) {
      return new Promise<R[]>((resolve, reject) =>
        this.db.all(sql, [...params], (error: Error | null, rows: R[]) => (error ? reject(error) : resolve(rows))),
      );
    }
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.prepare(sql);
      this.statements.set(sql, statement);
      // A statement that failed to prepare (bad SQL) is not kept.
      statement.catch(() => this.statements.delete(sql));
    }
    const prepared = await statement;
    return new Promise<R[]>((resolve, reject) =>
      prepared.all([...params], (error: Error | null, rows: R[]) => (error ? reject(error) : resolve(rows))),
    );
  }

  /** Finalizes every statement (SQLite refuses to close a connection with live ones), then closes. */
  async close(): Promise<void> {
    const statements = [...this.statements.values()];
    this.statements.clear();
    await Promise.allSettled(
      statements.map(async (pending) => {
        const statement = await pending;
        await new Promise<void>((resolve) => statement.finalize(() => resolve()));
      }),
    );
    await new Promise<void>((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }

  private prepare(sql: string): Promise<sqlite3.Statement> {
    return new Promise((resolve, reject) => {
      const statement: sqlite3.Statement = this.db.prepare(sql, (error) =>
        error ? reject(error) : resolve(statement),
      );
    });
  }
}
