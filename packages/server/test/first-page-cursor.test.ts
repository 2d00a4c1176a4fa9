import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { call, serversFor, signedIn, testDatabases } from './helpers.js';

const serverFor = serversFor(test);

for (const db of testDatabases()) {
  test(`GET /products?cursor= (empty) is the first page [${db.name}]`, async (t) => {
    const server = serverFor(db);
    await server.catalog.products.create(
      { name: 'Empty cursor', category: 'empty-cursor', price: 1 },
      { actor: SYSTEM_ACTOR },
    );
    const { access_token: token } = await signedIn(server, 'user');
    const first = await call(server, 'GET', '/products?category=empty-cursor', { token });
    const empty = await call(server, 'GET', '/products?category=empty-cursor&cursor=', { token });
    t.is(empty.status, 200, await empty.clone().text());
    t.deepEqual(await empty.json(), await first.json());
  });
}
