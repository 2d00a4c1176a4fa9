import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * The change feed (changes/): one row per product write, appended in the writer's transaction.
 * SQLite has one writer at a time, so its autoincrement `seq` is commit order (AUTOINCREMENT: a
 * pruned tail never hands its numbers out again). On PostgreSQL a sequence number is taken before
 * commit, so a later number can commit first; each row also keeps the id of its transaction, and
 * readers take only rows of transactions older than every one still running, ordered by
 * (txid, seq) — the index below. `changes_pruned` holds the position of the last pruned change:
 * a cursor before it has lost changes (cursor_expired).
 */
export class Migration0015Changes extends Migration {
  override up(): void {
    if (isPostgres(this.config)) {
      this.addSql(`create table changes (
        seq bigserial primary key,
        txid bigint not null default txid_current(),
        type varchar(32) not null,
        product_id uuid not null,
        product json not null,
        actor_id uuid null,
        at timestamptz(3) not null
      )`);
      this.addSql('create index changes_position on changes (txid, seq)');
      this.addSql(
        'create table changes_pruned (id integer primary key check (id = 1), txid bigint not null, seq bigint not null)',
      );
    } else {
      this.addSql(`create table changes (
        seq integer primary key autoincrement,
        txid integer not null default 0,
        type text not null,
        product_id text not null,
        product text not null,
        actor_id text null,
        at datetime not null
      )`);
      this.addSql(
        'create table changes_pruned (id integer primary key check (id = 1), txid integer not null, seq integer not null)',
      );
    }
    this.addSql('insert into changes_pruned (id, txid, seq) values (1, 0, 0)');
  }

  override down(): void {
    this.addSql('drop table changes_pruned');
    this.addSql('drop table changes');
  }
}
