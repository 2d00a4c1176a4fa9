import { SQLITE_CACHE_KIB } from '../db/open.js';
import { statementPipeline } from '../db/statement-pipeline.js';
import type { TransactionSql } from '../db/transaction-sql.js';
import { StatsDelta } from './product-stats.js';
import { insertParameter, insertSql, type ProductRow } from '../db/product-table.js';
import type { ProductWriter, RecordCreated } from './product-writes.js';

/** Rows per INSERT statement of the bulk path. */
const ROWS_PER_STATEMENT = 500;

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
 * are in: a sort-and-build is several times faster than as many random-order index inserts.
 */
const REBUILT_INDEXES = [
  'products_live_price_index',
  'products_live_rated_index',
  'products_live_name_index',
  'products_live_category_price_index',
];

/**
 * Rows an insert into an empty table writes before it drops REBUILT_INDEXES: small inserts never
 * change the schema (a schema change makes every other connection re-read it).
 */
export const INDEX_REBUILD_MIN_ROWS = 20_000;

/**
 * The SQLite bulk path, in the caller's transaction:
 * - its first statement sets the bulk-insert guard (migration 0010), which makes the per-row
 *   search-index trigger skip its work, and takes the write lock;
 * - rows go in ROWS_PER_STATEMENT at a time as one JSON parameter, one statement running on the
 *   database's thread while the caller prepares the next rows; each group's changes follow it
 *   (one more statement per group, `record`);
 * - at `finish` the new rows (told apart by rowid, above the largest before the insert) go into
 *   the search index with one INSERT…SELECT — FTS5 writes a segment per statement, so filling it
 *   group by group costs several times more — and the totals are applied; a count check turns any
 *   surprise into a rollback; the guard is cleared. The guard row exists only inside this
 *   transaction (SQLite has one writer), so no other connection sees it.
 * - into an empty table, after INDEX_REBUILD_MIN_ROWS rows it drops REBUILT_INDEXES and creates
 *   them again at `finish`, in the same transaction: other connections read the committed schema
 *   until the commit, and a rollback (or a killed process) brings the indexes back.
 */
export async function openSqliteBulkWriter(sql: TransactionSql, record: RecordCreated): Promise<ProductWriter> {
  await sql('insert into bulk_insert_guard (id) values (1)');
  await sql(`pragma cache_size = -${BULK_CACHE_KIB}`);
  // Sorter helper threads for the CREATE INDEX sorts at the end.
  await sql('pragma threads = 2');
  const [before] = await sql<{ last: number; empty: number }>(
    'select coalesce(max(rowid), 0) as last, not exists (select 1 from products) as empty from products',
  );
  const last = Number(before!.last);
  const emptyAtStart = Number(before!.empty) === 1;
  const statement = insertSql('sqlite');
  const stats = new StatsDelta();
  const dropped: { name: string; sql: string }[] = [];
  let pending: ProductRow[] = [];
  let written = 0;
  const pipeline = statementPipeline();

  const dropIndexes = async () => {
    const names = REBUILT_INDEXES.map(() => '?').join(', ');
    const found = await sql<{ name: string; sql: string }>(
      `select name, sql from sqlite_master where type = 'index' and tbl_name = 'products' and name in (${names})`,
      REBUILT_INDEXES,
    );
    for (const index of found) await sql(`drop index ${index.name}`);
    dropped.push(...found);
  };
  const write = async (rows: readonly ProductRow[]) => {
    const parameter = insertParameter(rows, 'sqlite');
    for (const row of rows) stats.add(row, 1);
    written += rows.length;
    await pipeline.push(async () => {
      await sql(statement, [parameter]);
      await record(rows);
      if (emptyAtStart && dropped.length === 0 && written >= INDEX_REBUILD_MIN_ROWS) await dropIndexes();
    });
  };

  return {
    async add(rows) {
      let from = 0;
      if (pending.length > 0) {
        from = Math.min(rows.length, ROWS_PER_STATEMENT - pending.length);
        pending.push(...rows.slice(0, from));
        if (pending.length < ROWS_PER_STATEMENT) return;
        await write(pending);
        pending = [];
      }
      for (; from + ROWS_PER_STATEMENT <= rows.length; from += ROWS_PER_STATEMENT) {
        await write(rows.slice(from, from + ROWS_PER_STATEMENT));
      }
      pending = rows.slice(from);
    },
    settle: () => pipeline.drain(),
    async finish() {
      if (pending.length > 0) await write(pending);
      pending = [];
      await pipeline.drain();
      const [{ n } = { n: 0 }] = await sql<{ n: number }>('select count(*) as n from products where rowid > ?', [last]);
      if (Number(n) !== written) throw new Error(`bulk insert: ${n} rows inserted, expected ${written}`);
      for (const index of dropped) await sql(index.sql);
      await sql(
        'insert into products_search (rowid, name_folded) select rowid, name_folded from products where rowid > ?',
        [last],
      );
      await stats.apply(sql);
      await sql('delete from bulk_insert_guard');
    },
    async release() {
      await pipeline.drain().catch(() => undefined);
      await sql(`pragma cache_size = -${SQLITE_CACHE_KIB}`).catch(() => undefined);
      await sql('pragma threads = 0').catch(() => undefined);
    },
  };
}
