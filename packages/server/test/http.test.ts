import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { createTestCatalog } from '@catalog/core/testing';
import test from 'ava';
import { createServer } from '../src/index.js';
import { call, problemOf, serversFor, signedIn, testDatabases } from './helpers.js';

const serverFor = serversFor(test, { corsOrigins: ['https://shop.example.com'] });

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`every response carries a request id: echoed when sane, generated otherwise ${tag}`, async (t) => {
    const server = serverFor(db);
    const echoed = await call(server, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-42.abc' } });
    t.is(echoed.headers.get('x-request-id'), 'trace-42.abc');
    const generated = await call(server, 'GET', '/healthz');
    t.regex(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const hostile = await call(server, 'GET', '/nowhere', {
      headers: { 'x-request-id': `${'x'.repeat(200)}<script>` },
    });
    t.regex(hostile.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const body = await problemOf(t, hostile, 404, 'not_found');
    t.is(body.request_id, hostile.headers.get('x-request-id'));
  });

  test(`unknown routes are a 404 problem; a known path with another method is 405 with Allow ${tag}`, async (t) => {
    const server = serverFor(db);
    await problemOf(t, await call(server, 'GET', '/nope'), 404, 'not_found');
    await problemOf(t, await call(server, 'GET', '/docs/../../package.json'), 404, 'not_found');
    await problemOf(t, await call(server, 'GET', '/docs/not-an-asset.js'), 404, 'not_found');
    const wrong = await call(server, 'DELETE', '/auth/me');
    t.is(wrong.headers.get('allow'), 'HEAD, GET');
    await problemOf(t, wrong, 405, 'bad_request');
    const unknownMethod = await call(server, 'PROPFIND', '/products');
    await problemOf(t, unknownMethod, 405, 'bad_request');
  });

  test(`malformed JSON is 400, a non-JSON body 415 and a body over 100 kB 413 ${tag}`, async (t) => {
    const server = serverFor(db);
    const headers = { 'content-type': 'application/json' };
    await problemOf(
      t,
      await call(server, 'POST', '/auth/register', { body: '{"email":', headers }),
      400,
      'bad_request',
    );
    await problemOf(
      t,
      await call(server, 'POST', '/auth/register', { body: '"just a string"', headers }),
      400,
      'bad_request',
    );
    await problemOf(
      t,
      await call(server, 'POST', '/auth/register', { body: '{"__proto__":{"admin":true}}', headers }),
      400,
      'bad_request',
    );
    await problemOf(
      t,
      await call(server, 'POST', '/auth/register', { body: 'email=a', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
    await problemOf(
      t,
      await call(server, 'POST', '/auth/register', {
        body: 'email=a&password=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    );
    await problemOf(
      t,
      await call(server, 'POST', '/auth/register', {
        body: 'x',
        headers: { 'content-type': 'application/json', 'content-encoding': 'br2' },
      }),
      415,
      'unsupported_media_type',
    );
    const big = JSON.stringify({ email: 'a@example.com', password: 'p'.repeat(101 * 1024) });
    await problemOf(t, await call(server, 'POST', '/auth/register', { body: big, headers }), 413, 'payload_too_large');
    const bigForm = `grant_type=password&username=a&password=${'p'.repeat(101 * 1024)}`;
    await problemOf(
      t,
      await call(server, 'POST', '/auth/token', {
        body: bigForm,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      413,
      'payload_too_large',
    );
  });

  test(`a chunked body over the limit is 413 too (no Content-Length to trust) ${tag}`, async (t) => {
    const { url } = serverFor(db);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}/auth/register`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(`{"email":"${'a'.repeat(60 * 1024)}`);
      req.end(`${'b'.repeat(60 * 1024)}"}`);
    });
    t.is(status, 413);
  });

  test(`security headers are on every response ${tag}`, async (t) => {
    for (const path of ['/healthz', '/nope', '/openapi.json']) {
      const response = await call(serverFor(db), 'GET', path);
      t.is(response.headers.get('x-content-type-options'), 'nosniff');
      t.is(response.headers.get('x-frame-options'), 'DENY');
      t.is(response.headers.get('referrer-policy'), 'no-referrer');
      t.is(response.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    }
  });

  test(`CORS answers allowed origins only, errors included ${tag}`, async (t) => {
    const server = serverFor(db);
    const allowed = await call(server, 'GET', '/products', { headers: { origin: 'https://shop.example.com' } });
    t.is(allowed.status, 401);
    t.is(allowed.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    t.true((allowed.headers.get('access-control-expose-headers') ?? '').includes('X-Request-Id'));
    const preflight = await call(server, 'OPTIONS', '/products', {
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    t.is(preflight.status, 204);
    t.true((preflight.headers.get('access-control-allow-headers') ?? '').includes('Authorization'));
    // Browsers may send the conditional headers and read the ETag.
    for (const header of ['If-Match', 'If-None-Match'])
      t.true((preflight.headers.get('access-control-allow-headers') ?? '').includes(header), header);
    t.true((allowed.headers.get('access-control-expose-headers') ?? '').includes('ETag'));
    const other = await call(server, 'GET', '/healthz', { headers: { origin: 'https://evil.example.com' } });
    t.is(other.headers.get('access-control-allow-origin'), null);
  });

  test(`health: /healthz is alive, /readyz pings the database ${tag}`, async (t) => {
    const server = serverFor(db);
    const health = await call(server, 'GET', '/healthz');
    t.deepEqual(await health.json(), { status: 'ok' });
    const ready = await call(server, 'GET', '/readyz');
    t.is(ready.status, 200);
    t.deepEqual(await ready.json(), { status: 'ready' });
  });

  test(`a lost database is 503 service_unavailable on /readyz ${tag}`, async (t) => {
    const catalog = await createTestCatalog(db);
    const running = await createServer(catalog, { logger: false, env: {} }).listen(0, '127.0.0.1');
    try {
      await catalog.close();
      await problemOf(t, await call(running, 'GET', '/readyz'), 503, 'service_unavailable');
      t.is((await call(running, 'GET', '/healthz')).status, 200);
    } finally {
      await running.close();
      await catalog.destroy();
    }
  });

  test(`an unexpected error is 500 internal with nothing of it in the body ${tag}`, async (t) => {
    const catalog = await createTestCatalog(db);
    // A service failing in a way nobody planned for: the message holds SQL and a secret.
    const failing = Object.assign(Object.create(catalog) as typeof catalog, {
      dashboard: {
        summary: async () => {
          throw new Error('select * from users where password_hash = $1 -- secret sauce');
        },
      },
    });
    const running = await createServer(failing, { logger: false, env: {} }).listen(0, '127.0.0.1');
    try {
      const { access_token } = await signedIn({ catalog });
      const response = await call(running, 'GET', '/dashboard/summary', { token: access_token });
      const body = await problemOf(t, response, 500, 'internal');
      const text = JSON.stringify(body);
      t.false(/select|password|secret|at .*\.ts/i.test(text), text);
      t.true(String(body.detail).includes(String(body.request_id)));
    } finally {
      await running.close();
      await catalog.destroy();
    }
  });

  test(`HEAD is answered like GET without a body ${tag}`, async (t) => {
    const response = await call(serverFor(db), 'HEAD', '/healthz', { headers: { 'x-request-id': randomUUID() } });
    t.is(response.status, 200);
    t.is(await response.text(), '');
  });
}
