import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProductListQuery } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import test from 'ava';
import { runCli } from '../helpers/cli.js';

/** Above core's INDEX_REBUILD_MIN_ROWS (20 000): on SQLite the import drops and rebuilds four indexes. */
const ROWS = 25_000;
const admin = { actor: SYSTEM_ACTOR };
let dir: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-import-empty-'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

/** Listings that read through each of the rebuilt indexes (price, rating, name, category + price). */
const QUERIES: ProductListQuery[] = [
  { sort_by: 'price', sort_order: 'asc', limit: 5 },
  { sort_by: 'rating', sort_order: 'desc', limit: 5 },
  { sort_by: 'name', sort_order: 'asc', limit: 5 },
  { category: 'bulk', min_price: 10, max_price: 20, sort_by: 'price', sort_order: 'asc', limit: 5 },
  { sort_by: 'created_at', limit: 5 },
];

for (const db of testDatabases()) {
  test(`an import into an empty table (indexes dropped and rebuilt in its transaction) while a second catalog on the same database reads and writes: no errors, exact totals [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const csv = join(dir, `${db.name}.csv`);
      const lines = Array.from(
        { length: ROWS },
        (_, i) => `bulk item ${i},bulk,${(i % 4000) / 100},${i % 5 === 0 ? '' : (i % 51) / 10}`,
      );
      await writeFile(csv, `name,category,price,rating\n${lines.join('\n')}\n`);

      // Reads before the import prepare (and cache) the reader's statements on the old schema.
      for (const query of QUERIES) await catalog.products.list(query);
      await catalog.dashboard.summary();

      let importing = true;
      const imported = runCli(['--db', catalog.url, 'products', 'import', csv]).finally(() => (importing = false));
      const failures: string[] = [];
      let created = 0;
      let rounds = 0;
      // At least a few rounds, then on until the import is done, then a few more on the new schema.
      for (let after = 0; after < 3; rounds++) {
        if (!importing) after++;
        try {
          for (const query of QUERIES) await catalog.products.list(query);
          await catalog.dashboard.summary();
          const product = await catalog.products.create(
            { name: `other ${rounds}`, category: 'other', price: 1 },
            admin,
          );
          created++;
          await catalog.products.patch(product.id, { price: 2 }, admin);
        } catch (error) {
          failures.push(String(error));
        }
      }
      const result = await imported;

      t.is(result.code, 0, result.stderr);
      t.deepEqual(failures, [], 'every read and write of the second catalog succeeded');
      const summary = await catalog.dashboard.summary();
      t.is(summary.total_products, ROWS + created);
      const byCategory = new Map(summary.categories.map((c) => [c.category, c.count]));
      t.is(byCategory.get('bulk'), ROWS);
      t.is(byCategory.get('other'), created);
      // The listings read the imported rows in order through the rebuilt indexes.
      t.deepEqual(
        (await catalog.products.list(QUERIES[0]!)).data.map((p) => p.price),
        [0, 0, 0, 0, 0],
      );
      const filtered = await catalog.products.list({ ...QUERIES[3]!, limit: 100 });
      t.true(
        filtered.data.length > 0 &&
          filtered.data.every(
            (p, i, all) =>
              p.category === 'bulk' && p.price >= 10 && p.price <= 20 && (i === 0 || all[i - 1]!.price <= p.price),
          ),
      );
      t.is((await catalog.products.list({ search: 'item 24999' })).data.length, 1);
      t.true(rounds > 3);
    } finally {
      await catalog.destroy();
    }
  });
}
