import test from 'ava';
import { call, problemOf, serversFor, signedIn, testDatabases } from './helpers.js';

const serverFor = serversFor(test, { publicRead: true });

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`public read opens GET /products and GET /products/{id} to anonymous clients ${tag}`, async (t) => {
    const server = serverFor(db);
    const { access_token } = await signedIn(server, 'admin');
    const created = await call(server, 'POST', '/products', {
      token: access_token,
      json: { name: 'Open', category: 'public', price: 1 },
    });
    const product = (await created.json()) as { id: string };
    const list = await call(server, 'GET', '/products?category=public');
    t.is(list.status, 200);
    t.deepEqual(
      ((await list.json()) as { data: { id: string }[] }).data.map((p) => p.id),
      [product.id],
    );
    const one = await call(server, 'GET', `/products/${product.id}`);
    t.is(one.status, 200);
    t.false('deleted_at' in ((await one.json()) as object));
  });

  test(`public read opens nothing else ${tag}`, async (t) => {
    const server = serverFor(db);
    await problemOf(t, await call(server, 'GET', '/dashboard/summary'), 401, 'unauthorized');
    await problemOf(t, await call(server, 'GET', '/auth/me'), 401, 'unauthorized');
    await problemOf(
      t,
      await call(server, 'POST', '/products', { json: { name: 'X', category: 'y', price: 1 } }),
      401,
      'unauthorized',
    );
    // Anonymous callers are not admins: deleted rows stay hidden (core asks them to sign in).
    await problemOf(t, await call(server, 'GET', '/products?include_deleted=true'), 401, 'unauthorized');
  });

  test(`a bad token is still refused on public routes ${tag}`, async (t) => {
    const response = await call(serverFor(db), 'GET', '/products', { token: 'not.a.token' });
    t.is(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    await problemOf(t, response, 401, 'unauthorized');
  });
}
