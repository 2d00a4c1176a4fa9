import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * `users.disabled_at`: when an admin disabled the account, null while it is active. A nullable
 * column with no default, so adding it rewrites no rows on either database and every existing
 * user stays enabled.
 */
export class Migration0014UserDisabled extends Migration {
  override up(): void {
    const ts = isPostgres(this.config) ? 'timestamptz(3)' : 'datetime';
    this.addSql(`alter table users add column disabled_at ${ts} null`);
  }

  override down(): void {
    this.addSql('alter table users drop column disabled_at');
  }
}
