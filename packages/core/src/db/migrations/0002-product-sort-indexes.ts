import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes over live rows (`deleted_at IS NULL`, as partial indexes, identical on SQLite and
 * PostgreSQL) so that every product sort order, in both directions, is read as an index range
 * that starts at the cursor: the cost of a page does not grow with its depth. Each index ends in
 * `id`, the tie-breaker of every order; a backward scan serves the descending order.
 *
 * Rating is nullable and NULLs sort last in both directions. The databases disagree on where an
 * index keeps NULLs (first on SQLite, last on PostgreSQL), so rated and unrated rows get separate
 * indexes and the cursor module reads them as separate segments (rated by rating, then unrated by
 * id, or the reverse when paging backwards). See docs/cursor-pagination.md.
 */
export class Migration0002ProductSortIndexes extends Migration {
  override up(): void {
    const live = 'where deleted_at is null';
    this.addSql(`create index products_live_created_at_index on products (created_at, id) ${live}`);
    this.addSql(`create index products_live_price_index on products (price_cents, id) ${live}`);
    this.addSql(`create index products_live_rated_index on products (rating_tenths, id) ${live} and rating_tenths is not null`);
    this.addSql(`create index products_live_unrated_index on products (id) ${live} and rating_tenths is null`);
    this.addSql(`create index products_live_name_index on products (name, id) ${live}`);
    // The storefront's common "category, sorted by price, within a price range".
    this.addSql(`create index products_live_category_price_index on products (category_folded, price_cents, id) ${live}`);
  }

  override down(): void {
    for (const name of ['created_at', 'price', 'rated', 'unrated', 'name', 'category_price']) {
      this.addSql(`drop index if exists products_live_${name}_index`);
    }
  }
}
