import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { signedInClient, useServer } from './support/server.js';

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`products.list({ cursor: null }) and { cursor: '' } are the first page [${db.name}]`, async (t) => {
    await live().catalog.products.create(
      { name: 'Sdk first', category: 'sdk-first', price: 1 },
      { actor: SYSTEM_ACTOR },
    );
    const { client } = await signedInClient(live(), 'user');
    const first = await client.products.list({ category: 'sdk-first' });
    t.is(first.next_cursor, null);
    t.deepEqual(await client.products.list({ category: 'sdk-first', cursor: first.next_cursor }), first);
    t.deepEqual(await client.products.list({ category: 'sdk-first', cursor: '' }), first);
  });
}
