import { Migration } from '@mikro-orm/migrations';
import { addRow } from './0003-dashboard-stats.js';
import { isPostgres } from './platform.js';

/**
 * SQLite only. A bulk `createMany` maintains the search index and the dashboard totals with one
 * statement per batch instead of one per row. It used to drop the per-row insert triggers for the
 * duration of its transaction; a schema change under other processes' feet made their statements
 * fail ("no such table") while it ran. Instead, the two insert triggers now skip their work while
 * `bulk_insert_guard` holds a row — a row the bulk insert writes and deletes inside its own
 * transaction, so no other connection ever sees it (SQLite has a single writer).
 */
export class Migration0010BulkInsertGuard extends Migration {
  override up(): void {
    if (isPostgres(this.config)) return;
    const guard = 'when not exists (select 1 from bulk_insert_guard)';
    this.addSql('create table bulk_insert_guard (id integer not null primary key check (id = 1))');
    this.addSql('drop trigger products_stats_insert');
    this.addSql(`create trigger products_stats_insert after insert on products ${guard} begin
      ${addRow('new').join(';\n')};
    end`);
    this.addSql('drop trigger products_search_insert');
    this.addSql(`create trigger products_search_insert after insert on products ${guard} begin
      insert into products_search (rowid, name_folded) values (new.rowid, new.name_folded);
    end`);
  }
}
