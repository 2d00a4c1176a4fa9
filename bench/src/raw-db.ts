import Database from 'better-sqlite3';
import pg from 'pg';
import sqlite3 from 'sqlite3';

/** A prepared statement: run it with parameters, get plain rows back. */
export interface Prepared {
  all(params: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * The database without the ORM: the benchmark's own queries (dataset checks, cursor positions)
 * and the minimal baseline server. SQL marks its parameters with `?` on both databases.
 */
export interface RawDb {
  readonly kind: 'sqlite' | 'postgres';
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  prepare(sql: string): Prepared;
  close(): Promise<void>;
}

/** Opens `url` (`sqlite:PATH` or `postgres://…`). */
export async function openRaw(url: string): Promise<RawDb> {
  return url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url);
}

async function openSqlite(path: string): Promise<RawDb> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(opened)));
  });
  // The same connection settings as the catalog (packages/core/src/db/open.ts).
  await new Promise<void>((resolve, reject) =>
    db.exec(
      'pragma busy_timeout = 5000; pragma journal_mode = wal; pragma synchronous = normal; pragma cache_size = -16384',
      (e) => (e ? reject(e) : resolve()),
    ),
  );
  const all = (sql: string, params: unknown[] = []) =>
    new Promise<Record<string, unknown>[]>((resolve, reject) =>
      db.all(sql, params, (error, rows: Record<string, unknown>[]) => (error ? reject(error) : resolve(rows))),
    );
  // Prepared statements run on better-sqlite3, as the catalog's bounded reads do
  // (packages/core/src/db/sqlite-sync-reader.ts): the baseline uses the same driver.
  const sync = new Database(path, { fileMustExist: true, timeout: 5000 });
  sync.pragma('cache_size = -16384');
  return {
    kind: 'sqlite',
    all,
    prepare(sql) {
      const statement = sync.prepare(sql);
      return { all: async (params) => statement.all(...params) as Record<string, unknown>[] };
    },
    close: async () => {
      sync.close();
      await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function openPostgres(url: string): Promise<RawDb> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  let names = 0;
  return {
    kind: 'postgres',
    all: async (sql, params = []) => (await pool.query(numbered(sql), params)).rows,
    prepare(sql) {
      // A named statement is parsed and planned once per connection, then reused.
      const name = `bench_${++names}`;
      const text = numbered(sql);
      return { all: async (params) => (await pool.query({ name, text, values: params })).rows };
    },
    close: () => pool.end(),
  };
}
