import { randomUUID } from 'node:crypto';
import test from 'ava';
import { call, problemOf, serversFor, signedIn, startTestServer, testDatabases, type TestServer } from './helpers.js';

const serverFor = serversFor(test);

const admins = new Map<string, Promise<string>>();
function adminToken(server: TestServer): Promise<string> {
  let token = admins.get(server.db);
  if (!token) admins.set(server.db, (token = signedIn(server, 'admin').then((s) => s.access_token)));
  return token;
}

async function created(server: TestServer): Promise<{ id: string; etag: string }> {
  const response = await call(server, 'POST', '/products', {
    token: await adminToken(server),
    json: { name: 'Contested', category: `c-${randomUUID().slice(0, 8)}`, price: 1 },
  });
  const { id } = (await response.json()) as { id: string };
  return { id, etag: response.headers.get('etag')! };
}

const writes = (id: string): [string, string, unknown?][] => [
  ['PUT', `/products/${id}`, { name: 'Replaced', category: 'x', price: 2 }],
  ['PATCH', `/products/${id}`, { price: 3 }],
  ['DELETE', `/products/${id}`],
  ['POST', `/products/${id}/restore`],
];

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`each write with the current ETag succeeds and answers with the next one ${tag}`, async (t) => {
    const server = serverFor(db);
    const token = await adminToken(server);
    const { id, etag } = await created(server);
    t.is(etag, `"${id}.1"`);
    let current = etag;
    for (const [method, path, json] of writes(id)) {
      const response = await call(server, method, path, { token, json, headers: { 'if-match': current } });
      t.true(response.ok, `${method} ${path}: ${response.status}`);
      const version = Number(/\.(\d+)"$/.exec(current)![1]) + 1;
      if (method !== 'DELETE') t.is(response.headers.get('etag'), `"${id}.${version}"`);
      current = `"${id}.${version}"`;
    }
  });

  test(`a stale If-Match is 412 and writes nothing, for every write ${tag}`, async (t) => {
    const server = serverFor(db);
    const token = await adminToken(server);
    const { id, etag } = await created(server);
    await call(server, 'PATCH', `/products/${id}`, { token, json: { price: 9 }, headers: { 'if-match': etag } });
    for (const [method, path, json] of writes(id)) {
      for (const stale of [etag, `W/"${id}.2"`, '"something-else"', `"${randomUUID()}.2"`]) {
        const response = await call(server, method, path, { token, json, headers: { 'if-match': stale } });
        await problemOf(t, response, 412, 'precondition_failed');
      }
    }
    const now = await call(server, 'GET', `/products/${id}`, { token });
    t.like(await now.json(), { version: 2, price: 9, deleted_at: null });
  });

  test(`If-Match: * only asks that the product exist; a list may hold the current tag ${tag}`, async (t) => {
    const server = serverFor(db);
    const token = await adminToken(server);
    const { id, etag } = await created(server);
    const star = await call(server, 'PATCH', `/products/${id}`, {
      token,
      json: { price: 4 },
      headers: { 'if-match': '*' },
    });
    t.is(star.status, 200);
    const list = await call(server, 'PATCH', `/products/${id}`, {
      token,
      json: { price: 5 },
      headers: { 'if-match': `"nope", "${id}.2"` },
    });
    t.is(list.status, 200);
    await problemOf(
      t,
      await call(server, 'PATCH', `/products/${id}`, {
        token,
        json: { price: 5 },
        headers: { 'if-match': `"${id}.1", "${id}.3"` },
      }),
      400,
      'bad_request',
    );
    const absent = `/products/${randomUUID()}`;
    await problemOf(
      t,
      await call(server, 'PATCH', absent, { token, json: { price: 1 }, headers: { 'if-match': '*' } }),
      404,
      'not_found',
    );
    await problemOf(
      t,
      await call(server, 'PATCH', absent, { token, json: { price: 1 }, headers: { 'if-match': etag } }),
      404,
      'not_found',
    );
  });

  test(`5 concurrent PATCHes with the same If-Match: exactly one 200, four 412 ${tag}`, async (t) => {
    const server = serverFor(db);
    const token = await adminToken(server);
    for (let round = 0; round < 3; round++) {
      const { id, etag } = await created(server);
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          call(server, 'PATCH', `/products/${id}`, { token, json: { price: 10 + i }, headers: { 'if-match': etag } }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      t.deepEqual(statuses, [200, 412, 412, 412, 412]);
      const winner = responses.find((r) => r.status === 200)!;
      const won = (await winner.json()) as { price: number };
      const stored = (await (await call(server, 'GET', `/products/${id}`, { token })).json()) as Record<
        string,
        unknown
      >;
      t.like(stored, { version: 2, price: won.price });
    }
  });

  test(`CATALOG_REQUIRE_IF_MATCH=true: a write without If-Match is 428, with one it passes ${tag}`, async (t) => {
    const strict = await startTestServer(db, { env: { CATALOG_REQUIRE_IF_MATCH: 'true' } });
    try {
      const token = (await signedIn(strict, 'admin')).access_token;
      const response = await call(strict, 'POST', '/products', { token, json: { name: 'N', category: 'c', price: 1 } });
      t.is(response.status, 201, 'creating needs no If-Match');
      const etag = response.headers.get('etag')!;
      const { id } = (await response.json()) as { id: string };
      for (const [method, path, json] of writes(id)) {
        await problemOf(t, await call(strict, method, path, { token, json }), 428, 'precondition_required');
      }
      t.like(await (await call(strict, 'GET', `/products/${id}`, { token })).json(), { version: 1 });
      const patched = await call(strict, 'PATCH', `/products/${id}`, {
        token,
        json: { price: 2 },
        headers: { 'if-match': etag },
      });
      t.is(patched.status, 200);
      const star = await call(strict, 'DELETE', `/products/${id}`, { token, headers: { 'if-match': '*' } });
      t.is(star.status, 204);
    } finally {
      await strict.close();
    }
  });
}
