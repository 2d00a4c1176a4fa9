import test from 'ava';
import { SYSTEM_ACTOR } from '../../src/index.js';
import { createTestCatalog, testDatabases } from '../../src/testing.js';

const admin = { actor: SYSTEM_ACTOR };

for (const db of testDatabases()) {
  test(`summary of an empty catalog [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    t.deepEqual(await catalog.dashboard.summary(), {
      total_products: 0,
      average_rating: null,
      highest_priced_product: null,
      recent_products: [],
      categories: [],
    });
  });

  test(`summary matches a hand-computed fixture and ignores soft-deleted products [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const made = [];
    for (const input of [
      { name: 'A', category: 'Books', price: 10, rating: 4 },
      { name: 'B', category: 'books', price: 20.5, rating: 3.5 },
      { name: 'C', category: 'Toys', price: 5, rating: null },
      { name: 'D', category: 'Toys', price: 7.25, rating: 1.2 },
      { name: 'E', category: 'Games', price: 99.99, rating: 5 },
      { name: 'F', category: 'Games', price: 1, rating: 2 },
      { name: 'Deleted', category: 'Gone', price: 1000, rating: 0 },
    ]) {
      made.push(await catalog.products.create(input, admin));
      await new Promise((resolve) => setTimeout(resolve, 2)); // distinct created_at for "recent"
    }
    await catalog.products.delete(made[6]!.id, admin);
    const summary = await catalog.dashboard.summary();
    t.is(summary.total_products, 6);
    // (4 + 3.5 + 1.2 + 5 + 2) / 5 = 3.14
    t.is(summary.average_rating, 3.14);
    t.is(summary.highest_priced_product?.name, 'E');
    t.deepEqual(
      summary.recent_products.map((p) => p.name),
      ['F', 'E', 'D', 'C', 'B'],
    );
    t.deepEqual(summary.categories, [
      { category: 'Books', count: 2 },
      { category: 'Games', count: 2 },
      { category: 'Toys', count: 2 },
    ]);
  });

  test(`average rating rounds to 2 decimals [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    for (const rating of [1, 1, 2])
      await catalog.products.create({ name: 'R', category: 'r', price: 1, rating }, admin);
    t.is((await catalog.dashboard.summary()).average_rating, 1.33);
  });
}
