import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * SQLite only. What a search for a one- or two-character term reads to learn, without scanning
 * the products, that no name contains it (products/product-search-short.ts):
 * - `products_search_instances`, an fts5vocab view of the trigram index (migration 0004) with one
 *   row per occurrence. Unlike the 'row' view of migration 0011, which reads a trigram's whole
 *   doclist to count it, it can seek to the first trigram at or after any text and read one row.
 *   It stores nothing; it reads the index, so it is always current.
 * - An index of the names too short to have a trigram (fewer than three characters), maintained
 *   by SQLite like any index; it is empty unless such names exist.
 */
export class Migration0017ShortSearchTerms extends Migration {
  override up(): void {
    if (isPostgres(this.config)) return;
    this.addSql(`create virtual table products_search_instances using fts5vocab(products_search, 'instance')`);
    this.addSql('create index products_short_name_index on products (name_folded) where length(name_folded) < 3');
  }

  override down(): void {
    if (isPostgres(this.config)) return;
    this.addSql('drop index if exists products_short_name_index');
    this.addSql('drop table if exists products_search_instances');
  }
}
