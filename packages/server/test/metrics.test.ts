import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@catalog/core';
import type { TestDatabase } from '@catalog/core/testing';
import test, { type ExecutionContext } from 'ava';
import { isLoopback, metricsAccess } from '../src/metrics/access.js';
import type { ServerOptions } from '../src/index.js';
import { call, callFrom, email, PASSWORD, problemOf, signedIn, startTestServer, testDatabases } from './helpers.js';

/*
 * GET /metrics and Server-Timing (http/server-timing.ts, metrics/*, routes/metrics.ts), over real
 * HTTP on each test database.
 */

const TOKEN = 'metrics-token-0123456789abcdef';
const SERVER_TIMING = /^db;dur=(\d+\.\d{3}), app;dur=(\d+\.\d{3})$/;

/** One sample line of the text format: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format, failing the test on any line that is neither a comment nor a sample. */
function parseMetrics(t: ExecutionContext, text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) {
      t.fail(`not a sample line: ${line}`);
      continue;
    }
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g))
      labels[name!] = value!;
    // The format allows NaN (prom-client writes `Nan` for an event-loop lag not sampled yet).
    const value = /^nan$/i.test(match[3]!) ? Number.NaN : Number(match[3]);
    t.false(Number.isNaN(value) && !/^nan$/i.test(match[3]!), line);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/** The value of the sample `name` whose labels include `labels` (0 when there is none). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  return found?.value ?? 0;
}

async function scrape(t: ExecutionContext, server: { url: string }): Promise<Sample[]> {
  const response = await call(server, 'GET', '/metrics');
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(t, await response.text());
}

async function serverFor(t: ExecutionContext, db: TestDatabase, options: ServerOptions = {}) {
  const server = await startTestServer(db, options);
  t.teardown(() => server.close());
  return server;
}

test('the access decision: loopback only without a token; the bearer token from anywhere with one', (t) => {
  for (const ip of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) t.true(isLoopback(ip), ip);
  for (const ip of ['10.0.0.1', '203.0.113.9', '::ffff:10.0.0.1', '2001:db8::1', '::', '', '128.0.0.1'])
    t.false(isLoopback(ip), ip);

  const without = (ip: string, authorization?: string) => metricsAccess({ ip, authorization }, '');
  t.is(without('127.0.0.1'), 'allowed');
  t.is(without('::1'), 'allowed');
  t.is(without('203.0.113.9'), 'hidden');
  t.is(without('203.0.113.9', `Bearer ${TOKEN}`), 'hidden', 'no token configured: nothing opens it remotely');

  const withToken = (ip: string, authorization?: string) => metricsAccess({ ip, authorization }, TOKEN);
  t.is(withToken('203.0.113.9', `Bearer ${TOKEN}`), 'allowed');
  t.is(withToken('203.0.113.9', `bearer  ${TOKEN} `), 'allowed');
  t.is(withToken('127.0.0.1'), 'unauthorized', 'with a token, loopback needs it too');
  t.is(withToken('203.0.113.9', 'Bearer wrong-token-0123456789abcdef'), 'unauthorized');
  t.is(withToken('203.0.113.9', `Bearer ${TOKEN}x`), 'unauthorized');
  t.is(withToken('203.0.113.9', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`), 'unauthorized');
  t.is(withToken('203.0.113.9', TOKEN), 'unauthorized');
});

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`idempotent replays and open change streams are counted ${tag}`, async (t) => {
    const server = await serverFor(t, db);
    const { access_token: token } = await signedIn(server, 'admin');
    const headers = { 'idempotency-key': randomUUID() };
    const json = { name: 'Kettle', category: 'Kitchen', price: 5 };
    t.is((await call(server, 'POST', '/products', { token, json, headers })).status, 201);
    const before = await scrape(t, server);
    const replayed = await call(server, 'POST', '/products', { token, json, headers });
    t.is(replayed.headers.get('idempotent-replayed'), 'true');
    const afterReplay = await scrape(t, server);
    t.is(
      valueOf(afterReplay, 'catalog_idempotent_replays_total') - valueOf(before, 'catalog_idempotent_replays_total'),
      1,
    );

    const stop = new AbortController();
    const stream = await fetch(`${server.url}/changes/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: stop.signal,
    });
    t.is(stream.status, 200);
    t.is(valueOf(await scrape(t, server), 'catalog_sse_streams_open'), 1);
    stop.abort();
    await stream.body?.cancel().catch(() => undefined);
    for (let i = 0; i < 50 && valueOf(await scrape(t, server), 'catalog_sse_streams_open') !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    t.is(valueOf(await scrape(t, server), 'catalog_sse_streams_open'), 0);
  });

  test(`the text format parses and counts requests by route template and status, never by raw path ${tag}`, async (t) => {
    const server = await serverFor(t, db);
    const { access_token: token } = await signedIn(server);
    const product = await server.catalog.products.create(
      { name: 'Kettle', category: 'Kitchen', price: 5 },
      { actor: SYSTEM_ACTOR },
    );
    const before = await scrape(t, server);
    const byId = { method: 'GET', route: '/products/:id', status: '200' };

    for (let i = 0; i < 3; i++) t.is((await call(server, 'GET', `/products/${product.id}`, { token })).status, 200);
    t.is((await call(server, 'GET', `/products/${randomUUID()}`, { token })).status, 404);
    t.is((await call(server, 'GET', `/no/such/${randomUUID()}`)).status, 404);
    t.is((await call(server, 'GET', `/no/such/${randomUUID()}`)).status, 404);

    const after = await scrape(t, server);
    t.is(valueOf(after, 'catalog_http_requests_total', byId) - valueOf(before, 'catalog_http_requests_total', byId), 3);
    t.is(valueOf(after, 'catalog_http_requests_total', { route: '/products/:id', status: '404' }), 1);
    t.is(valueOf(after, 'catalog_http_requests_total', { route: 'unmatched', status: '404' }), 2);
    t.is(
      valueOf(after, 'catalog_http_request_duration_seconds_count', byId),
      valueOf(after, 'catalog_http_requests_total', byId),
    );
    t.true(valueOf(after, 'catalog_http_request_duration_seconds_sum', byId) > 0);
    const routes = new Set(after.filter((s) => s.labels.route !== undefined).map((s) => s.labels.route));
    t.false(
      [...routes].some((route) => route!.includes(product.id) || route!.startsWith('/no/')),
      [...routes].join(' '),
    );

    const statements = after.filter((s) => s.name === 'catalog_db_query_duration_seconds_count');
    t.true(statements.reduce((sum, s) => sum + s.value, 0) > 0);
    t.deepEqual(
      statements.map((s) => s.labels.kind).filter((kind) => !['read', 'scan', 'orm'].includes(kind!)),
      [],
    );
    t.is(valueOf(after, 'catalog_idempotent_replays_total'), 0);
    t.is(valueOf(after, 'catalog_sse_streams_open'), 0);
    t.true(
      after.some((s) => s.name === 'process_cpu_user_seconds_total'),
      'default process metrics',
    );
  });

  test(`a 429 counts as a refusal of the limit it exceeded ${tag}`, async (t) => {
    const server = await serverFor(t, db, { authPerIpLimit: 1, authPerIpWindow: 60, rateLimitStorage: 'memory' });
    const from = '127.0.0.5';
    const register = () =>
      callFrom(server, from, 'POST', '/auth/register', { json: { email: email('limited'), password: PASSWORD } });
    t.is(valueOf(await scrape(t, server), 'catalog_rate_limit_refusals_total', { limit: 'auth' }), 0);
    t.is((await register()).status, 201);
    await problemOf(t, await register(), 429, 'rate_limited');
    await problemOf(t, await register(), 429, 'rate_limited');
    const samples = await scrape(t, server);
    t.is(valueOf(samples, 'catalog_rate_limit_refusals_total', { limit: 'auth' }), 2);
    t.is(valueOf(samples, 'catalog_rate_limit_refusals_total', { limit: 'login' }), 0);
    t.is(valueOf(samples, 'catalog_http_requests_total', { route: '/auth/register', status: '429' }), 2);
  });

  test(`without a token /metrics answers loopback clients and 404s others (as reported by a trusted proxy) ${tag}`, async (t) => {
    const server = await serverFor(t, db, { trustProxy: true });
    t.is((await call(server, 'GET', '/metrics')).status, 200);
    const remote = await call(server, 'GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const body = await problemOf(t, remote, 404, 'not_found');
    t.is(body.detail, 'No route for GET /metrics', 'the same answer as a path that does not exist');
  });

  test(`with a token /metrics needs it, from loopback too ${tag}`, async (t) => {
    const server = await serverFor(t, db, { metricsToken: TOKEN, trustProxy: true });
    const missing = await call(server, 'GET', '/metrics');
    await problemOf(t, missing, 401, 'unauthorized');
    t.is(missing.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    await problemOf(
      t,
      await call(server, 'GET', '/metrics', { token: 'wrong-token-0123456789abcdef' }),
      401,
      'unauthorized',
    );
    const remote = await call(server, 'GET', '/metrics', {
      token: TOKEN,
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    t.is(remote.status, 200);
    t.true((await remote.text()).includes('# TYPE catalog_http_requests_total counter'));
    t.is(remote.headers.get('cache-control'), 'no-store');
  });

  test(`Server-Timing carries db and app on a database-backed route, and on errors ${tag}`, async (t) => {
    const server = await serverFor(t, db);
    const { access_token: token } = await signedIn(server, 'admin');
    const created = await call(server, 'POST', '/products', {
      token,
      json: { name: 'Teapot', category: 'Kitchen', price: 9 },
    });
    t.is(created.status, 201);
    const { id } = (await created.json()) as { id: string };

    for (const path of [`/products/${id}`, '/products?limit=5', '/dashboard/summary']) {
      const response = await call(server, 'GET', path, { token });
      t.is(response.status, 200, path);
      const [, dbMs, appMs] = SERVER_TIMING.exec(response.headers.get('server-timing') ?? '') ?? [];
      t.truthy(dbMs, `${path}: ${response.headers.get('server-timing')}`);
      t.true(Number(dbMs) > 0, `${path} ran statements`);
      t.true(Number(appMs) > 0, path);
    }
    // One statement inside the request: its time is part of the request's.
    const single = SERVER_TIMING.exec(
      (await call(server, 'GET', `/products/${id}`, { token })).headers.get('server-timing') ?? '',
    );
    t.true(Number(single?.[1]) <= Number(single?.[2]));

    const missing = await call(server, 'GET', '/no/such/path');
    t.regex(missing.headers.get('server-timing') ?? '', /^db;dur=0\.000, app;dur=\d+\.\d{3}$/);
  });

  test(`metrics turned off: no /metrics and no Server-Timing ${tag}`, async (t) => {
    for (const options of [{ metrics: false }, { env: { CATALOG_METRICS: 'false' } }] satisfies ServerOptions[]) {
      const server = await serverFor(t, db, options);
      t.is(server.running.server.listening, true);
      const { access_token: token } = await signedIn(server);
      const page = await call(server, 'GET', '/products', { token });
      t.is(page.status, 200);
      t.is(page.headers.get('server-timing'), null);
      const metrics = await call(server, 'GET', '/metrics');
      await problemOf(t, metrics, 404, 'not_found');
      t.is(metrics.headers.get('server-timing'), null);
      const document = (await (await call(server, 'GET', '/openapi.json')).json()) as { paths: object };
      t.false('/metrics' in document.paths);
    }
  });
}
