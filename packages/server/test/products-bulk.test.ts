import { randomUUID } from 'node:crypto';
import test from 'ava';
import { call, problemOf, serversFor, signedIn, testDatabases, type TestServer } from './helpers.js';

const serverFor = serversFor(test);

const tokens = new Map<string, Promise<{ admin: string; user: string }>>();
function tokensOf(server: TestServer) {
  let found = tokens.get(server.db);
  if (!found) {
    found = Promise.all([signedIn(server, 'admin'), signedIn(server, 'user')]).then(([a, u]) => ({
      admin: a.access_token,
      user: u.access_token,
    }));
    tokens.set(server.db, found);
  }
  return found;
}

async function totalIn(server: TestServer, category: string): Promise<number> {
  const { admin } = await tokensOf(server);
  const page = await call(server, 'GET', `/products?category=${category}&include_total=true`, { token: admin });
  return ((await page.json()) as { total: number }).total;
}

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`POST /products/bulk creates 1,000 products at once: 201 {data} in input order ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokensOf(server);
    const category = `bulk-${randomUUID().slice(0, 8)}`;
    const inputs = Array.from({ length: 1000 }, (_, i) => ({
      name: `${'Long name '.repeat(19)}${i}`,
      category,
      price: i,
      sku: `${category}-${i}`,
    }));
    const response = await call(server, 'POST', '/products/bulk', { token: admin, json: inputs });
    t.is(response.status, 201);
    const { data } = (await response.json()) as { data: { name: string; sku: string; version: number }[] };
    t.is(data.length, 1000);
    t.deepEqual(
      data.map((p) => p.sku),
      inputs.map((i) => i.sku),
    );
    t.true(data.every((p) => p.version === 1));
    t.is(await totalIn(server, category), 1000);
  });

  test(`a bulk body lists every bad item as [i].field and writes nothing ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokensOf(server);
    const category = `bulk-${randomUUID().slice(0, 8)}`;
    const response = await call(server, 'POST', '/products/bulk', {
      token: admin,
      json: [
        { name: 'ok', category, price: 1 },
        { name: 'bad price', category, price: 'free' },
        { name: 'ok too', category, price: 2 },
        { category, price: 3, colour: 'red' },
      ],
    });
    const problem = await problemOf(t, response, 422, 'validation_failed');
    t.deepEqual(
      (problem.errors as { path: string }[]).map((e) => e.path),
      ['[1].price', '[3].name', '[3].colour'],
    );
    t.is(await totalIn(server, category), 0);
  });

  test(`more than 1,000 items, an empty array or a non-array is 422 ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokensOf(server);
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `n${i}`, category: 'c', price: 1 }));
    for (const json of [many, [], { name: 'n', category: 'c', price: 1 }]) {
      const problem = await problemOf(
        t,
        await call(server, 'POST', '/products/bulk', { token: admin, json }),
        422,
        'validation_failed',
      );
      t.is((problem.errors as { path: string }[])[0]?.path, '');
    }
  });

  test(`a bulk body over 2 MB is 413; a duplicate SKU is 409 and nothing is written ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokensOf(server);
    const huge = await call(server, 'POST', '/products/bulk', {
      token: admin,
      body: JSON.stringify([{ name: 'x'.repeat(2.1 * 1024 * 1024), category: 'c', price: 1 }]),
      headers: { 'content-type': 'application/json' },
    });
    const problem = await problemOf(t, huge, 413, 'payload_too_large');
    t.regex(problem.detail as string, /2048 kB/);
    const category = `dup-${randomUUID().slice(0, 8)}`;
    const duplicate = await call(server, 'POST', '/products/bulk', {
      token: admin,
      json: [
        { name: 'a', category, price: 1, sku: `${category}-1` },
        { name: 'b', category, price: 1, sku: `${category}-1` },
      ],
    });
    await problemOf(t, duplicate, 409, 'conflict');
    t.is(await totalIn(server, category), 0);
  });

  test(`bulk create needs an admin ${tag}`, async (t) => {
    const server = serverFor(db);
    const { user } = await tokensOf(server);
    const json = [{ name: 'n', category: 'c', price: 1 }];
    await problemOf(t, await call(server, 'POST', '/products/bulk', { json }), 401, 'unauthorized');
    await problemOf(t, await call(server, 'POST', '/products/bulk', { token: user, json }), 403, 'forbidden');
  });

  test(`include_total over HTTP equals the number of rows walked page by page ${tag}`, async (t) => {
    const server = serverFor(db);
    const { admin } = await tokensOf(server);
    const category = `tot-${randomUUID().slice(0, 8)}`;
    const inputs = Array.from({ length: 45 }, (_, i) => ({
      name: `Total ${i}`,
      category,
      price: i % 10,
      rating: i % 6,
    }));
    const { data } = (await (await call(server, 'POST', '/products/bulk', { token: admin, json: inputs })).json()) as {
      data: { id: string }[];
    };
    for (const { id } of data.slice(0, 5)) await call(server, 'DELETE', `/products/${id}`, { token: admin });
    for (const filter of [
      `category=${category}`,
      `category=${category}&min_price=3`,
      `search=total&category=${category}&min_rating=2`,
      `category=${category}&include_deleted=true`,
    ]) {
      let walked = 0;
      let cursor = '';
      let total: number | undefined;
      do {
        const page = (await (
          await call(
            server,
            'GET',
            `/products?${filter}&limit=10&include_total=true${cursor ? `&cursor=${cursor}` : ''}`,
            { token: admin },
          )
        ).json()) as { data: unknown[]; next_cursor: string | null; total: number };
        walked += page.data.length;
        total ??= page.total;
        cursor = page.next_cursor ?? '';
      } while (cursor);
      t.is(total, walked, filter);
    }
    const plain = (await (
      await call(server, 'GET', `/products?category=${category}`, { token: admin })
    ).json()) as object;
    t.false('total' in plain);
    const bad = await call(server, 'GET', '/products?include_total=maybe', { token: admin });
    const problem = await problemOf(t, bad, 422, 'validation_failed');
    t.is((problem.errors as { path: string }[])[0]?.path, 'include_total');
  });
}
