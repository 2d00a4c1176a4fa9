import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * The dashboard's totals, kept current by triggers in the same transaction as every write to
 * products, so that the summary reads a handful of rows instead of scanning the table (a COUNT
 * over a million rows alone costs tens of milliseconds). Triggers rather than service code so
 * that no write path — service, bulk import, a hand-written UPDATE — can forget them.
 *
 * Row deltas, written once and shared by both dialects (`old`/`new` name the trigger's rows in both).
 */
const live = (row: string) => `(case when ${row}.deleted_at is null then 1 else 0 end)`;
const ratingSum = (row: string) =>
  `(case when ${row}.deleted_at is null then coalesce(${row}.rating_tenths, 0) else 0 end)`;
const rated = (row: string) =>
  `(case when ${row}.deleted_at is null and ${row}.rating_tenths is not null then 1 else 0 end)`;

export function addRow(row: string): string[] {
  return [
    `update product_stats set live_count = live_count + ${live(row)}, rating_sum = rating_sum + ${ratingSum(row)}, rated_count = rated_count + ${rated(row)} where id = 1`,
    `insert into category_stats (category_folded, category, live_count) select ${row}.category_folded, ${row}.category, 1 where ${row}.deleted_at is null
       on conflict (category_folded) do update set live_count = category_stats.live_count + 1`,
  ];
}

function removeRow(row: string): string[] {
  return [
    `update product_stats set live_count = live_count - ${live(row)}, rating_sum = rating_sum - ${ratingSum(row)}, rated_count = rated_count - ${rated(row)} where id = 1`,
    `update category_stats set live_count = live_count - 1 where ${row}.deleted_at is null and category_folded = ${row}.category_folded`,
    `delete from category_stats where category_folded = ${row}.category_folded and live_count <= 0`,
  ];
}

const WATCHED = 'deleted_at, rating_tenths, category_folded';

/** The statements that remove this migration's triggers (its own down, and migration 0012). */
export function dropStatsTriggers(pg: boolean): string[] {
  if (!pg) return ['insert', 'delete', 'update'].map((name) => `drop trigger if exists products_stats_${name}`);
  return [
    'drop trigger if exists products_stats_insert_delete on products',
    'drop trigger if exists products_stats_update on products',
    'drop function if exists products_stats_trigger()',
  ];
}

export class Migration0003DashboardStats extends Migration {
  override up(): void {
    const pg = isPostgres(this.config);
    const big = pg ? 'bigint' : 'integer';
    this.addSql(`create table product_stats (
      id integer not null primary key check (id = 1),
      live_count ${big} not null,
      rating_sum ${big} not null,
      rated_count ${big} not null
    )`);
    this.addSql(`create table category_stats (
      category_folded ${pg ? 'varchar(100) collate "C"' : 'text'} not null primary key,
      category ${pg ? 'varchar(100) collate "C"' : 'text'} not null,
      live_count ${big} not null
    )`);
    this.addSql(`insert into product_stats (id, live_count, rating_sum, rated_count)
      select 1, count(*), coalesce(sum(rating_tenths), 0), count(rating_tenths) from products where deleted_at is null`);
    this.addSql(`insert into category_stats (category_folded, category, live_count)
      select category_folded, min(category), count(*) from products where deleted_at is null group by category_folded`);
    if (pg) this.postgresTriggers();
    else this.sqliteTriggers();
  }

  private sqliteTriggers(): void {
    const body = (statements: string[]) => statements.map((s) => `${s};`).join('\n');
    this.addSql(`create trigger products_stats_insert after insert on products begin\n${body(addRow('new'))}\nend`);
    this.addSql(`create trigger products_stats_delete after delete on products begin\n${body(removeRow('old'))}\nend`);
    this.addSql(
      `create trigger products_stats_update after update of ${WATCHED} on products begin\n${body([...removeRow('old'), ...addRow('new')])}\nend`,
    );
  }

  private postgresTriggers(): void {
    const body = (statements: string[]) => statements.map((s) => `    ${s};`).join('\n');
    this.addSql(`create function products_stats_trigger() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
${body(removeRow('old'))}
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
${body(addRow('new'))}
  end if;
  return null;
end
$$`);
    this.addSql(
      'create trigger products_stats_insert_delete after insert or delete on products for each row execute function products_stats_trigger()',
    );
    this.addSql(
      `create trigger products_stats_update after update of ${WATCHED} on products for each row execute function products_stats_trigger()`,
    );
  }

  override down(): void {
    for (const statement of dropStatsTriggers(isPostgres(this.config))) this.addSql(statement);
    this.addSql('drop table if exists category_stats');
    this.addSql('drop table if exists product_stats');
  }
}
