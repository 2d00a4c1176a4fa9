import test from 'ava';
import { testDatabases } from '@catalog/core/testing';
import type { FetchLike } from '../src/index.js';
import { rejectsWith, signedInClient, useServer } from './support/server.js';

/** The real fetch, recording each request's If-None-Match and each response's status. */
function observedFetch(): { fetch: FetchLike; seen: { ifNoneMatch: string | null; status: number }[] } {
  const seen: { ifNoneMatch: string | null; status: number }[] = [];
  const fetch: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const headers = new Headers(init.headers);
    seen.push({ ifNoneMatch: headers.get('if-none-match'), status: response.status });
    return response;
  };
  return { fetch, seen };
}

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`ifVersion and ifMatch: the current one writes, a stale one is precondition_failed and writes nothing [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    const product = await client.products.create({ name: 'Guarded', category: 'sdk-if', price: 1 });
    const patched = await client.products.patch(product.id, { price: 2 }, { ifVersion: product.version });
    t.is(patched.version, 2);
    await rejectsWith(t, client.products.patch(product.id, { price: 3 }, { ifVersion: 1 }), 412, 'precondition_failed');
    await rejectsWith(
      t,
      client.products.replace(
        product.id,
        { name: 'X', category: 'sdk-if', price: 9 },
        { ifMatch: `"${product.id}.1"` },
      ),
      412,
      'precondition_failed',
    );
    await rejectsWith(t, client.products.delete(product.id, { ifVersion: 1 }), 412, 'precondition_failed');
    t.like(await client.products.get(product.id), { price: 2, version: 2 });

    const replaced = await client.products.replace(
      product.id,
      { name: 'Replaced', category: 'sdk-if', price: 4 },
      { ifMatch: `"${product.id}.2"` },
    );
    t.is(replaced.version, 3);
    await client.products.delete(product.id, { ifMatch: '*' });
    await rejectsWith(t, client.products.restore(product.id, { ifVersion: 3 }), 412, 'precondition_failed');
    t.like(await client.products.restore(product.id, { ifVersion: 4 }), { version: 5 });
  });

  test(`includeTotal adds the total of the filters; createMany creates all at once [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'admin');
    const created = await client.products.createMany(
      Array.from({ length: 12 }, (_, i) => ({ name: `Many ${i}`, category: 'sdk-many', price: i })),
    );
    t.deepEqual(
      created.map((p) => p.name),
      Array.from({ length: 12 }, (_, i) => `Many ${i}`),
    );
    const page = await client.products.list({ category: 'sdk-many', limit: 5 }, { includeTotal: true });
    t.is(page.data.length, 5);
    t.is(page.total, 12);
    t.is((await client.products.list({ category: 'sdk-many', min_price: 10 }, { includeTotal: true })).total, 2);
    t.false('total' in (await client.products.list({ category: 'sdk-many' })));

    const error = await rejectsWith(
      t,
      client.products.createMany([
        { name: 'ok', category: 'sdk-many', price: 1 },
        { name: '', category: 'sdk-many', price: 1 },
      ]),
      422,
      'validation_failed',
    );
    t.deepEqual(
      error?.errors.map((e) => e.path),
      ['[1].name'],
    );
    t.is((await client.products.list({ category: 'sdk-many' }, { includeTotal: true })).total, 12);
  });

  test(`with cache on, get revalidates with the ETag and a 304 returns the kept product [${db.name}]`, async (t) => {
    const { fetch, seen } = observedFetch();
    const { client } = await signedInClient(live(), 'admin', { fetch, cache: true });
    const product = await client.products.create({ name: 'Cached', category: 'sdk-cache', price: 1 });
    seen.length = 0;
    const first = await client.products.get(product.id);
    const second = await client.products.get(product.id);
    t.deepEqual(second, first);
    t.deepEqual(seen, [
      { ifNoneMatch: null, status: 200 },
      { ifNoneMatch: `"${product.id}.1"`, status: 304 },
    ]);

    await client.products.patch(product.id, { price: 2 });
    const changed = await client.products.get(product.id);
    t.like(changed, { price: 2, version: 2 });
    t.deepEqual(seen.at(-1), { ifNoneMatch: `"${product.id}.1"`, status: 200 });
    t.like(await client.products.get(product.id), { price: 2 });
    t.deepEqual(seen.at(-1), { ifNoneMatch: `"${product.id}.2"`, status: 304 });

    // A new session starts with an empty cache: bodies differ between admins and users.
    await client.auth.logout();
    t.is(client.cache?.size, 0);
  });

  test(`without cache, get never sends If-None-Match [${db.name}]`, async (t) => {
    const { fetch, seen } = observedFetch();
    const { client } = await signedInClient(live(), 'user', { fetch });
    const { client: admin } = await signedInClient(live(), 'admin');
    const product = await admin.products.create({ name: 'Uncached', category: 'sdk-cache', price: 1 });
    await client.products.get(product.id);
    await client.products.get(product.id);
    t.deepEqual(
      seen.slice(-2).map((s) => s.ifNoneMatch),
      [null, null],
    );
    t.is(client.cache, null);
  });
}
