import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { rejectsWith, signedInClient, useServer } from './support/server.js';
import { createClient } from '../src/index.js';

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`dashboard.summary() returns totals, average rating, priciest, newest and categories [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'user');
    const empty = await client.dashboard.summary();
    t.like(empty, {
      total_products: 0,
      average_rating: null,
      highest_priced_product: null,
      recent_products: [],
      categories: [],
    });

    const actor = { actor: SYSTEM_ACTOR };
    await live().catalog.products.create({ name: 'Atlas', category: 'books', price: 30, rating: 4 }, actor);
    await live().catalog.products.create({ name: 'Chai', category: 'tea', price: 6.5, rating: 4.5 }, actor);
    const gone = await live().catalog.products.create({ name: 'Gone', category: 'tea', price: 999 }, actor);
    await live().catalog.products.create({ name: 'Unrated', category: 'tea', price: 2 }, actor);
    await live().catalog.products.delete(gone.id, actor);

    const summary = await client.dashboard.summary();
    t.is(summary.total_products, 3);
    t.is(summary.average_rating, 4.25);
    t.is(summary.highest_priced_product?.name, 'Atlas');
    t.deepEqual(summary.recent_products.map((p) => p.name).sort(), ['Atlas', 'Chai', 'Unrated']);
    t.deepEqual(
      [...summary.categories].sort((a, b) => a.category.localeCompare(b.category)),
      [
        { category: 'books', count: 1 },
        { category: 'tea', count: 2 },
      ],
    );
  });

  test(`dashboard.summary() needs a signed-in user [${db.name}]`, async (t) => {
    await rejectsWith(t, createClient({ baseUrl: live().url }).dashboard.summary(), 401, 'unauthorized');
  });
}
