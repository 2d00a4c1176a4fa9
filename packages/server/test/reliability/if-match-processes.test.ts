import test from 'ava';
import { testDatabases } from '../helpers.js';
import { prepareDatabase, spawnServer } from './support/processes.js';

const WRITERS = 6;

for (const db of testDatabases()) {
  // Serial: each test starts two server processes; four at once crowd a 2-core machine.
  test.serial(
    `two server processes on one database: concurrent PATCHes with one If-Match, exactly one wins [${db.name}]`,
    async (t) => {
      const prepared = await prepareDatabase(db);
      const [a, b] = await Promise.all([spawnServer(prepared.url), spawnServer(prepared.url)]);
      const auth = { authorization: `Bearer ${prepared.admin.access_token}` };
      try {
        for (let round = 0; round < 3; round++) {
          const created = await fetch(`${a!.url}/products`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'Shared', category: 'processes', price: 1 }),
          });
          const { id } = (await created.json()) as { id: string };
          const etag = created.headers.get('etag')!;
          const responses = await Promise.all(
            Array.from({ length: WRITERS }, (_, i) =>
              fetch(`${(i % 2 === 0 ? a : b)!.url}/products/${id}`, {
                method: 'PATCH',
                headers: { ...auth, 'content-type': 'application/json', 'if-match': etag },
                body: JSON.stringify({ price: 100 + i }),
              }),
            ),
          );
          t.deepEqual(responses.map((r) => r.status).sort(), [200, ...Array<number>(WRITERS - 1).fill(412)]);
          const winner = (await responses.find((r) => r.status === 200)!.json()) as { price: number };
          const stored = await fetch(`${b!.url}/products/${id}`, { headers: auth });
          t.is(stored.headers.get('etag'), `"${id}.2"`);
          t.like(await stored.json(), { version: 2, price: winner.price });
        }
      } finally {
        await Promise.all([a!.stop(), b!.stop()]);
        await prepared.drop();
      }
    },
  );
}
