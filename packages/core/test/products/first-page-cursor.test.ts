import test from 'ava';
import { SYSTEM_ACTOR } from '../../src/index.js';
import { forEachTestCatalog } from '../support/catalog-per-database.js';

const admin = { actor: SYSTEM_ACTOR };

forEachTestCatalog((db, catalog) => {
  test(`products.list and users.list take cursor null, undefined or '' as the first page [${db.name}]`, async (t) => {
    await catalog().products.create({ name: 'Only one', category: 'first-page', price: 1 }, admin);
    await catalog().users.create({ email: 'first-page@example.com', password: 'correct horse' }, admin);
    const products = await catalog().products.list({ category: 'first-page' }, admin);
    t.is(products.data.length, 1);
    // A one-page listing's next_cursor is null: passing it straight back must not throw.
    t.is(products.next_cursor, null);
    const users = await catalog().users.list({}, admin);
    for (const cursor of [products.next_cursor, undefined, '']) {
      t.deepEqual(await catalog().products.list({ category: 'first-page', cursor }, admin), products);
      t.deepEqual(await catalog().users.list({ cursor }, admin), users);
    }
  });
});
