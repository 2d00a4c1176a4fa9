import type { EntityManager } from '@mikro-orm/knex';
import type { DatabaseKind } from '../config.js';
import { ProductEntity } from '../db/entities.js';

/** The columns of a new product row, as createMany builds them. */
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

const COLUMNS = ['id', 'name', 'name_folded', 'category', 'category_folded', 'price_cents', 'rating_tenths', 'created_at', 'updated_at', 'deleted_at'] as const;

/**
 * From this many rows on, SQLite maintains the search index and the dashboard totals once per
 * batch instead of once per row (see insertBulkSqlite). Below it the per-row triggers cost less
 * than the batch statements.
 */
export const BULK_MIN_ROWS = 200;

/** Rows per multi-row INSERT on SQLite: 10 parameters each, under its 32766-parameter bound. */
const SQLITE_ROWS_PER_STATEMENT = 2000;
/** Rows per ORM insertMany elsewhere. */
const ORM_ROWS_PER_STATEMENT = 500;

/**
 * Page cache (KiB) of a connection that has bulk-inserted. Each batch inserts into four indexes
 * in random key order (price, rating, name, category); with a small cache every batch rereads and
 * rewrites most of their pages. The connection keeps it for the batches that follow (an import
 * is a series of createMany calls); ordinary connections keep the default of db/open.ts.
 */
const BULK_CACHE_KIB = 256 * 1024;


/**
 * Inserts `rows` inside the transaction of `em` (the caller's `em.transactional`), keeping the
 * search index and the dashboard totals exact.
 *
 * On SQLite, a large batch sets the bulk-insert guard (migration 0010), which makes the two
 * per-row insert triggers skip their work, inserts the rows with multi-row statements, adds the
 * same rows to the FTS index with one INSERT…SELECT and the same totals with one aggregate, and
 * clears the guard. The guard row lives only inside this transaction (SQLite has a single
 * writer), so no other connection sees it and the schema never changes under them; a failure
 * anywhere rolls all of it back. The new rows are told apart by rowid
 * (above the largest rowid before the insert); a count check turns any surprise into a rollback.
 *
 * @example
 * await em.transactional((tx) => insertProducts(tx, 'sqlite', rows));
 * @throws {Error} on any database error (the surrounding transaction rolls back).
 */
export async function insertProducts(em: EntityManager, database: DatabaseKind, rows: ProductRow[]): Promise<void> {
  if (database === 'sqlite' && rows.length >= BULK_MIN_ROWS) {
    await insertBulkSqlite(em, rows);
    return;
  }
  for (let i = 0; i < rows.length; i += ORM_ROWS_PER_STATEMENT) {
    await em.insertMany(ProductEntity, rows.slice(i, i + ORM_ROWS_PER_STATEMENT));
  }
}

async function insertBulkSqlite(em: EntityManager, rows: ProductRow[]): Promise<void> {
  const connection = em.getConnection();
  const tx = em.getTransactionContext();
  const run = <T extends object[] = object[]>(sql: string, params: unknown[] = [], method: 'all' | 'run' = 'all') =>
    connection.execute<T>(sql, params, method, tx);

  await run(`pragma cache_size = -${BULK_CACHE_KIB}`, [], 'run');
  await run('insert into bulk_insert_guard (id) values (1)', [], 'run');

  const [before] = await run<{ last: number }[]>('select coalesce(max(rowid), 0) as last from products');
  const last = before!.last;
  for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + SQLITE_ROWS_PER_STATEMENT);
    const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
    const params: unknown[] = [];
    for (const row of chunk) {
      params.push(row.id, row.name, row.name_folded, row.category, row.category_folded, row.price_cents, row.rating_tenths);
      params.push(row.created_at.getTime(), row.updated_at.getTime(), null);
    }
    await run(`insert into products (${COLUMNS.join(', ')}) values ${chunk.map(() => tuple).join(', ')}`, params, 'run');
  }

  const [added] = await run<{ n: number }[]>('select count(*) as n from products where rowid > ?', [last]);
  if (added!.n !== rows.length) throw new Error(`bulk insert: ${added!.n} rows above rowid ${last}, expected ${rows.length}`);
  await run('insert into products_search (rowid, name_folded) select rowid, name_folded from products where rowid > ?', [last], 'run');
  // Every new row is live (deleted_at is null), so each counts in every total.
  await run(
    `update product_stats set live_count = live_count + s.n, rating_sum = rating_sum + s.added_sum, rated_count = rated_count + s.rated
     from (select count(*) as n, coalesce(sum(rating_tenths), 0) as added_sum, count(rating_tenths) as rated from products where rowid > ?) as s
     where product_stats.id = 1`,
    [last],
    'run',
  );
  // A new category keeps the spelling of its first row, as the per-row trigger does: SQLite takes
  // the bare `category` from the row that holds min(rowid).
  await run(
    `insert into category_stats (category_folded, category, live_count)
     select category_folded, category, n from (
       select category_folded, category, min(rowid), count(*) as n from products where rowid > ? group by category_folded
     ) where true
     on conflict (category_folded) do update set live_count = category_stats.live_count + excluded.live_count`,
    [last],
    'run',
  );
  await run('delete from bulk_insert_guard', [], 'run');
}
