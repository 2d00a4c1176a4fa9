import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { createClient, type FetchLike } from '../src/index.js';
import { brokenServer } from './support/broken-server.js';
import { PASSWORD, rejectsWith, startServer, uniqueEmail, useServer, type LiveServer } from './support/server.js';

/* The SDK's Idempotency-Key and retries, against the real server (and a TCP proxy that loses a response). */

/** Records the method, path and Idempotency-Key of every request; responses are untouched. */
function keyRecorder(): { fetch: FetchLike; sent: { call: string; key: string | null }[] } {
  const sent: { call: string; key: string | null }[] = [];
  const fetch: FetchLike = (input, init) => {
    const key = new Headers(init.headers).get('idempotency-key');
    sent.push({ call: `${init.method ?? 'GET'} ${new URL(input).pathname}`, key });
    return globalThis.fetch(input, init);
  };
  return { fetch, sent };
}

/**
 * A TCP proxy to `target`. While `cutNextResponse` is set, the next response the server sends
 * is dropped and the client's connection closed: the server did the work, the client never hears.
 */
async function lossyProxy(t: ExecutionContext, target: string) {
  const { port } = new URL(target);
  const state = { cutNextResponse: false, cut: 0 };
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (state.cutNextResponse) {
        state.cutNextResponse = false;
        state.cut += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

async function adminClient(live: LiveServer, baseUrl: string, fetch: FetchLike) {
  const email = uniqueEmail('admin');
  await live.catalog.users.create({ email, password: PASSWORD, role: 'admin' }, { actor: SYSTEM_ACTOR });
  const client = createClient({ baseUrl, fetch });
  await client.auth.login({ email, password: PASSWORD });
  return client;
}

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`a create whose response is lost is retried with the same key and replayed: one product [${db.name}]`, async (t) => {
    const proxy = await lossyProxy(t, live().url);
    const { fetch, sent } = keyRecorder();
    const client = await adminClient(live(), proxy.url, fetch);
    const category = `lost-${Date.now().toString(36)}`;
    proxy.state.cutNextResponse = true;
    const created = await client.products.create({ name: 'Tea', category, price: 3.5 });
    t.is(proxy.state.cut, 1, 'the first response never reached the client');
    const posts = sent.filter((s) => s.call === 'POST /products');
    t.is(posts.length, 2);
    t.truthy(posts[0]!.key);
    t.is(posts[1]!.key, posts[0]!.key);
    const stored = await live().catalog.products.list({ category }, { actor: SYSTEM_ACTOR });
    t.is(stored.data.length, 1, 'exactly one product exists');
    t.deepEqual(stored.data[0], created);
  });

  test(`every write carries a fresh key; sign-in and token refresh carry none [${db.name}]`, async (t) => {
    const { fetch, sent } = keyRecorder();
    const client = await adminClient(live(), live().url, fetch);
    const a = await client.products.create({ name: 'A', category: 'keys', price: 1 });
    await client.products.patch(a.id, { price: 2 });
    await client.products.delete(a.id);
    await client.auth.refresh();
    await client.products.list({ category: 'keys' });
    const keyOf = (call: string) => sent.filter((s) => s.call === call).map((s) => s.key);
    t.deepEqual(keyOf('POST /auth/login'), [null]);
    t.deepEqual(keyOf('POST /auth/refresh'), [null]);
    t.deepEqual(keyOf('GET /products'), [null]);
    const writes = ['POST /products', `PATCH /products/${a.id}`, `DELETE /products/${a.id}`].map((c) => keyOf(c)[0]);
    for (const key of writes) t.regex(String(key), /^[0-9a-f-]{36}$/);
    t.is(new Set(writes).size, 3);
  });

  test(`a call that meets 409 idempotency_key_in_flight waits and gets the replay [${db.name}]`, async (t) => {
    // bcrypt at cost 13 keeps the first registration running while the second arrives.
    const slow = await startServer(db, { bcryptCost: 13 });
    t.teardown(slow.close);
    const { fetch, sent } = keyRecorder();
    // Retry-After is 1 s: enough retries to outlast the first registration on a busy machine.
    const client = createClient({ baseUrl: slow.url, fetch, retries: 8 });
    const input = { email: uniqueEmail('slow'), password: PASSWORD };
    const options = { idempotencyKey: `register-${input.email}` };
    const first = client.auth.register(input, options);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [one, two] = await Promise.all([first, client.auth.register(input, options)]);
    t.deepEqual(one, two);
    t.true(sent.filter((s) => s.call === 'POST /auth/register').length >= 3, 'the refused one was sent again');
  });
}

test('a 503 with Retry-After is retried after it, with the same key; retries: 0 gives up at once', async (t) => {
  const keys: string[] = [];
  let failures = 2;
  const flaky = await brokenServer((req, res) => {
    keys.push(String(req.headers['idempotency-key']));
    if (failures-- > 0) {
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' });
      res.end(JSON.stringify({ status: 503, code: 'service_unavailable', detail: 'busy' }));
      return;
    }
    res.writeHead(204).end();
  });
  t.teardown(flaky.close);
  const started = Date.now();
  const client = createClient({ baseUrl: flaky.url });
  client.setTokens({ access_token: 'a', refresh_token: 'r', expires_at: Date.now() + 60_000 });
  await client.auth.logout();
  t.is(keys.length, 3);
  t.is(new Set(keys).size, 1, 'one key for every attempt');
  t.true(Date.now() - started >= 2000, 'Retry-After: 1 was waited for, twice');

  failures = 1;
  const once = createClient({ baseUrl: flaky.url, retries: 0 });
  once.setTokens({ access_token: 'a', refresh_token: 'r', expires_at: Date.now() + 60_000 });
  await rejectsWith(t, once.auth.logout(), 503, 'service_unavailable');
  t.is(keys.length, 4);
});
