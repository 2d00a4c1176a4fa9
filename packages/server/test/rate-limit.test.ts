import test from 'ava';
import { MemoryRateLimitStore } from '../src/index.js';
import { PASSWORD, call, email, problemOf, startTestServer, testDatabases } from './helpers.js';

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

  test(`failed logins per account are limited, even with the right password afterwards ${tag}`, async (t) => {
    const server = await startTestServer(db, { loginFailureLimit: 2, loginFailureWindow: 900 });
    try {
      const victim = email('victim');
      const other = email('other');
      for (const address of [victim, other]) {
        t.is(
          (await call(server, 'POST', '/auth/register', { json: { email: address, password: PASSWORD } })).status,
          201,
        );
      }
      for (let i = 0; i < 2; i += 1) {
        t.is(
          (await call(server, 'POST', '/auth/login', { json: { email: victim, password: 'wrong password' } })).status,
          401,
        );
      }
      const locked = await call(server, 'POST', '/auth/login', {
        json: { email: victim.toUpperCase(), password: PASSWORD },
      });
      t.true(Number(locked.headers.get('retry-after')) > 60);
      await problemOf(t, locked, 429, 'rate_limited');
      const viaToken = await call(server, 'POST', '/auth/token', {
        form: { grant_type: 'password', username: victim, password: PASSWORD },
      });
      await problemOf(t, viaToken, 429, 'rate_limited');
      // Another account is not affected, and its success clears its own failures.
      t.is(
        (await call(server, 'POST', '/auth/login', { json: { email: other, password: 'wrong password' } })).status,
        401,
      );
      t.is((await call(server, 'POST', '/auth/login', { json: { email: other, password: PASSWORD } })).status, 200);
      t.is(
        (await call(server, 'POST', '/auth/login', { json: { email: other, password: 'wrong password' } })).status,
        401,
      );
      t.is((await call(server, 'POST', '/auth/login', { json: { email: other, password: PASSWORD } })).status, 200);
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
