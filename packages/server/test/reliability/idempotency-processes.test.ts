import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { testDatabases } from '../helpers.js';
import { PASSWORD, prepareDatabase, spawnServer, type ServerProcess } from './support/processes.js';

/* Idempotency-Key across two server processes on one database: the keys live in the database. */

function post(server: ServerProcess, path: string, key: string, json: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': key };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(json) });
}
const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

for (const db of testDatabases()) {
  // Serial: each test starts two server processes; four at once crowd a 2-core machine.
  test.serial(
    `a key used on one process is replayed by the other, and is in flight there while the first runs [${db.name}]`,
    async (t) => {
      const prepared = await prepareDatabase(db);
      // bcrypt at cost 13 keeps a registration busy long enough to send the retry meanwhile.
      const env = { CATALOG_BCRYPT_COST: '13' };
      const [a, b] = await Promise.all([spawnServer(prepared.url, env), spawnServer(prepared.url, env)]);
      try {
        const token = prepared.admin.access_token;
        const category = `cat-${randomUUID().slice(0, 8)}`;
        const input = { name: 'Tea', category, price: 3.5 };
        const key = randomUUID();
        const first = await post(a!, '/products', key, input, token);
        t.is(first.status, 201);
        const retried = await post(b!, '/products', key, input, token);
        t.is(retried.status, 201);
        t.is(retried.headers.get('idempotent-replayed'), 'true');
        t.is(retried.headers.get('location'), first.headers.get('location'));
        t.true((await bytesOf(retried)).equals(await bytesOf(first)));
        const listed = await fetch(`${b!.url}/products?category=${category}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        t.is(((await listed.json()) as { data: unknown[] }).data.length, 1, 'exactly one product');

        const registration = { email: `slow-${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD };
        const slowKey = randomUUID();
        const onA = post(a!, '/auth/register', slowKey, registration);
        await sleep(100);
        const onB = post(b!, '/auth/register', slowKey, registration);
        const statuses = (await Promise.all([onA, onB])).map((r) => r.status).sort();
        t.deepEqual(statuses, [201, 409]);
      } finally {
        await Promise.all([a!.stop(), b!.stop()]);
        await prepared.drop();
      }
    },
  );
}
