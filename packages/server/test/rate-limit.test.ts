import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { MemoryRateLimitStore } from '../src/index.js';
import { PASSWORD, call, callFrom, email, problemOf, startTestServer, testDatabases } from './helpers.js';

test('the memory store counts hits in fixed windows and forgets expired ones', async (t) => {
  let now = 1_000;
  const store = new MemoryRateLimitStore(() => now, 3);
  t.deepEqual(await store.increment('a', 500), { count: 1, resetAt: 1_500 });
  t.deepEqual(await store.increment('a', 500), { count: 2, resetAt: 1_500 });
  t.deepEqual(await store.get('a'), { count: 2, resetAt: 1_500 });
  now = 1_500;
  t.is(await store.get('a'), null);
  t.deepEqual(await store.increment('a', 500), { count: 1, resetAt: 2_000 });
  await store.reset('a');
  t.is(await store.get('a'), null);
});

test('the memory store sweeps expired keys so memory stays bounded', async (t) => {
  let now = 0;
  const store = new MemoryRateLimitStore(() => now, 3);
  for (const key of ['a', 'b', 'c']) await store.increment(key, 10);
  now = 20;
  for (const key of ['d', 'e', 'f']) await store.increment(key, 10);
  t.is(store.size, 3);
});

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`auth requests per IP are limited with 429 and Retry-After ${tag}`, async (t) => {
    const server = await startTestServer(db, { authPerIpLimit: 3, authPerIpWindow: 60 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push(
          (await call(server, 'POST', '/auth/login', { json: { email: email(), password: PASSWORD } })).status,
        );
      }
      t.deepEqual(statuses, [401, 401, 401]);
      for (const [path, options] of [
        ['/auth/register', { json: { email: email(), password: PASSWORD } }],
        ['/auth/refresh', { json: { refresh_token: 'x' } }],
        ['/auth/token', { form: { grant_type: 'password', username: email(), password: PASSWORD } }],
      ] as const) {
        const limited = await call(server, 'POST', path, options);
        const retryAfter = Number(limited.headers.get('retry-after'));
        t.true(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
        await problemOf(t, limited, 429, 'rate_limited');
      }
      // Only the auth endpoints count: other routes keep answering.
      t.is((await call(server, 'GET', '/healthz')).status, 200);
    } finally {
      await server.close();
    }
  });

  test(`failed logins are limited per account and client IP: a correct login from another IP still succeeds ${tag}`, async (t) => {
    // Production defaults for the failed-login limit (10 per 15 min); no proxy is trusted.
    const server = await startTestServer(db, { loginFailureLimit: 10, loginFailureWindow: 900 });
    try {
      const victim = email('victim');
      t.is((await call(server, 'POST', '/auth/register', { json: { email: victim, password: PASSWORD } })).status, 201);
      const A = '127.0.0.2';
      const B = '127.0.0.3';
      const login = (from: string, password: string, headers: Record<string, string> = {}) =>
        callFrom(server, from, 'POST', '/auth/login', { json: { email: victim, password }, headers });

      for (let i = 0; i < 10; i += 1) t.is((await login(A, 'wrong password')).status, 401, `failure ${i + 1} from A`);
      // A is refused before any password check, even with the right one.
      const refused = await login(A, PASSWORD);
      const retryAfter = Number(refused.headers.get('retry-after'));
      t.true(retryAfter > 60 && retryAfter <= 900, `Retry-After ${retryAfter}`);
      await problemOf(t, refused, 429, 'rate_limited');
      // The OAuth2 token endpoint shares the count (it is the same login).
      const viaToken = await call(server, 'POST', '/auth/token', {
        form: { grant_type: 'password', username: victim.toUpperCase(), password: PASSWORD },
      });
      t.is(viaToken.status, 200, 'the server itself (127.0.0.1) is another client');

      // B, which has not failed, signs in with the right password while A is being refused.
      const fromB = await login(B, PASSWORD);
      t.is(fromB.status, 200);
      t.truthy(((await fromB.json()) as { access_token?: string }).access_token);
      // A cannot borrow B's standing with a forged X-Forwarded-For: the server trusts no proxy.
      await problemOf(t, await login(A, PASSWORD, { 'x-forwarded-for': B }), 429, 'rate_limited');
      // B's failures count on their own: one failure and a success later, B is still in.
      t.is((await login(B, 'wrong password')).status, 401);
      t.is((await login(B, PASSWORD)).status, 200);

      // The operator clears the account's counts: A gets in again at once.
      await server.catalog.users.unlock(victim, { actor: SYSTEM_ACTOR });
      t.is((await login(A, PASSWORD)).status, 200);
    } finally {
      await server.close();
    }
  });

  test(`rate-limited routes send RateLimit-Policy and RateLimit on every response, not only on 429 ${tag}`, async (t) => {
    const server = await startTestServer(db, {
      authPerIpLimit: 5,
      authPerIpWindow: 60,
      loginFailureLimit: 2,
      loginFailureWindow: 900,
    });
    try {
      const from = '127.0.0.4';
      const address = email('headers');
      const both = '"auth";q=5;w=60, "login";q=2;w=900';
      const seconds = (value: string | null, name: string) =>
        Number(new RegExp(`"${name}";r=\\d+;t=(\\d+)`).exec(value ?? '')?.[1]);

      const registered = await callFrom(server, from, 'POST', '/auth/register', {
        json: { email: address, password: PASSWORD },
      });
      t.is(registered.status, 201);
      t.is(registered.headers.get('ratelimit-policy'), '"auth";q=5;w=60');
      t.regex(registered.headers.get('ratelimit') ?? '', /^"auth";r=4;t=\d+$/);
      const t1 = seconds(registered.headers.get('ratelimit'), 'auth');
      t.true(t1 >= 1 && t1 <= 60, `t=${t1}`);

      const ok = await callFrom(server, from, 'POST', '/auth/login', { json: { email: address, password: PASSWORD } });
      t.is(ok.status, 200);
      t.is(ok.headers.get('ratelimit-policy'), both);
      t.regex(ok.headers.get('ratelimit') ?? '', /^"auth";r=3;t=\d+, "login";r=2;t=0$/);

      const failed = await callFrom(server, from, 'POST', '/auth/login', {
        json: { email: address, password: 'nope nope' },
      });
      t.is(failed.status, 401);
      t.is(failed.headers.get('ratelimit-policy'), both);
      t.regex(failed.headers.get('ratelimit') ?? '', /^"auth";r=2;t=\d+, "login";r=1;t=\d+$/);
      t.true(seconds(failed.headers.get('ratelimit'), 'login') > 60);

      // Errors before the handler (a malformed body) carry them too.
      const malformed = await callFrom(server, from, 'POST', '/auth/refresh', {
        body: '{"refresh_token": ',
        headers: { 'content-type': 'application/json' },
      });
      t.is(malformed.status, 400);
      t.is(malformed.headers.get('ratelimit-policy'), '"auth";q=5;w=60');
      t.regex(malformed.headers.get('ratelimit') ?? '', /^"auth";r=1;t=\d+$/);

      await callFrom(server, from, 'POST', '/auth/login', { json: { email: address, password: 'nope nope' } });
      const limited = await callFrom(server, from, 'POST', '/auth/login', {
        json: { email: address, password: PASSWORD },
      });
      await problemOf(t, limited, 429, 'rate_limited');
      t.is(limited.headers.get('ratelimit-policy'), '"auth";q=5;w=60');
      t.regex(limited.headers.get('ratelimit') ?? '', /^"auth";r=0;t=\d+$/);
      t.is(Number(limited.headers.get('retry-after')), seconds(limited.headers.get('ratelimit'), 'auth'));

      // Routes without a limit send neither.
      for (const path of ['/healthz', '/auth/me']) {
        const response = await callFrom(server, from, 'GET', path);
        t.is(response.headers.get('ratelimit'), null, path);
        t.is(response.headers.get('ratelimit-policy'), null, path);
      }
    } finally {
      await server.close();
    }
  });

  test(`the failed-login limit refuses with its own RateLimit reading and Retry-After ${tag}`, async (t) => {
    const server = await startTestServer(db, { authPerIpLimit: 100, loginFailureLimit: 1, loginFailureWindow: 600 });
    try {
      const address = email('once');
      await call(server, 'POST', '/auth/register', { json: { email: address, password: PASSWORD } });
      t.is(
        (await call(server, 'POST', '/auth/login', { json: { email: address, password: 'nope nope' } })).status,
        401,
      );
      const limited = await call(server, 'POST', '/auth/login', { json: { email: address, password: PASSWORD } });
      await problemOf(t, limited, 429, 'rate_limited');
      t.regex(limited.headers.get('ratelimit') ?? '', /^"auth";r=97;t=\d+, "login";r=0;t=(\d+)$/);
      const t2 = Number(/"login";r=0;t=(\d+)/.exec(limited.headers.get('ratelimit') ?? '')?.[1]);
      t.is(Number(limited.headers.get('retry-after')), t2);
      t.true(t2 > 500 && t2 <= 600);
    } finally {
      await server.close();
    }
  });

  test(`behind a trusted proxy the limit is per client, taken from the last X-Forwarded-For entry ${tag}`, async (t) => {
    const server = await startTestServer(db, { authPerIpLimit: 1, trustProxy: true });
    try {
      const login = (forwardedFor: string) =>
        call(server, 'POST', '/auth/login', {
          json: { email: email(), password: PASSWORD },
          headers: { 'x-forwarded-for': forwardedFor },
        });
      t.is((await login('203.0.113.1')).status, 401);
      t.is((await login('203.0.113.2')).status, 401, 'another client has its own count');
      // A client cannot dodge its limit by prepending made-up addresses.
      await problemOf(t, await login('198.51.100.7, 203.0.113.1'), 429, 'rate_limited');
    } finally {
      await server.close();
    }
  });
}
