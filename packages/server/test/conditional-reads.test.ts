import { randomUUID } from 'node:crypto';
import test from 'ava';
import { call, serversFor, signedIn, testDatabases, type TestServer } from './helpers.js';

const serverFor = serversFor(test, { cacheControl: 'private, max-age=0, must-revalidate' });

const admins = new Map<string, Promise<string>>();
function adminToken(server: TestServer): Promise<string> {
  let token = admins.get(server.db);
  if (!token) admins.set(server.db, (token = signedIn(server, 'admin').then((s) => s.access_token)));
  return token;
}

async function created(server: TestServer, category: string): Promise<{ id: string; version: number }> {
  const response = await call(server, 'POST', '/products', {
    token: await adminToken(server),
    json: { name: 'Tag me', category, price: 2 },
  });
  return (await response.json()) as { id: string; version: number };
}

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`GET /products/{id}: strong ETag of id and version, 304 on If-None-Match, new tag after a change ${tag}`, async (t) => {
    const server = serverFor(db);
    const token = await adminToken(server);
    const product = await created(server, `etag-${randomUUID().slice(0, 8)}`);
    const first = await call(server, 'GET', `/products/${product.id}`, { token });
    const etag = first.headers.get('etag');
    t.is(etag, `"${product.id}.1"`);
    t.is(first.headers.get('cache-control'), 'private, max-age=0, must-revalidate');
    t.regex(first.headers.get('vary') ?? '', /Authorization/);

    for (const header of [etag!, `W/${etag!}`, `"other", ${etag!}`, '*']) {
      const again = await call(server, 'GET', `/products/${product.id}`, {
        token,
        headers: { 'if-none-match': header },
      });
      t.is(again.status, 304, header);
      t.is(await again.text(), '');
      t.is(again.headers.get('etag'), etag);
      t.is(again.headers.get('cache-control'), 'private, max-age=0, must-revalidate');
    }
    const stale = await call(server, 'GET', `/products/${product.id}`, {
      token,
      headers: { 'if-none-match': `"${product.id}.7"` },
    });
    t.is(stale.status, 200);

    const patched = await call(server, 'PATCH', `/products/${product.id}`, { token, json: { price: 3 } });
    t.is(patched.headers.get('etag'), `"${product.id}.2"`);
    const after = await call(server, 'GET', `/products/${product.id}`, { token, headers: { 'if-none-match': etag! } });
    t.is(after.status, 200);
    t.is(after.headers.get('etag'), `"${product.id}.2"`);
    t.like(await after.json(), { price: 3, version: 2 });
  });

  test(`GET /products: ETag over the exact body, 304 while the page is unchanged ${tag}`, async (t) => {
    const server = serverFor(db);
    const token = await adminToken(server);
    const category = `page-${randomUUID().slice(0, 8)}`;
    await created(server, category);
    const path = `/products?category=${category}&include_total=true`;
    const first = await call(server, 'GET', path, { token });
    const etag = first.headers.get('etag');
    t.regex(etag ?? '', /^"[A-Za-z0-9_-]{27}"$/);
    t.is(first.headers.get('content-type'), 'application/json; charset=utf-8');
    t.like(await first.json(), { total: 1 });
    const same = await call(server, 'GET', path, { token });
    t.is(same.headers.get('etag'), etag, 'the same bytes give the same tag');
    const notModified = await call(server, 'GET', path, { token, headers: { 'if-none-match': etag! } });
    t.is(notModified.status, 304);
    t.is(await notModified.text(), '');
    t.is(notModified.headers.get('etag'), etag);

    await created(server, category);
    const changed = await call(server, 'GET', path, { token, headers: { 'if-none-match': etag! } });
    t.is(changed.status, 200);
    t.not(changed.headers.get('etag'), etag);
    t.like(await changed.json(), { total: 2 });
  });

  // Serial: the other tests add products, which changes the summary between two reads.
  test.serial(`GET /dashboard/summary: ETag over the body and 304 ${tag}`, async (t) => {
    const server = serverFor(db);
    const token = await adminToken(server);
    const first = await call(server, 'GET', '/dashboard/summary', { token });
    const etag = first.headers.get('etag');
    t.truthy(etag);
    t.is(first.headers.get('cache-control'), 'private, max-age=0, must-revalidate');
    const notModified = await call(server, 'GET', '/dashboard/summary', {
      token,
      headers: { 'if-none-match': `W/${etag!}` },
    });
    t.is(notModified.status, 304);
    await created(server, `dash-${randomUUID().slice(0, 8)}`);
    const changed = await call(server, 'GET', '/dashboard/summary', { token, headers: { 'if-none-match': etag! } });
    t.is(changed.status, 200);
    t.not(changed.headers.get('etag'), etag);
  });
}

test('Cache-Control defaults to private, no-cache and reads CATALOG_CACHE_CONTROL', async (t) => {
  const { startTestServer } = await import('./helpers.js');
  const [db] = testDatabases();
  const fallback = await startTestServer(db!);
  const configured = await startTestServer(db!, { env: { CATALOG_CACHE_CONTROL: 'no-store' } });
  try {
    for (const [server, expected] of [
      [fallback, 'private, no-cache'],
      [configured, 'no-store'],
    ] as const) {
      const token = (await signedIn(server)).access_token;
      t.is((await call(server, 'GET', '/products', { token })).headers.get('cache-control'), expected);
    }
  } finally {
    await fallback.close();
    await configured.close();
  }
});
