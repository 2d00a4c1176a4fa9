import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Product } from '@catalog/contract';
import { createCatalog, SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { cliOn } from './helpers/cli.js';

/** No CATALOG_SECRET and no CATALOG_DATA_DIR: the secret is whatever the catalog generates. */
const GENERATED_SECRET = { CATALOG_SECRET: '', CATALOG_DATA_DIR: '' };

for (const db of testDatabases()) {
  test(`the CLI run from different directories signs cursors that every process on the database accepts [${db.name}]`, async (t) => {
    const seeded = await createTestCatalog(db);
    t.teardown(() => seeded.destroy());
    for (const name of ['Tea', 'Coffee', 'Cocoa'])
      await seeded.products.create({ name, category: 'drinks', price: 2 }, { actor: SYSTEM_ACTOR });
    const [here, there] = await Promise.all([
      mkdtemp(join(tmpdir(), 'catalog-cwd-a-')),
      mkdtemp(join(tmpdir(), 'catalog-cwd-b-')),
    ]);
    t.teardown(() => Promise.all([here, there].map((dir) => rm(dir, { recursive: true, force: true }))));
    const cli = cliOn(seeded.url);
    const first = await cli(['products', 'list', '--limit', '1', '--format', 'json'], {
      cwd: here,
      env: GENERATED_SECRET,
    });
    t.is(first.code, 0, first.stderr);
    const cursor = (JSON.parse(first.stdout) as Page<Product>).next_cursor!;
    const second = await cli(['products', 'list', '--limit', '1', '--cursor', cursor, '--format', 'json'], {
      cwd: there,
      env: GENERATED_SECRET,
    });
    t.is(second.code, 0, second.stderr);
    t.is((JSON.parse(second.stdout) as Page<Product>).data.length, 1);
    // A library catalog (say, the server) on the same database without a secret accepts it too.
    const embedded = await createCatalog({ database: seeded.url, bcryptCost: 4, dataDir: there });
    t.teardown(() => embedded.close());
    t.is((await embedded.products.list({ limit: 1, cursor }, { actor: SYSTEM_ACTOR })).data.length, 1);
    t.false(existsSync(join(here, 'data')), 'no data/ directory beside the process');
  });
}
