import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { cliOn } from './helpers/cli.js';

for (const db of testDatabases()) {
  test(`products list --cursor '' is the first page [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    await catalog.products.create({ name: 'Cli first', category: 'cli-first', price: 1 }, { actor: SYSTEM_ACTOR });
    const cli = cliOn(catalog.url);
    const [plain, empty] = await Promise.all([
      cli(['products', 'list', '--format', 'json']),
      cli(['products', 'list', '--cursor', '', '--format', 'json']),
    ]);
    t.is(empty.code, 0, empty.stderr);
    t.is(empty.stdout, plain.stdout);
    t.is((JSON.parse(empty.stdout) as { data: unknown[] }).data.length, 1);
  });
}
