import test from 'ava';
import { SYSTEM_ACTOR, type CatalogError } from '../../src/index.js';
import { createCatalog } from '../../src/catalog.js';
import { forEachTestCatalog } from '../support/catalog-per-database.js';

const admin = { actor: SYSTEM_ACTOR };
const input = { name: 'Kettle', category: 'Kitchen', price: 20 };

forEachTestCatalog((db, catalog) => {
  const d = `[${db.name}]`;

  test(`version is 1 on create and grows by one with every change, delete and restore included ${d}`, async (t) => {
    const products = catalog().products;
    const created = await products.create(input, admin);
    t.is(created.version, 1);
    t.is((await products.patch(created.id, { price: 21 }, admin)).version, 2);
    t.is((await products.replace(created.id, { ...input, price: 22 }, admin)).version, 3);
    await products.delete(created.id, admin);
    const restored = await products.restore(created.id, admin);
    t.is(restored.version, 5);
    t.is((await products.restore(created.id, admin)).version, 5, 'restoring a live product changes nothing');
    t.is((await products.get(created.id)).version, 5);
  });

  test(`a write with a stale ifVersion fails with precondition_failed and writes nothing ${d}`, async (t) => {
    const products = catalog().products;
    const created = await products.create(input, admin);
    await products.patch(created.id, { price: 30 }, { ...admin, ifVersion: 1 });
    for (const write of [
      () => products.patch(created.id, { price: 31 }, { ...admin, ifVersion: 1 }),
      () => products.replace(created.id, { ...input, price: 32 }, { ...admin, ifVersion: 1 }),
      () => products.delete(created.id, { ...admin, ifVersion: 1 }),
      () => products.restore(created.id, { ...admin, ifVersion: 3 }),
    ]) {
      const error = await t.throwsAsync<CatalogError & { currentVersion: number }>(write, {
        code: 'precondition_failed',
      });
      t.is(error?.currentVersion, 2);
    }
    const now = await products.get(created.id);
    t.is(now.version, 2);
    t.is(now.price, 30);
    await products.delete(created.id, { ...admin, ifVersion: 2 });
    t.is((await products.restore(created.id, { ...admin, ifVersion: 3 })).version, 4);
  });

  test(`of two concurrent writers with the same ifVersion exactly one wins, from separate connections ${d}`, async (t) => {
    // A second catalog on the same database: its own connections, as another server process has.
    const other = await createCatalog({ database: catalog().url, secret: 'y'.repeat(32) });
    t.teardown(() => other.close());
    for (let round = 0; round < 10; round++) {
      const created = await catalog().products.create({ ...input, name: `race ${round}` }, admin);
      const results = await Promise.allSettled([
        catalog().products.patch(created.id, { price: 100 }, { ...admin, ifVersion: 1 }),
        other.products.patch(created.id, { price: 200 }, { ...admin, ifVersion: 1 }),
        catalog().products.patch(created.id, { rating: 4 }, { ...admin, ifVersion: 1 }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      t.is(won.length, 1, `round ${round}`);
      for (const failure of lost) t.is((failure.reason as CatalogError).code, 'precondition_failed');
      const after = await catalog().products.get(created.id);
      t.is(after.version, 2);
    }
  });

  test(`a SKU is optional, unique among products, and found by exact match ${d}`, async (t) => {
    const products = catalog().products;
    const a = await products.create({ ...input, name: 'A', sku: 'KT-100' }, admin);
    t.is(a.sku, 'KT-100');
    t.is((await products.create({ ...input, name: 'B' }, admin)).sku, null);
    await products.create({ ...input, name: 'C' }, admin);
    await t.throwsAsync(products.create({ ...input, name: 'D', sku: 'KT-100' }, admin), { code: 'conflict' });
    await t.throwsAsync(
      products.createMany(
        [
          { ...input, sku: 'KT-200' },
          { ...input, sku: 'KT-200' },
        ],
        admin,
      ),
      { code: 'conflict' },
    );
    t.deepEqual((await products.list({ sku: 'KT-200' })).data, [], 'nothing of a failed createMany is written');
    t.deepEqual(
      (await products.list({ sku: 'KT-100' })).data.map((p) => p.name),
      ['A'],
    );
    t.deepEqual((await products.list({ sku: 'kt-100' })).data, [], 'matched exactly, case included');
    const b = (await products.list({ search: 'B' })).data.find((p) => p.name === 'B')!;
    await t.throwsAsync(products.patch(b.id, { sku: 'KT-100' }, admin), { code: 'conflict' });
    t.is((await products.patch(a.id, { sku: null }, admin)).sku, null);
    t.is((await products.patch(b.id, { sku: 'KT-100' }, admin)).sku, 'KT-100');
    await t.throwsAsync(products.create({ ...input, sku: 'has space' }, admin), { code: 'validation_failed' });
  });
});
