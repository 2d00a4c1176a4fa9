import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/**
 * Tables for users, products and refresh tokens, identical in meaning on SQLite and PostgreSQL:
 * UUIDv7 text ids, prices as integer cents, ratings as integer tenths, millisecond timestamps
 * (`timestamptz(3)` on PostgreSQL; epoch milliseconds on SQLite), `name` compared in code-point
 * order (`COLLATE "C"` on PostgreSQL; SQLite's BINARY collation is already code-point order).
 */
export class Migration0001InitialSchema extends Migration {
  override up(): void {
    const pg = isPostgres(this.config);
    const id = pg ? 'uuid' : 'text';
    const ts = pg ? 'timestamptz(3)' : 'datetime';
    const text = (n: number, collateC = false) => (pg ? `varchar(${n})${collateC ? ' collate "C"' : ''}` : 'text');
    const cents = pg ? 'bigint' : 'integer';

    this.addSql(`create table users (
      id ${id} not null primary key,
      email ${text(254)} not null,
      name ${text(100)} null,
      role ${text(16)} not null check (role in ('user', 'admin')),
      password_hash ${text(100)} not null,
      created_at ${ts} not null
    )`);
    this.addSql('create unique index users_email_unique on users (email)');
    this.addSql('create index users_created_at_id_index on users (created_at, id)');

    this.addSql(`create table products (
      id ${id} not null primary key,
      name ${text(200, true)} not null,
      name_folded ${text(200, true)} not null,
      category ${text(100, true)} not null,
      category_folded ${text(100, true)} not null,
      price_cents ${cents} not null check (price_cents >= 0 and price_cents <= 100000000000),
      rating_tenths ${pg ? 'smallint' : 'integer'} null check (rating_tenths >= 0 and rating_tenths <= 50),
      created_at ${ts} not null,
      updated_at ${ts} not null,
      deleted_at ${ts} null
    )`);

    this.addSql(`create table refresh_tokens (
      id ${id} not null primary key,
      token_hash ${text(64)} not null,
      family_id ${id} not null,
      user_id ${id} not null references users (id) on delete cascade,
      expires_at ${ts} not null,
      used_at ${ts} null,
      revoked_at ${ts} null,
      created_at ${ts} not null
    )`);
    this.addSql('create unique index refresh_tokens_token_hash_unique on refresh_tokens (token_hash)');
    this.addSql('create index refresh_tokens_family_id_index on refresh_tokens (family_id)');
    this.addSql('create index refresh_tokens_user_id_index on refresh_tokens (user_id)');
  }

  override down(): void {
    this.addSql('drop table if exists refresh_tokens');
    this.addSql('drop table if exists products');
    this.addSql('drop table if exists users');
  }
}
