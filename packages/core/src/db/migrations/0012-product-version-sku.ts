import { Migration } from '@mikro-orm/migrations';
import { dropStatsTriggers } from './0003-dashboard-stats.js';
import { isPostgres } from './platform.js';

/**
 * Products gain `version` (1 for every existing row; +1 on each change, the basis of ETag and
 * If-Match) and an optional, unique `sku`. The dashboard totals stop being kept by triggers: every
 * product write goes through core's product-writes.ts, which applies one rule (product-stats.ts)
 * to single rows and bulk inserts alike; per-row triggers made a bulk insert on PostgreSQL update
 * the same stats row once per inserted row, each update leaving a row version the next must step
 * over. The totals are recomputed here so that they start exact.
 */
export class Migration0012ProductVersionSku extends Migration {
  override up(): void {
    const pg = isPostgres(this.config);
    this.addSql('alter table products add column version integer not null default 1');
    this.addSql(`alter table products add column sku ${pg ? 'varchar(64) collate "C"' : 'text'} null`);
    this.addSql('create unique index products_sku_unique on products (sku)');
    for (const statement of dropStatsTriggers(pg)) this.addSql(statement);
    this.addSql('delete from category_stats');
    this.addSql(`update product_stats set
      live_count = (select count(*) from products where deleted_at is null),
      rating_sum = (select coalesce(sum(rating_tenths), 0) from products where deleted_at is null),
      rated_count = (select count(rating_tenths) from products where deleted_at is null)
      where id = 1`);
    this.addSql(`insert into category_stats (category_folded, category, live_count)
      select category_folded, min(category), count(*) from products where deleted_at is null group by category_folded`);
  }
}
