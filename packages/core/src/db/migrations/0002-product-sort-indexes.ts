import { Migration } from '@mikro-orm/migrations';

/**
 * One index per product sort order, so that every page (first or deep) is an index range scan
 * over live rows. See docs/cursor-pagination.md.
 */
export class Migration0002ProductSortIndexes extends Migration {
  override up(): void {
    this.addSql('create index products_live_created_at_index on products (deleted_at, created_at, id)');
    this.addSql('create index products_live_price_index on products (deleted_at, price_cents, id)');
    this.addSql('create index products_live_rating_index on products (deleted_at, rating_tenths, id)');
    this.addSql('create index products_live_name_index on products (deleted_at, name, id)');
    this.addSql('create index products_category_price_index on products (category_folded, deleted_at, price_cents, id)');
  }

  override down(): void {
    for (const name of ['created_at', 'price', 'rating', 'name']) this.addSql(`drop index if exists products_live_${name}_index`);
    this.addSql('drop index if exists products_category_price_index');
  }
}
