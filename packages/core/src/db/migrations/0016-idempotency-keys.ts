import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * Responses stored under a client's Idempotency-Key (idempotency/idempotency-store.ts), shared
 * by every process on the database. One row per (principal, key); `status` is null while the
 * first request still runs. Times are epoch milliseconds, like `rate_limits`.
 */
export class Migration0016IdempotencyKeys extends Migration {
  override up(): void {
    const pg = isPostgres(this.config);
    const text = (length: number) => (pg ? `varchar(${length}) collate "C"` : 'text');
    const big = pg ? 'bigint' : 'integer';
    this.addSql(`create table idempotency_keys (
      principal ${text(300)} not null,
      key ${text(255)} not null,
      fingerprint ${text(64)} not null,
      claim ${text(36)} not null,
      claimed_at ${big} not null,
      expires_at ${big} not null,
      status ${pg ? 'smallint' : 'integer'} null,
      headers text null,
      body ${pg ? 'bytea' : 'blob'} null,
      primary key (principal, key)
    )`);
    // The cleanup deletes by expires_at in bounded batches.
    this.addSql('create index idempotency_keys_expires_at on idempotency_keys (expires_at)');
  }

  override down(): void {
    this.addSql('drop table idempotency_keys');
  }
}
