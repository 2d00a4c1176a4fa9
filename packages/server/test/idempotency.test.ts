import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestCatalog } from '@catalog/core/testing';
import test, { type ExecutionContext } from 'ava';
import { createServer, type ServerOptions } from '../src/index.js';
import {
  call,
  callFrom,
  PASSWORD,
  problemOf,
  serversFor,
  signedIn,
  testDatabases,
  type CallOptions,
  type TestServer,
} from './helpers.js';

/* Idempotency-Key over real HTTP (http/idempotency.ts over core's idempotency store). */

const serverFor = serversFor(test);

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
const keyed = (key: string, options: CallOptions = {}): CallOptions => ({
  ...options,
  headers: { ...options.headers, 'Idempotency-Key': key },
});
const product = (name = 'Tea') => ({ name, category: `cat-${randomUUID().slice(0, 8)}`, price: 3.5 });

async function countIn(server: TestServer, token: string, category: string): Promise<number> {
  const response = await call(server, 'GET', `/products?category=${category}`, { token });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

/** A server on its own catalog (options of its own), closed when the test ends. */
async function ownServer(
  t: ExecutionContext,
  db: Parameters<typeof createTestCatalog>[0],
  options = {},
  settings: ServerOptions = {},
) {
  const catalog = await createTestCatalog(db, options);
  const quiet: ServerOptions = { logger: false, authPerIpLimit: 0, loginFailureLimit: 0, env: {}, ...settings };
  const running = await createServer(catalog, quiet).listen(0, '127.0.0.1');
  t.teardown(async () => {
    await running.close();
    await catalog.destroy();
  });
  return { db: db.name, url: running.url, catalog, running, close: async () => undefined } as TestServer;
}

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`a retried POST gets the first response again, byte for byte, with Idempotent-Replayed; one product exists ${tag}`, async (t) => {
    const server = serverFor(db);
    const admin = (await signedIn(server, 'admin')).access_token;
    const key = randomUUID();
    const input = product();
    const first = await call(server, 'POST', '/products', keyed(key, { token: admin, json: input }));
    t.is(first.status, 201);
    t.is(first.headers.get('idempotent-replayed'), null);
    const firstBytes = await bytesOf(first);
    const again = await call(server, 'POST', '/products', keyed(key, { token: admin, json: input }));
    t.is(again.status, 201);
    t.is(again.headers.get('idempotent-replayed'), 'true');
    t.is(again.headers.get('location'), first.headers.get('location'));
    t.is(again.headers.get('content-type'), first.headers.get('content-type'));
    t.true((await bytesOf(again)).equals(firstBytes));
    t.is(await countIn(server, admin, input.category), 1);
  });

  test(`PATCH, DELETE and restore replay too; an error response is replayed as it was (its request id included) ${tag}`, async (t) => {
    const server = serverFor(db);
    const admin = (await signedIn(server, 'admin')).access_token;
    const created = (await (await call(server, 'POST', '/products', { token: admin, json: product() })).json()) as {
      id: string;
    };
    const path = `/products/${created.id}`;
    const patch = keyed(randomUUID(), { token: admin, json: { price: 9 } });
    const patched = await bytesOf(await call(server, 'PATCH', path, patch));
    const patchedAgain = await call(server, 'PATCH', path, patch);
    t.is(patchedAgain.headers.get('idempotent-replayed'), 'true');
    t.true((await bytesOf(patchedAgain)).equals(patched));

    const remove = keyed(randomUUID(), { token: admin });
    t.is((await call(server, 'DELETE', path, remove)).status, 204);
    const removedAgain = await call(server, 'DELETE', path, remove);
    t.is(removedAgain.status, 204, 'not the 404 a second delete would get');
    t.is(removedAgain.headers.get('idempotent-replayed'), 'true');

    const invalid = keyed(randomUUID(), { token: admin, json: { name: '', category: 'x', price: -1 } });
    const refused = await call(server, 'POST', '/products', invalid);
    t.is(refused.status, 422);
    const refusedBytes = await bytesOf(refused);
    const refusedAgain = await call(server, 'POST', '/products', invalid);
    t.is(refusedAgain.status, 422);
    t.is(refusedAgain.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    t.is(refusedAgain.headers.get('idempotent-replayed'), 'true');
    t.true((await bytesOf(refusedAgain)).equals(refusedBytes));
  });

  test(`the same key with another body, path or method is 422 idempotency_key_reused ${tag}`, async (t) => {
    const server = serverFor(db);
    const admin = (await signedIn(server, 'admin')).access_token;
    const key = randomUUID();
    const created = (await (
      await call(server, 'POST', '/products', keyed(key, { token: admin, json: product('One') }))
    ).json()) as { id: string };
    for (const [method, path, json] of [
      ['POST', '/products', product('Two')],
      ['POST', `/products/${created.id}/restore`, undefined],
      ['PUT', '/products', product('One')],
    ] as const) {
      await problemOf(
        t,
        await call(server, method, path, keyed(key, { token: admin, json })),
        422,
        'idempotency_key_reused',
      );
    }
  });

  test(`a key must be 1–255 characters (a quoted one is read without its quotes) ${tag}`, async (t) => {
    const server = serverFor(db);
    const admin = (await signedIn(server, 'admin')).access_token;
    for (const key of ['', 'k'.repeat(256)]) {
      const response = await call(server, 'POST', '/products', keyed(key, { token: admin, json: product() }));
      const refused = await problemOf(t, response, 422, 'validation_failed');
      t.like(refused, { errors: [{ path: 'Idempotency-Key' }] });
    }
    const longest = randomUUID().padEnd(255, 'k');
    const input = product();
    t.is((await call(server, 'POST', '/products', keyed(longest, { token: admin, json: input }))).status, 201);
    const quoted = await call(server, 'POST', '/products', keyed(`"${longest}"`, { token: admin, json: input }));
    t.is(quoted.headers.get('idempotent-replayed'), 'true');
  });

  test(`keys are per principal: two users' same key are two keys; anonymous keys are per client IP ${tag}`, async (t) => {
    const server = serverFor(db);
    const [a, b] = [(await signedIn(server, 'admin')).access_token, (await signedIn(server, 'admin')).access_token];
    const key = randomUUID();
    const input = product();
    const fromA = await call(server, 'POST', '/products', keyed(key, { token: a, json: input }));
    const fromB = await call(server, 'POST', '/products', keyed(key, { token: b, json: input }));
    t.is(fromB.status, 201);
    t.is(fromB.headers.get('idempotent-replayed'), null);
    t.not(((await fromA.json()) as { id: string }).id, ((await fromB.json()) as { id: string }).id);
    t.is(await countIn(server, a, input.category), 2);

    const anonymousKey = randomUUID();
    const register = (from: string, email: string) =>
      callFrom(server, from, 'POST', '/auth/register', {
        json: { email, password: PASSWORD },
        headers: { 'Idempotency-Key': anonymousKey },
      });
    const email = `anon-${randomUUID().slice(0, 8)}@example.com`;
    t.is((await register('127.0.0.2', email)).status, 201);
    t.is((await register('127.0.0.2', email)).headers.get('idempotent-replayed'), 'true');
    const other = await register('127.0.0.3', `other-${email}`);
    t.is(other.status, 201, 'another IP with the same key is another key');
    t.is(other.headers.get('idempotent-replayed'), null);
  });

  test(`token responses (no-store) and 401s are not stored: a retry runs again ${tag}`, async (t) => {
    const server = serverFor(db);
    const user = await signedIn(server, 'user');
    const login = keyed(randomUUID(), { json: { email: user.email, password: PASSWORD } });
    const first = (await (await call(server, 'POST', '/auth/login', login)).json()) as { refresh_token: string };
    const second = await call(server, 'POST', '/auth/login', login);
    t.is(second.status, 200);
    t.is(second.headers.get('idempotent-replayed'), null);
    t.not(((await second.json()) as { refresh_token: string }).refresh_token, first.refresh_token);

    const anonymous = keyed(randomUUID(), { json: product() });
    t.is((await call(server, 'POST', '/products', anonymous)).status, 401);
    const admin = (await signedIn(server, 'admin')).access_token;
    const retried = await call(server, 'POST', '/products', { ...anonymous, token: admin });
    t.is(retried.status, 201, 'the key of the anonymous 401 was released');
  });

  test(`a retry while the first request runs is 409 idempotency_key_in_flight, then replays ${tag}`, async (t) => {
    // bcrypt at cost 13 keeps a registration busy for a good fraction of a second.
    const server = await ownServer(t, db, { bcryptCost: 13 });
    const request = keyed(randomUUID(), {
      json: { email: `slow-${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD },
    });
    const first = call(server, 'POST', '/auth/register', request);
    await sleep(100);
    const second = call(server, 'POST', '/auth/register', request);
    const responses = await Promise.all([first, second]);
    const statuses = responses.map((r) => r.status).sort();
    t.deepEqual(statuses, [201, 409]);
    const conflict = responses.find((r) => r.status === 409)!;
    t.is(conflict.headers.get('retry-after'), '1');
    await problemOf(t, conflict, 409, 'idempotency_key_in_flight');
    const created = await bytesOf(responses.find((r) => r.status === 201)!);
    const replayed = await call(server, 'POST', '/auth/register', request);
    t.is(replayed.headers.get('idempotent-replayed'), 'true');
    t.true((await bytesOf(replayed)).equals(created));
  });

  test(`an expired key runs anew (CATALOG_IDEMPOTENCY_TTL_HOURS), and the cleanup removes its row ${tag}`, async (t) => {
    const server = await ownServer(t, db, { idempotencyTtlHours: 0.0005 });
    const admin = (await signedIn(server, 'admin')).access_token;
    const request = keyed(randomUUID(), { token: admin, json: product() });
    const first = (await (await call(server, 'POST', '/products', request)).json()) as { id: string };
    await sleep(2000);
    const again = await call(server, 'POST', '/products', request);
    t.is(again.status, 201);
    t.is(again.headers.get('idempotent-replayed'), null);
    t.not(((await again.json()) as { id: string }).id, first.id);
    let left = Infinity;
    for (let waited = 0; waited < 15_000 && left > 0; waited += 250) {
      await sleep(250);
      left = await server.catalog.idempotency.count();
    }
    t.is(left, 0);
  });

  test(`browsers may send Idempotency-Key and read Idempotent-Replayed (CORS) ${tag}`, async (t) => {
    const server = await ownServer(t, db, {}, { corsOrigins: ['https://shop.example.com'] });
    const preflight = await call(server, 'OPTIONS', '/products', {
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    t.is(preflight.status, 204);
    t.true((preflight.headers.get('access-control-allow-headers') ?? '').includes('Idempotency-Key'));
    const admin = (await signedIn(server, 'admin')).access_token;
    const response = await call(
      server,
      'POST',
      '/products',
      keyed(randomUUID(), { token: admin, json: product(), headers: { origin: 'https://shop.example.com' } }),
    );
    t.true((response.headers.get('access-control-expose-headers') ?? '').includes('Idempotent-Replayed'));
  });
}
