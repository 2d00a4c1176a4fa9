import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { createClient, type Product, type ProductInput } from '../src/index.js';
import { rejectsWith, signedInClient, useServer } from './support/server.js';

const MISSING_ID = '01890a5d-ac96-7b6c-8b1e-0123456789ab';

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`an admin creates, gets, replaces, patches, deletes and restores a product [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    const created = await client.products.create({
      name: ' Green tea ',
      category: 'sdk-crud',
      price: 4.5,
      rating: 4.2,
    });
    t.like(created, { name: 'Green tea', category: 'sdk-crud', price: 4.5, rating: 4.2 });
    t.deepEqual(await client.products.get(created.id), created);

    const replaced = await client.products.replace(created.id, { name: 'Black tea', category: 'sdk-crud', price: 5 });
    t.like(replaced, { id: created.id, name: 'Black tea', price: 5, rating: null });

    const patched = await client.products.patch(created.id, { price: 3.99 });
    t.like(patched, { name: 'Black tea', price: 3.99 });

    await client.products.delete(created.id);
    await rejectsWith(t, client.products.get(created.id), 404, 'not_found');
    await rejectsWith(t, client.products.delete(created.id), 404, 'not_found');

    const restored = await client.products.restore(created.id);
    t.like(restored, { id: created.id, name: 'Black tea', price: 3.99 });
    t.is((await client.products.get(created.id)).id, created.id);
  });

  test(`a plain user may read but gets 403 forbidden on every write [${db.name}]`, async (t) => {
    const { client: admin } = await signedInClient(live(), 'admin');
    const { client } = await signedInClient(live(), 'user');
    const product = await admin.products.create({ name: 'Kettle', category: 'sdk-forbidden', price: 20 });
    t.is((await client.products.get(product.id)).name, 'Kettle');
    const input: ProductInput = { name: 'X', category: 'sdk-forbidden', price: 1 };
    await rejectsWith(t, client.products.create(input), 403, 'forbidden');
    await rejectsWith(t, client.products.replace(product.id, input), 403, 'forbidden');
    await rejectsWith(t, client.products.patch(product.id, { price: 1 }), 403, 'forbidden');
    await rejectsWith(t, client.products.delete(product.id), 403, 'forbidden');
    await rejectsWith(t, client.products.restore(product.id), 403, 'forbidden');
  });

  test(`anonymous reads are 401 unauthorized [${db.name}]`, async (t) => {
    const client = createClient({ baseUrl: live().url });
    await rejectsWith(t, client.products.list(), 401, 'unauthorized');
    await rejectsWith(t, client.dashboard.summary(), 401, 'unauthorized');
  });

  test(`unknown ids are 404 not_found [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    const missing = await rejectsWith(t, client.products.get(MISSING_ID), 404, 'not_found');
    t.truthy(missing?.requestId);
    await rejectsWith(t, client.products.patch(MISSING_ID, { price: 2 }), 404, 'not_found');
    await rejectsWith(t, client.products.restore(MISSING_ID), 404, 'not_found');
  });

  test(`bad input is 422 validation_failed with one entry per field [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    const error = await rejectsWith(
      t,
      client.products.create({ name: '', category: 'c', price: 1.234, rating: 7 }),
      422,
      'validation_failed',
    );
    t.deepEqual(error?.errors.map((e) => e.path).sort(), ['name', 'price', 'rating']);
    const query = await rejectsWith(
      t,
      client.products.list({ min_price: 10, max_price: 5, limit: 500 }),
      422,
      'validation_failed',
    );
    t.deepEqual(query?.errors.map((e) => e.path).sort(), ['limit', 'min_price']);
  });

  test(`a cursor of another query is 400 invalid_cursor [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    await client.products.create({ name: 'A', category: 'sdk-cursor', price: 1 });
    await client.products.create({ name: 'B', category: 'sdk-cursor', price: 2 });
    const page = await client.products.list({ category: 'sdk-cursor', limit: 1 });
    t.truthy(page.next_cursor);
    await rejectsWith(
      t,
      client.products.list({ category: 'sdk-cursor', sort_by: 'price', limit: 1, cursor: page.next_cursor ?? '' }),
      400,
      'invalid_cursor',
    );
  });

  test(`list filters, sorts and pages forward and back with the cursors [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    for (const [i, price] of [5, 1, 4, 2, 3].entries()) {
      await client.products.create({ name: `Paging ${i}`, category: 'sdk-paging', price });
    }
    const query = { category: 'SDK-Paging', sort_by: 'price', sort_order: 'asc', limit: 2 } as const;
    const first = await client.products.list(query);
    t.deepEqual(
      first.data.map((p) => p.price),
      [1, 2],
    );
    t.is(first.prev_cursor, null);
    const second = await client.products.list({ ...query, cursor: first.next_cursor ?? '' });
    t.deepEqual(
      second.data.map((p) => p.price),
      [3, 4],
    );
    const back = await client.products.list({ ...query, cursor: second.prev_cursor ?? '' });
    t.deepEqual(
      back.data.map((p) => p.id),
      first.data.map((p) => p.id),
    );
    const filtered = await client.products.list({ ...query, min_price: 2, max_price: 4, search: 'paging' });
    t.deepEqual(
      filtered.data.map((p) => p.price),
      [2, 3],
    );
  });

  test(`iterate() over a few hundred products equals a manual walk of the pages [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'user');
    const inputs = Array.from({ length: 321 }, (_, i) => ({
      name: `Walk ${String(i).padStart(3, '0')}`,
      category: 'sdk-walk',
      price: (i * 37) % 100,
      rating: i % 7 === 0 ? null : (i % 50) / 10,
    }));
    await live().catalog.products.createMany(inputs, { actor: SYSTEM_ACTOR });
    const query = { category: 'sdk-walk', sort_by: 'rating', sort_order: 'desc', limit: 40 } as const;

    const manual: Product[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.products.list(cursor ? { ...query, cursor } : query);
      manual.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);

    const iterated: Product[] = [];
    for await (const product of client.products.iterate(query)) iterated.push(product);
    t.is(iterated.length, 321);
    t.deepEqual(iterated, manual);
    t.is(new Set(iterated.map((p) => p.id)).size, 321);
  });

  test(`iterate() stops early when the loop breaks [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    for (const name of ['One', 'Two', 'Three']) await client.products.create({ name, category: 'sdk-break', price: 1 });
    const seen: string[] = [];
    for await (const product of client.products.iterate({ category: 'sdk-break', limit: 1 })) {
      seen.push(product.name);
      if (seen.length === 2) break;
    }
    t.is(seen.length, 2);
  });
}
