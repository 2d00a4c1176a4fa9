import { Migration } from '@mikro-orm/migrations';
import { isPostgres } from './platform.js';

/*
 * Values every process on the database must agree on, such as the generated signing secret
 * (see secret.ts): kept here rather than in a file beside one process, so the server, the CLI
 * and workers started from anywhere sign and verify alike.
 */
export class Migration0013Settings extends Migration {
  override up(): void {
    const pg = isPostgres(this.config);
    this.addSql(`create table catalog_settings (
      name ${pg ? 'varchar(100) collate "C"' : 'text'} not null primary key,
      value text not null
    )`);
  }

  override down(): void {
    this.addSql('drop table catalog_settings');
  }
}
