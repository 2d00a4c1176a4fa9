import type { EntityManager } from '@mikro-orm/knex';
import type { DatabaseKind } from '../config.js';
import { ProductEntity } from '../db/entities.js';
import { SQLITE_CACHE_KIB } from '../db/open.js';

/** The columns of a new product row, as createMany and importMany build them. */
export interface ProductRow {
  id: string;
  name: string;
  name_folded: string;
  category: string;
  category_folded: string;
  price_cents: number;
  rating_tenths: number | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: null;
}

const COLUMNS = [
  'id',
  'name',
  'name_folded',
  'category',
  'category_folded',
  'price_cents',
  'rating_tenths',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;

/**
 * From this many rows on, createMany takes the bulk path on SQLite (see openSqliteWriter). Below
 * it the per-row triggers cost less than the batch statements.
 */
export const BULK_MIN_ROWS = 200;

/** Rows per INSERT on SQLite (one prepared statement, reused; see INSERT_JSON_SQL). */
const SQLITE_ROWS_PER_STATEMENT = 500;
/** Rows per ORM insertMany elsewhere. */
const ORM_ROWS_PER_STATEMENT = 500;

/**
 * Page cache (KiB) while bulk-inserting: the table, its primary key and the indexes kept in place
 * take rows in random key order, and a small cache rereads their pages for every statement. Put
 * back to the connection's usual size when the insert ends.
 */
const BULK_CACHE_KIB = 128 * 1024;

/**
 * Secondary indexes whose key order is random with respect to insertion order (new rows arrive
 * with ascending created_at and id, so the created_at and unrated indexes, like the primary key,
 * only grow at their end). Into an empty table, these are dropped and built again after the rows
 * are in: a sort-and-build is several times faster than a million random-order index inserts.
 */
const REBUILT_INDEXES = [
  'products_live_price_index',
  'products_live_rated_index',
  'products_live_name_index',
  'products_live_category_price_index',
];

/**
 * Rows an import into an empty table writes before it drops REBUILT_INDEXES: small imports never
 * change the schema (a schema change makes every other connection re-read it).
 */
export const INDEX_REBUILD_MIN_ROWS = 20_000;

/**
 * Writes product rows inside the caller's transaction, keeping the search index and the
 * dashboard totals exact. `add` may be called any number of times; `finish` must be called once,
 * still inside the transaction, before it commits. Rows not yet finished are rolled back with it.
 */
export interface ProductWriter {
  add(rows: readonly ProductRow[]): Promise<void>;
  finish(): Promise<void>;
  /** Frees what the writer holds on the connection; call it once, finished or not (`finally`). */
  release(): Promise<void>;
}

/**
 * Inserts `rows` inside the transaction of `em` (the caller's `em.transactional`), keeping the
 * search index and the dashboard totals exact.
 *
 * @example
 * await em.transactional((tx) => insertProducts(tx, 'sqlite', rows));
 * @throws {Error} on any database error (the surrounding transaction rolls back).
 */
export async function insertProducts(em: EntityManager, database: DatabaseKind, rows: ProductRow[]): Promise<void> {
  const writer = database === 'sqlite' && rows.length >= BULK_MIN_ROWS ? await openSqliteWriter(em) : ormWriter(em);
  try {
    await writer.add(rows);
    await writer.finish();
  } finally {
    await writer.release();
  }
}

/**
 * The writer for a stream of rows of unknown length: the SQLite bulk writer, else ORM inserts.
 * On SQLite its first statement is a write, so the transaction holds the write lock from here on
 * and cannot later fail busy (a deferred transaction that read first can).
 */
export async function openProductWriter(em: EntityManager, database: DatabaseKind): Promise<ProductWriter> {
  return database === 'sqlite' ? openSqliteWriter(em) : ormWriter(em);
}

function ormWriter(em: EntityManager): ProductWriter {
  return {
    async add(rows) {
      for (let i = 0; i < rows.length; i += ORM_ROWS_PER_STATEMENT) {
        await em.insertMany(ProductEntity, rows.slice(i, i + ORM_ROWS_PER_STATEMENT));
      }
    },
    async finish() {},
    async release() {},
  };
}

/** The parts of a node-sqlite3 connection the bulk writer uses. */
interface SqliteStatement {
  run(params: unknown[], callback: (error: Error | null) => void): void;
  finalize(callback: (error: Error | null) => void): void;
}
interface SqliteHandle {
  prepare(sql: string, callback: (error: Error | null) => void): SqliteStatement;
  exec(sql: string, callback: (error: Error | null) => void): void;
}
interface TransactionClient {
  client: { acquireConnection(): Promise<SqliteHandle> };
}

function prepare(db: SqliteHandle, sql: string): Promise<SqliteStatement> {
  return new Promise((resolve, reject) => {
    const statement = db.prepare(sql, (error) => (error ? reject(error) : resolve(statement)));
  });
}
/** Runs a prepared INSERT; resolves to the rows it inserted. */
const runStatement = (statement: SqliteStatement, params: unknown[]) =>
  new Promise<number>((resolve, reject) =>
    statement.run(params, function (this: { changes: number }, error) {
      if (error) reject(error);
      else resolve(this.changes);
    }),
  );
const finalize = (statement: SqliteStatement) => new Promise<void>((resolve) => statement.finalize(() => resolve()));

type Run = (sql: string, params: unknown[], method: 'run') => Promise<unknown>;

/** Categories per statement when adding the totals (3 parameters each). */
const CATEGORIES_PER_STATEMENT = 300;

/**
 * The dashboard totals of the rows a bulk insert writes, added up as they pass (every new row is
 * live), and applied with a few statements at the end instead of scanning the new rows again.
 */
class BulkTotals {
  private live = 0;
  private ratingSum = 0;
  private rated = 0;
  /** By folded category: the spelling of its first row (as the per-row trigger keeps it) and the count. */
  private readonly categories = new Map<string, { category: string; n: number }>();

  add(row: ProductRow): void {
    this.live++;
    if (row.rating_tenths !== null) {
      this.ratingSum += row.rating_tenths;
      this.rated++;
    }
    const entry = this.categories.get(row.category_folded);
    if (entry) entry.n++;
    else this.categories.set(row.category_folded, { category: row.category, n: 1 });
  }

  async apply(run: Run): Promise<void> {
    await run(
      'update product_stats set live_count = live_count + ?, rating_sum = rating_sum + ?, rated_count = rated_count + ? where id = 1',
      [this.live, this.ratingSum, this.rated],
      'run',
    );
    const entries = [...this.categories];
    for (let i = 0; i < entries.length; i += CATEGORIES_PER_STATEMENT) {
      const group = entries.slice(i, i + CATEGORIES_PER_STATEMENT);
      await run(
        `insert into category_stats (category_folded, category, live_count) values ${group.map(() => '(?, ?, ?)').join(', ')}
         on conflict (category_folded) do update set live_count = category_stats.live_count + excluded.live_count`,
        group.flatMap(([folded, { category, n }]) => [folded, category, n]),
        'run',
      );
    }
  }
}

/**
 * The insert of a group of rows, all passed as ONE parameter: a JSON array of row arrays that
 * SQLite unpacks with json_each, in array order. Binding ten parameters per row from JavaScript
 * costs the main thread more than the whole parse of the input; JSON.stringify is cheap and the
 * unpacking runs on the database's thread. (`->>` gives SQL text, integer or null, as bound
 * values would be.)
 */
const INSERT_JSON_SQL = `insert into products (${COLUMNS.join(', ')})
  select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, null
  from json_each(?)`;

function rowTuple(row: ProductRow): unknown[] {
  return [
    row.id,
    row.name,
    row.name_folded,
    row.category,
    row.category_folded,
    row.price_cents,
    row.rating_tenths,
    row.created_at.getTime(),
    row.updated_at.getTime(),
  ];
}

/**
 * The SQLite bulk path. It sets the bulk-insert guard (migration 0010), which makes the two
 * per-row insert triggers skip their work, inserts the rows with a prepared multi-row statement
 * bound on the transaction's own connection (no SQL text built per row), and at `finish` adds the
 * same rows to the FTS index with one INSERT…SELECT and the same totals with one aggregate, and
 * clears the guard. The guard row lives only inside this transaction (SQLite has a single
 * writer), so no other connection sees it. The new rows are told apart by rowid (above the
 * largest rowid before the insert); a count check turns any surprise into a rollback.
 *
 * The search index is filled at the end, not group by group: FTS5 writes its pending entries out
 * as a new segment at every statement, and a million rows in 500-row statements cost about three
 * times as much (segments merged again and again) as one INSERT…SELECT.
 *
 * When the table is empty at the start and INDEX_REBUILD_MIN_ROWS rows have come, it drops
 * REBUILT_INDEXES and creates them again at `finish`, in the same transaction: other connections
 * keep reading the committed schema, indexes included, until the commit, and a rollback (or a
 * killed process) brings the indexes back with everything else.
 */
async function openSqliteWriter(em: EntityManager): Promise<ProductWriter> {
  const connection = em.getConnection();
  const tx = em.getTransactionContext<TransactionClient>();
  if (!tx) throw new Error('bulk insert: must run inside a transaction');
  const run = <T extends object[] = object[]>(sql: string, params: unknown[] = [], method: 'all' | 'run' = 'all') =>
    connection.execute<T>(sql, params, method, tx);

  // A write first: the write lock is taken now (waiting the busy timeout), before any row is read.
  await run('insert into bulk_insert_guard (id) values (1)', [], 'run');
  await run(`pragma cache_size = -${BULK_CACHE_KIB}`, [], 'run');
  const [before] = await run<{ last: number; empty: number }[]>(
    'select coalesce(max(rowid), 0) as last, not exists (select 1 from products) as empty from products',
  );
  const last = before!.last;
  const emptyAtStart = before!.empty === 1;
  const db = await tx.client.acquireConnection();
  // Sorter helper threads for the CREATE INDEX sorts at the end.
  await run('pragma threads = 2', [], 'run');
  const insert = await prepare(db, INSERT_JSON_SQL);
  const totals = new BulkTotals();
  let pending: ProductRow[] = [];
  let written = 0;
  let changed = 0;
  // One statement runs (on libuv's thread pool) while the caller parses the next rows.
  let inflight: Promise<void> = Promise.resolve();
  const dropped: { name: string; sql: string }[] = [];

  const write = async (rows: readonly ProductRow[]) => {
    const tuples: unknown[][] = [];
    for (const row of rows) {
      tuples.push(rowTuple(row));
      totals.add(row);
    }
    const params = [JSON.stringify(tuples)];
    written += rows.length;
    const previous = inflight;
    const statement = (async () => {
      await previous;
      changed += await runStatement(insert, params);
      if (emptyAtStart && dropped.length === 0 && written >= INDEX_REBUILD_MIN_ROWS) await dropIndexes();
    })();
    // Handled here so that a failure waits for the next add/finish to be thrown, not crash the process.
    statement.catch(() => undefined);
    inflight = statement;
    await previous;
  };
  const dropIndexes = async () => {
    const names = REBUILT_INDEXES.map(() => '?').join(', ');
    const found = await run<{ name: string; sql: string }[]>(
      `select name, sql from sqlite_master where type = 'index' and tbl_name = 'products' and name in (${names})`,
      REBUILT_INDEXES,
    );
    for (const index of found) await run(`drop index ${index.name}`, [], 'run');
    dropped.push(...found);
  };

  return {
    async add(rows) {
      let from = 0;
      if (pending.length > 0) {
        from = Math.min(rows.length, SQLITE_ROWS_PER_STATEMENT - pending.length);
        pending.push(...rows.slice(0, from));
        if (pending.length < SQLITE_ROWS_PER_STATEMENT) return;
        await write(pending);
        pending = [];
      }
      for (; from + SQLITE_ROWS_PER_STATEMENT <= rows.length; from += SQLITE_ROWS_PER_STATEMENT)
        await write(rows.slice(from, from + SQLITE_ROWS_PER_STATEMENT));
      pending = rows.slice(from);
    },
    async finish() {
      if (pending.length > 0) await write(pending);
      pending = [];
      await inflight;
      if (changed !== written) throw new Error(`bulk insert: ${changed} rows inserted, expected ${written}`);
      for (const index of dropped) await run(index.sql, [], 'run');
      await run(
        'insert into products_search (rowid, name_folded) select rowid, name_folded from products where rowid > ?',
        [last],
        'run',
      );
      await totals.apply(run);
      await run('delete from bulk_insert_guard', [], 'run');
    },
    async release() {
      await inflight.catch(() => undefined);
      await finalize(insert);
      // On the raw connection: the transaction may be over (rolled back) by now.
      await new Promise<void>((resolve) =>
        db.exec(`pragma cache_size = -${SQLITE_CACHE_KIB}; pragma threads = 0`, () => resolve()),
      );
    },
  };
}
