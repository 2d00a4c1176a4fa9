import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/** The product sort indexes: name → (key columns, extra partial-index condition). */
const INDEXES: [name: string, columns: string[], where?: string][] = [
  ['created_at', ['created_at', 'id']],
  ['price', ['price_cents', 'id']],
  // Rating is nullable and sorts NULLs last in both directions, but SQLite keeps NULLs first in
  // an index and PostgreSQL last: rated and unrated rows get separate indexes, read as separate
  // segments by the cursor module (rated by rating, then unrated by id; reversed backwards).
  ['rated', ['rating_tenths', 'id'], 'rating_tenths is not null'],
  ['unrated', ['id'], 'rating_tenths is null'],
  ['name', ['name', 'id']],
  // The storefront's "one category, sorted by price, within a price range".
  ['category_price', ['category_folded', 'price_cents', 'id']],
];

/**
 * Indexes over live rows (`deleted_at IS NULL`) so that every product sort order, in both
 * directions, is read as an index range that starts at the cursor: a page costs the same at any
 * depth. Every index ends in `id`, the tie-breaker of every order; a backward scan serves the
 * descending order.
 *
 * The column lists differ by database, each being what its planner needs to serve
 * `WHERE deleted_at IS NULL … ORDER BY key, id` straight from the index (checked by
 * test/cursor/explain.test.ts):
 * - PostgreSQL: partial `(key, id) WHERE deleted_at IS NULL`. A leading `deleted_at` column would
 *   defeat it: PostgreSQL does not take `IS NULL` as pinning a column for ORDER BY, so it sorts.
 * - SQLite: `(deleted_at, key, id)`. SQLite takes `deleted_at IS NULL` as an equality on the
 *   leading column (an index SEARCH even for a first page; deleted rows sit in another part of
 *   the index). A partial index with the same leading column is worse: after ANALYZE, SQLite
 *   skip-scans it and sorts.
 * See docs/cursor-pagination.md.
 */
export class Migration0002ProductSortIndexes extends Migration {
  override up(): void {
    const pg = isPostgres(this.config);
    for (const [name, columns, extra] of INDEXES) {
      const list = (pg ? columns : ['deleted_at', ...columns]).join(', ');
      const conditions = [...(pg ? ['deleted_at is null'] : []), ...(extra ? [extra] : [])];
      const where = conditions.length > 0 ? ` where ${conditions.join(' and ')}` : '';
      this.addSql(`create index products_live_${name}_index on products (${list})${where}`);
    }
  }

  override down(): void {
    for (const [name] of INDEXES) this.addSql(`drop index if exists products_live_${name}_index`);
  }
}
