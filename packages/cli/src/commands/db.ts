import { Option, type Command } from 'commander';
import { withCatalog } from '../context.js';
import { CommandFailed } from '../errors.js';
import { renderRecord } from '../format/table.js';
import { note, write, type Io } from '../io.js';

/** `catalog db migrate|status|backup`: the shipped migrations, applied on demand instead of at start; backups. */
export function registerDb(program: Command, io: Io): void {
  const db = program.command('db').description('database migrations and backups');

  db.command('migrate')
    .description('apply the pending migrations (the server also applies them when it starts)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ catalog db migrate\n  $ catalog --db postgres://postgres@127.0.0.1:5432/catalog db migrate',
    )
    .action(async (_flags: unknown, command: Command) => {
      await withCatalog(
        command,
        async (catalog) => {
          const applied = await catalog.migrations.up();
          if (applied.length === 0) note(io, 'database is up to date: no pending migration');
          for (const name of applied) await write(io.stdout, `applied ${name}\n`);
        },
        { migrate: false, create: true },
      );
    });

  db.command('backup')
    .description("copy a SQLite database to FILE while it is in use (SQLite's online backup)")
    .argument('<file>', 'the copy to write (must not exist)')
    .addHelpText(
      'after',
      `
The copy is the database as committed when the backup began; the server and other commands go on
reading and writing meanwhile. It is a SQLite database like the original: open it with
--db sqlite:FILE. For PostgreSQL use pg_dump.

Example:
  $ catalog db backup backups/catalog-$(date +%F).db`,
    )
    .action(async (file: string, _flags: unknown, command: Command) => {
      await withCatalog(
        command,
        async (catalog) => {
          const { kind, path } = catalog.config.database;
          if (kind !== 'sqlite') {
            throw new CommandFailed(
              'db backup copies SQLite databases; for PostgreSQL use pg_dump (e.g. pg_dump --format=custom --file=FILE URL)',
            );
          }
          if (path === undefined || path === ':memory:')
            throw new CommandFailed('an in-memory database has nothing to back up');
          const { backupSqliteDatabase } = await import('@catalog/core');
          try {
            await backupSqliteDatabase(path, file);
          } catch (error) {
            throw new CommandFailed((error as Error).message);
          }
          note(io, `backed up ${path} to ${file}`);
        },
        { migrate: false },
      );
    });

  db.command('status')
    .description('list the applied and the pending migrations')
    .addOption(
      new Option('--format <format>', 'output format (default: table)').choices(['table', 'json']).default('table'),
    )
    .addHelpText('after', '\nExample:\n  $ catalog db status --format json')
    .action(async (flags: { format: 'table' | 'json' }, command: Command) => {
      await withCatalog(
        command,
        async (catalog) => {
          const executed = await catalog.migrations.executed();
          const pending = await catalog.migrations.pending();
          if (flags.format === 'json') {
            await write(io.stdout, `${JSON.stringify({ executed, pending }, null, 2)}\n`);
            return;
          }
          const rows: [string, string][] = [
            ...executed.map((n: string): [string, string] => [n, 'applied']),
            ...pending.map((n: string): [string, string] => [n, 'pending']),
          ];
          await write(io.stdout, renderRecord(rows));
          await write(
            io.stdout,
            pending.length === 0 ? 'up to date\n' : `${pending.length} pending: run \`catalog db migrate\`\n`,
          );
        },
        { migrate: false },
      );
    });
}
