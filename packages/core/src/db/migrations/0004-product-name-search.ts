import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * A trigram index over the folded product name, so that a substring search does not scan the
 * table: pg_trgm's GIN index serves `name_folded LIKE '%term%'` on PostgreSQL; on SQLite an FTS5
 * table with the trigram tokenizer, kept in step with `products` by triggers, finds candidate rows
 * by phrase match. Both index the already-folded text case-sensitively, so the index and the
 * LIKE predicate (still applied to the candidates) agree exactly on what matches.
 *
 * SQLite keys the FTS rows by the products table's rowid; `VACUUM` may renumber rowids, so run
 * `insert into products_search(products_search) values ('rebuild')` after a VACUUM.
 */
export class Migration0004ProductNameSearch extends Migration {
  override up(): void {
    if (isPostgres(this.config)) {
      this.addSql('create extension if not exists pg_trgm');
      this.addSql('create index products_name_trgm_index on products using gin (name_folded gin_trgm_ops)');
      return;
    }
    this.addSql(
      `create virtual table products_search using fts5(name_folded, content = 'products', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 1')`,
    );
    this.addSql(`insert into products_search (products_search) values ('rebuild')`);
    this.addSql(`create trigger products_search_insert after insert on products begin
      insert into products_search (rowid, name_folded) values (new.rowid, new.name_folded);
    end`);
    this.addSql(`create trigger products_search_delete after delete on products begin
      insert into products_search (products_search, rowid, name_folded) values ('delete', old.rowid, old.name_folded);
    end`);
    this.addSql(`create trigger products_search_update after update of name_folded on products begin
      insert into products_search (products_search, rowid, name_folded) values ('delete', old.rowid, old.name_folded);
      insert into products_search (rowid, name_folded) values (new.rowid, new.name_folded);
    end`);
  }

  override down(): void {
    if (isPostgres(this.config)) {
      this.addSql('drop index if exists products_name_trgm_index');
      return;
    }
    for (const name of ['insert', 'delete', 'update']) this.addSql(`drop trigger if exists products_search_${name}`);
    this.addSql('drop table if exists products_search');
  }
}
