import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalog } from '../../src/index.js';

test('an in-memory catalog needs no other setup', async (t) => {
  const catalog = await createCatalog({ database: ':memory:', bcryptCost: 4 });
  t.teardown(() => catalog.close());
  await catalog.ping();
  t.is((await catalog.dashboard.summary()).total_products, 0);
});

test('migrations are applied on open and are idempotent on reopen', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-migrate-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const options = { database: `sqlite:${join(dir, 'c.db')}`, secret: 'x'.repeat(32), bcryptCost: 4 };
  const first = await createCatalog(options);
  await first.close();
  const second = await createCatalog(options);
  t.teardown(() => second.close());
  t.is((await second.dashboard.summary()).total_products, 0);
});

test('migrations can be listed and applied on demand', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-migrations-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const catalog = await createCatalog({
    database: `sqlite:${join(dir, 'c.db')}`,
    secret: 'x'.repeat(32),
    migrate: false,
  });
  t.teardown(() => catalog.close());
  const pending = await catalog.migrations.pending();
  t.true(pending.length >= 4);
  t.deepEqual(await catalog.migrations.executed(), []);
  t.deepEqual(await catalog.migrations.up(), pending);
  t.deepEqual(await catalog.migrations.pending(), []);
  t.deepEqual(await catalog.migrations.executed(), pending);
  t.deepEqual(await catalog.migrations.up(), []);
});

test('several processes opening a new database at once all end up migrated', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-race-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const script = `
    import { createCatalog } from '@catalog/core';
    const catalog = await createCatalog({ database: process.argv[1], secret: 'x'.repeat(32), bcryptCost: 4 });
    process.stdout.write(String((await catalog.migrations.pending()).length));
    await catalog.close();
  `;
  const database = `sqlite:${join(dir, 'race.db')}`;
  const { execFile } = await import('node:child_process');
  const run = () =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import=tsx', '--conditions=source', '--input-type=module', '-e', script, database],
        { timeout: 60_000 },
        (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
      ),
    );
  t.deepEqual(await Promise.all([run(), run(), run()]), ['0', '0', '0']);
});
