import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * Fixed-window rate-limit counters shared by every process on the database (see
 * db/rate-limit-counters.ts): several server processes behind one port or one load balancer
 * count the same failed logins and auth requests. `reset_at` is epoch milliseconds.
 */
export class Migration0009RateLimits extends Migration {
  override up(): void {
    const pg = isPostgres(this.config);
    this.addSql(`create table rate_limits (
      key ${pg ? 'varchar(300) collate "C"' : 'text'} not null primary key,
      count ${pg ? 'bigint' : 'integer'} not null,
      reset_at ${pg ? 'bigint' : 'integer'} not null
    )`);
    // Expired windows are swept by reset_at.
    this.addSql('create index rate_limits_reset_at on rate_limits (reset_at)');
  }

  override down(): void {
    this.addSql('drop table rate_limits');
  }
}
