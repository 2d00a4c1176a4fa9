import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalog } from '../../src/index.js';
import { TEST_OPTIONS } from '../../src/testing.js';

test('createCatalog({ create: false }) refuses a missing SQLite file with database_missing and creates nothing [sqlite]', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-missing-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'typo', 'x.db');
  const error = await t.throwsAsync(createCatalog({ ...TEST_OPTIONS, database: `sqlite:${path}`, create: false }), {
    code: 'database_missing',
  });
  t.true(error!.message.includes(path), error!.message);
  t.false(existsSync(join(dir, 'typo')));
});

test('createCatalog() creates a missing SQLite file by default; { create: false } then opens it [sqlite]', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-create-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const database = `sqlite:${join(dir, 'new', 'x.db')}`;
  await (await createCatalog({ ...TEST_OPTIONS, database })).close();
  const reopened = await createCatalog({ ...TEST_OPTIONS, database, create: false });
  t.teardown(() => reopened.close());
  t.is((await reopened.dashboard.summary()).total_products, 0);
});
