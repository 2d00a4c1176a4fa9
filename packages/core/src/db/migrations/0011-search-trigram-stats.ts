import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * SQLite only. An fts5vocab view of the trigram index (migration 0004): one row per trigram with
 * the number of products whose folded name contains it. A search reads these counts to query only
 * the rarest few trigrams of its term (see products/product-search.ts). The table stores nothing
 * itself; it reads the FTS5 index, so it is always current.
 */
export class Migration0011SearchTrigramStats extends Migration {
  override up(): void {
    if (isPostgres(this.config)) return;
    this.addSql(`create virtual table products_search_vocab using fts5vocab(products_search, 'row')`);
  }

  override down(): void {
    if (isPostgres(this.config)) return;
    this.addSql('drop table if exists products_search_vocab');
  }
}
