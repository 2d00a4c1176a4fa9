import { randomUUID } from 'node:crypto';
import test from 'ava';
import { call, problemOf, serversFor, signedIn, testDatabases, type TestServer } from './helpers.js';

const serverFor = serversFor(test);

/** An admin and a user of the shared server, created once per database. */
const people = new Map<string, Promise<{ admin: string; user: string }>>();
function tokens(server: TestServer) {
  let found = people.get(server.db);
  if (!found) {
    found = Promise.all([signedIn(server, 'admin'), signedIn(server, 'user')]).then(([a, u]) => ({
      admin: a.access_token,
      user: u.access_token,
    }));
    people.set(server.db, found);
  }
  return found;
}

const category = () => `cat-${randomUUID().slice(0, 8)}`;

async function create(
  server: TestServer,
  input: Record<string, unknown>,
): Promise<Record<string, unknown> & { id: string }> {
  const { admin } = await tokens(server);
  const response = await call(server, 'POST', '/products', { token: admin, json: input });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown> & { id: string };
}

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`an admin creates a product: 201 with Location ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokens(server);
    const response = await call(server, 'POST', '/products', {
      token: admin,
      json: { name: ' Tea ', category: 'drinks', price: 3.5, rating: 4.5 },
    });
    t.is(response.status, 201);
    const product = (await response.json()) as Record<string, unknown>;
    t.like(product, { name: 'Tea', category: 'drinks', price: 3.5, rating: 4.5 });
    t.is(response.headers.get('location'), `/products/${String(product.id)}`);
    const fetched = await call(server, 'GET', response.headers.get('location') as string, { token: admin });
    t.deepEqual(await fetched.json(), product);
  });

  test(`writes need an admin: 401 anonymous, 403 user ${tag}`, async (t) => {
    const server = serverFor(db);
    const { user } = await tokens(server);
    const product = await create(server, { name: 'Guarded', category: category(), price: 1 });
    const input = { name: 'X', category: 'y', price: 1 };
    const writes: [string, string, unknown?][] = [
      ['POST', '/products', input],
      ['PUT', `/products/${product.id}`, input],
      ['PATCH', `/products/${product.id}`, { price: 2 }],
      ['DELETE', `/products/${product.id}`],
      ['POST', `/products/${product.id}/restore`],
    ];
    for (const [method, path, json] of writes) {
      const anonymous = await call(server, method, path, { json });
      t.is(anonymous.headers.get('www-authenticate'), 'Bearer');
      await problemOf(t, anonymous, 401, 'unauthorized');
      await problemOf(t, await call(server, method, path, { token: user, json }), 403, 'forbidden');
    }
  });

  test(`reads need a signed-in user unless public read is on ${tag}`, async (t) => {
    const server = serverFor(db);
    const product = await create(server, { name: 'Private', category: category(), price: 1 });
    await problemOf(t, await call(server, 'GET', '/products'), 401, 'unauthorized');
    await problemOf(t, await call(server, 'GET', `/products/${product.id}`), 401, 'unauthorized');
    await problemOf(t, await call(server, 'GET', '/dashboard/summary'), 401, 'unauthorized');
    const { user } = await tokens(server);
    t.is((await call(server, 'GET', `/products/${product.id}`, { token: user })).status, 200);
  });

  test(`PUT replaces every field and PATCH changes only the given ones ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokens(server);
    const product = await create(server, { name: 'Old', category: 'a', price: 10, rating: 3 });
    const replaced = await call(server, 'PUT', `/products/${product.id}`, {
      token: admin,
      json: { name: 'New', category: 'b', price: 12.25 },
    });
    t.is(replaced.status, 200);
    t.like(await replaced.json(), { id: product.id, name: 'New', category: 'b', price: 12.25, rating: null });
    const patched = await call(server, 'PATCH', `/products/${product.id}`, { token: admin, json: { rating: 4.5 } });
    t.is(patched.status, 200);
    t.like(await patched.json(), { name: 'New', category: 'b', price: 12.25, rating: 4.5 });
  });

  test(`bad product input is 422 with one entry per field ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokens(server);
    const product = await create(server, { name: 'Valid', category: 'a', price: 1 });
    const created = await call(server, 'POST', '/products', {
      token: admin,
      json: { name: '', price: -1, rating: 9, color: 'red' },
    });
    const body = await problemOf(t, created, 422, 'validation_failed');
    const paths = (body.errors as { path: string }[]).map((e) => e.path);
    for (const field of ['name', 'category', 'price', 'rating'])
      t.true(paths.includes(field), `${field} reported in ${paths.join(',')}`);
    await problemOf(
      t,
      await call(server, 'PATCH', `/products/${product.id}`, { token: admin, json: {} }),
      422,
      'validation_failed',
    );
    await problemOf(
      t,
      await call(server, 'PUT', `/products/${product.id}`, { token: admin, json: { name: 'x' } }),
      422,
      'validation_failed',
    );
    await problemOf(t, await call(server, 'POST', '/products', { token: admin }), 422, 'validation_failed');
  });

  test(`delete is soft: 204, then 404 on reads and on a second delete; restore brings it back ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin, user } = await tokens(server);
    const cat = category();
    const product = await create(server, { name: 'Ephemeral', category: cat, price: 1 });
    const deleted = await call(server, 'DELETE', `/products/${product.id}`, { token: admin });
    t.is(deleted.status, 204);
    await problemOf(t, await call(server, 'GET', `/products/${product.id}`, { token: user }), 404, 'not_found');
    await problemOf(t, await call(server, 'DELETE', `/products/${product.id}`, { token: admin }), 404, 'not_found');
    const listed = (await (await call(server, 'GET', `/products?category=${cat}`, { token: admin })).json()) as {
      data: unknown[];
    };
    t.is(listed.data.length, 0);

    const withDeleted = await call(server, 'GET', `/products?category=${cat}&include_deleted=true`, { token: admin });
    t.is(withDeleted.status, 200);
    const page = (await withDeleted.json()) as { data: { id: string; deleted_at: string | null }[] };
    t.is(page.data[0]?.id, product.id);
    t.is(typeof page.data[0]?.deleted_at, 'string');
    await problemOf(t, await call(server, 'GET', `/products?include_deleted=true`, { token: user }), 403, 'forbidden');

    const restored = await call(server, 'POST', `/products/${product.id}/restore`, { token: admin });
    t.is(restored.status, 200);
    t.like(await restored.json(), { id: product.id, name: 'Ephemeral' });
    t.is((await call(server, 'GET', `/products/${product.id}`, { token: user })).status, 200);
  });

  test(`unknown and malformed ids are 404 on every product route ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokens(server);
    const json = { name: 'X', category: 'y', price: 1 };
    for (const id of [
      randomUUID(),
      '01900000-0000-7000-8000-000000000000',
      'not-an-id',
      "1' or '1'='1",
      '%00',
      '..%2F..%2Fetc',
    ]) {
      await problemOf(t, await call(server, 'GET', `/products/${id}`, { token: admin }), 404, 'not_found');
      await problemOf(t, await call(server, 'PUT', `/products/${id}`, { token: admin, json }), 404, 'not_found');
      await problemOf(
        t,
        await call(server, 'PATCH', `/products/${id}`, { token: admin, json: { price: 2 } }),
        404,
        'not_found',
      );
      await problemOf(t, await call(server, 'DELETE', `/products/${id}`, { token: admin }), 404, 'not_found');
      await problemOf(t, await call(server, 'POST', `/products/${id}/restore`, { token: admin }), 404, 'not_found');
    }
  });

  test(`the list filters, sorts and walks pages with cursors both ways ${tag}`, async (t) => {
    const server = serverFor(db);
    const { user } = await tokens(server);
    const cat = category();
    for (const price of [5, 1, 4, 2, 3]) await create(server, { name: `P${price}`, category: cat, price });
    const first = await call(
      server,
      'GET',
      `/products?category=${cat.toUpperCase()}&sort_by=price&sort_order=asc&limit=2`,
      { token: user },
    );
    t.is(first.status, 200);
    const page1 = (await first.json()) as {
      data: { price: number }[];
      next_cursor: string;
      prev_cursor: string | null;
      has_more: boolean;
    };
    t.deepEqual(
      page1.data.map((p) => p.price),
      [1, 2],
    );
    t.true(page1.has_more);
    t.is(page1.prev_cursor, null);
    const page2 = (await (
      await call(
        server,
        'GET',
        `/products?category=${cat}&sort_by=price&sort_order=asc&limit=2&cursor=${page1.next_cursor}`,
        { token: user },
      )
    ).json()) as typeof page1;
    t.deepEqual(
      page2.data.map((p) => p.price),
      [3, 4],
    );
    const back = (await (
      await call(
        server,
        'GET',
        `/products?category=${cat}&sort_by=price&sort_order=asc&limit=2&cursor=${page2.prev_cursor}`,
        { token: user },
      )
    ).json()) as typeof page1;
    t.deepEqual(
      back.data.map((p) => p.price),
      [1, 2],
    );
    const filtered = (await (
      await call(server, 'GET', `/products?category=${cat}&min_price=2&max_price=4.00&search=p`, { token: user })
    ).json()) as typeof page1;
    t.deepEqual(filtered.data.map((p) => p.price).sort(), [2, 3, 4]);
  });

  test(`a cursor used with other filters or altered is 400 invalid_cursor ${tag}`, async (t) => {
    const server = serverFor(db);
    const { user } = await tokens(server);
    const cat = category();
    for (const price of [1, 2, 3]) await create(server, { name: `C${price}`, category: cat, price });
    const page = (await (await call(server, 'GET', `/products?category=${cat}&limit=1`, { token: user })).json()) as {
      next_cursor: string;
    };
    await problemOf(
      t,
      await call(server, 'GET', `/products?category=${cat}&limit=1&sort_by=price&cursor=${page.next_cursor}`, {
        token: user,
      }),
      400,
      'invalid_cursor',
    );
    await problemOf(
      t,
      await call(server, 'GET', `/products?category=other&limit=1&cursor=${page.next_cursor}`, { token: user }),
      400,
      'invalid_cursor',
    );
    const altered = `${page.next_cursor.slice(0, -3)}${page.next_cursor.endsWith('abc') ? 'xyz' : 'abc'}`;
    await problemOf(
      t,
      await call(server, 'GET', `/products?category=${cat}&limit=1&cursor=${altered}`, { token: user }),
      400,
      'invalid_cursor',
    );
    await problemOf(
      t,
      await call(server, 'GET', `/products?cursor=%%%not-base64`, { token: user }),
      400,
      'invalid_cursor',
    );
  });

  test(`the list query is strict: one 422 entry per bad or unknown parameter ${tag}`, async (t) => {
    const server = serverFor(db);
    const { user } = await tokens(server);
    const cases: [string, string[]][] = [
      ['limit=0', ['limit']],
      ['limit=101', ['limit']],
      ['limit=abc', ['limit']],
      ['limit=2.5', ['limit']],
      ['min_price=abc&max_price=', ['max_price', 'min_price']],
      ['min_price=10&max_price=5', ['min_price']],
      ['min_rating=6', ['min_rating']],
      ['sort_by=color&sort_order=up', ['sort_by', 'sort_order']],
      ['color=red&size=xl', ['color', 'size']],
      ['limit=5&limit=6', ['limit']],
      ['include_deleted=maybe', ['include_deleted']],
    ];
    for (const [query, fields] of cases) {
      const body = await problemOf(
        t,
        await call(server, 'GET', `/products?${query}`, { token: user }),
        422,
        'validation_failed',
      );
      t.deepEqual((body.errors as { path: string }[]).map((e) => e.path).sort(), fields, query);
    }
  });

  test(`the dashboard summarises live products for any signed-in user ${tag}`, async (t) => {
    const server = serverFor(db);
    const { user } = await tokens(server);
    await create(server, { name: 'Summed', category: category(), price: 2, rating: 4 });
    const response = await call(server, 'GET', '/dashboard/summary', { token: user });
    t.is(response.status, 200);
    const summary = (await response.json()) as Record<string, unknown>;
    t.deepEqual(Object.keys(summary).sort(), [
      'average_rating',
      'categories',
      'highest_priced_product',
      'recent_products',
      'total_products',
    ]);
    t.true((summary.total_products as number) >= 1);
    t.true((summary.recent_products as unknown[]).length <= 5);
  });
}
