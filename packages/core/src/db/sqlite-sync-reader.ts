import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-settings.js';
import {
  CACHEABLE_SQL_LENGTH,
  READ_CACHE_KIB,
  STATEMENTS_PER_CONNECTION,
  type ReadConnection,
} from './read-connection.js';

/**
 * One read-only better-sqlite3 connection with an LRU of prepared statements. Statements run on
 * the calling thread: no thread-pool round trip and no row conversion after it, which cost
 * node-sqlite3 a measurable share of a short statement (bench/README.md); and so only for statements whose cost
 * is bounded by their LIMIT, never for one that may scan.
 */
export class SyncSqliteReadConnection implements ReadConnection {
  private readonly statements = new LRUCache<string, RawStatement>({ max: STATEMENTS_PER_CONNECTION });
  private constructor(private readonly db: Database.Database) {}

  static open(path: string): SyncSqliteReadConnection {
    const db = new Database(path, { fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    db.pragma(`cache_size = -${READ_CACHE_KIB}`);
    db.pragma('query_only = on');
    return new SyncSqliteReadConnection(db);
  }

  async all<R extends object>(sql: string, params: readonly unknown[]): Promise<R[]> {
    try {
      const cacheable = sql.length <= CACHEABLE_SQL_LENGTH;
      let statement = cacheable ? this.statements.get(sql) : undefined;
      if (!statement) {
        statement = rawStatement(this.db.prepare(sql));
        if (cacheable) this.statements.set(sql, statement);
      }
      return statement.rows(params) as R[];
    } catch (error) {
      throw asError(error);
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }
}

/** A prepared statement and how its rows become objects. */
interface RawStatement {
  rows(params: readonly unknown[]): object[];
}

/**
 * Rows as arrays, made into objects here: better-sqlite3 builds each row object property by
 * property through V8's C++ API, which cost ~16 µs more per 21-row page at 1M rows than this
 * loop (bench/README.md, "Rows as arrays"). Same objects: column names in order, a later column
 * of the same name winning, as better-sqlite3's own objects do. The connection is read-only, so
 * every statement returns rows (`raw` refuses one that does not).
 */
function rawStatement(statement: Database.Statement): RawStatement {
  const raw = statement.raw(true);
  const names = raw.columns().map((column) => column.name);
  return {
    rows(params) {
      const arrays = raw.all(...params) as unknown[][];
      const objects: Record<string, unknown>[] = new Array(arrays.length);
      for (let r = 0; r < arrays.length; r++) {
        const values = arrays[r]!;
        const object: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) object[names[c]!] = values[c];
        objects[r] = object;
      }
      return objects;
    },
  };
}

/**
 * better-sqlite3's SqliteError is not a native Error (no stack of its own); callers and logs get
 * one, with the same message and `code` (`SQLITE_*`, which db/failures.ts reads), the original as
 * its cause.
 */
function asError(error: unknown): Error {
  if (error instanceof Error && !('code' in error)) return error;
  const { message, code } = error as { message?: unknown; code?: unknown };
  return Object.assign(new Error(String(message), { cause: error }), { code });
}
