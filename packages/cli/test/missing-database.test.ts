import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

test('a command on a missing SQLite file exits 1 naming the path and creates nothing [sqlite]', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-typo-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'nonexistent', 'dir', 'x.db');
  for (const args of [['products', 'list'], ['dashboard'], ['db', 'status'], ['seed', '--count', '1']]) {
    const run = await runCli(['--db', `sqlite:${path}`, ...args]);
    t.is(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
    t.is(run.stdout, '');
    t.is(
      run.stderr,
      `catalog: no database at ${path}: check --db (or CATALOG_DATABASE_URL), or create it with \`catalog db migrate\`\n`,
    );
  }
  t.false(existsSync(join(dir, 'nonexistent')));
});

test('db migrate creates a missing SQLite file, after which commands use it [sqlite]', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-new-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const db = `sqlite:${join(dir, 'new', 'catalog.db')}`;
  const migrate = await runCli(['--db', db, 'db', 'migrate']);
  t.is(migrate.code, 0, migrate.stderr);
  t.regex(migrate.stdout, /^applied 0001-initial-schema\n/);
  const list = await runCli(['--db', db, 'products', 'list', '--format', 'json']);
  t.is(list.code, 0, list.stderr);
  t.deepEqual(JSON.parse(list.stdout), { data: [], next_cursor: null, prev_cursor: null, has_more: false });
});
