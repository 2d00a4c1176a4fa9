import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { createClient } from '../src/index.js';
import { brokenServer, closedPortUrl } from './support/broken-server.js';
import { recordingFetch, rejectsWith, signedInClient, startServer, useServer } from './support/server.js';

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`an already-aborted signal rejects with code aborted and sends nothing [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const { client } = await signedInClient(live(), 'user', { fetch: recorder.fetch });
    recorder.calls.length = 0;
    const controller = new AbortController();
    controller.abort();
    const error = await rejectsWith(t, client.products.list({}, { signal: controller.signal }), 0, 'aborted');
    t.true(error?.isAbort);
    t.false(error?.isTimeout);
    t.false(error?.isNetwork);
    t.deepEqual(recorder.calls, []);
  });

  test(`aborting stops iterate() between pages [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'user');
    const inputs = Array.from({ length: 5 }, (_, i) => ({ name: `Abort ${i}`, category: 'sdk-abort', price: i }));
    await live().catalog.products.createMany(inputs, { actor: SYSTEM_ACTOR });
    const controller = new AbortController();
    const seen: string[] = [];
    const walk = async () => {
      for await (const product of client.products.iterate(
        { category: 'sdk-abort', limit: 2 },
        { signal: controller.signal },
      )) {
        seen.push(product.name);
        controller.abort();
      }
    };
    await rejectsWith(t, walk(), 0, 'aborted');
    t.is(seen.length, 2, 'the first page was delivered, the second never requested');
  });

  test(`a rate-limited call is 429 rate_limited with retryAfter from Retry-After [${db.name}]`, async (t) => {
    const strict = await startServer(db, {}, { authPerIpLimit: 1 });
    t.teardown(strict.close);
    const client = createClient({ baseUrl: strict.url });
    await rejectsWith(
      t,
      client.auth.login({ email: 'nobody@example.com', password: 'whatever1' }),
      401,
      'unauthorized',
    );
    const error = await rejectsWith(
      t,
      client.auth.login({ email: 'nobody@example.com', password: 'whatever1' }),
      429,
      'rate_limited',
    );
    t.true((error?.retryAfter ?? 0) > 0);
    t.truthy(error?.requestId);
  });
}

test('aborting a request in flight rejects with code aborted', async (t) => {
  const hanging = await brokenServer(() => undefined);
  t.teardown(hanging.close);
  const controller = new AbortController();
  const client = createClient({ baseUrl: hanging.url });
  const call = client.auth.me({ signal: controller.signal });
  while (hanging.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  const error = await rejectsWith(t, call, 0, 'aborted');
  t.true(error?.isAbort);
  t.deepEqual(hanging.received, ['GET /auth/me']);
});

test('a call past its timeout rejects with code timeout', async (t) => {
  const hanging = await brokenServer(() => undefined);
  t.teardown(hanging.close);
  const client = createClient({ baseUrl: hanging.url, timeoutMs: 60_000 });
  const error = await rejectsWith(t, client.products.list({}, { timeoutMs: 50 }), 0, 'timeout');
  t.true(error?.isAbort);
  t.true(error?.isTimeout);
  t.regex(error?.detail ?? '', /timed out after 50 ms/);
});

test('the client-wide timeout applies when a call sets none', async (t) => {
  const hanging = await brokenServer(() => undefined);
  t.teardown(hanging.close);
  const client = createClient({ baseUrl: hanging.url, timeoutMs: 50 });
  await rejectsWith(t, client.dashboard.summary(), 0, 'timeout');
});

test('an unreachable server rejects with code network_error', async (t) => {
  const client = createClient({ baseUrl: await closedPortUrl() });
  const error = await rejectsWith(
    t,
    client.auth.login({ email: 'a@example.com', password: 'whatever1' }),
    0,
    'network_error',
  );
  t.true(error?.isNetwork);
  t.false(error?.isAbort);
  t.truthy(error?.cause);
});

test('a non-JSON error page is mapped from its status; a non-JSON success is invalid_response', async (t) => {
  const proxy = await brokenServer((req, res) => {
    const ok = req.url === '/auth/me';
    res.writeHead(ok ? 200 : 502, { 'content-type': 'text/html', 'x-request-id': 'edge-1' });
    res.end('<html>Bad gateway</html>');
  });
  t.teardown(proxy.close);
  const client = createClient({ baseUrl: proxy.url });
  const gateway = await rejectsWith(t, client.products.get('x'), 502, 'internal');
  t.is(gateway?.requestId, 'edge-1');
  await rejectsWith(t, client.auth.me(), 200, 'invalid_response');
});
