import test from 'ava';
import { testDatabases } from '@catalog/core/testing';
import { createClient, type AuthTokens } from '../src/index.js';
import { PASSWORD, recordingFetch, rejectsWith, signedInClient, useServer } from './support/server.js';

/** The same JWT with its signature replaced: well-formed, and refused by the server. */
function forged(accessToken: string): string {
  const [header, payload] = accessToken.split('.');
  return `${header}.${payload}.${'A'.repeat(43)}`;
}

const refreshes = (calls: string[]) => calls.filter((c) => c === 'POST /auth/refresh').length;

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`a refused access token is refreshed once and the call retried [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const seen: (AuthTokens | null)[] = [];
    const { client, email } = await signedInClient(live(), 'user', {
      fetch: recorder.fetch,
      onTokenChange: (tokens) => seen.push(tokens),
    });
    const good = client.auth.tokens as AuthTokens;
    client.setTokens({ ...good, access_token: forged(good.access_token) });
    recorder.calls.length = 0;
    seen.length = 0;

    t.is((await client.auth.me()).email, email);
    t.deepEqual(recorder.calls, ['GET /auth/me', 'POST /auth/refresh', 'GET /auth/me']);
    t.is(seen.length, 1);
    t.not(client.auth.tokens?.refresh_token, good.refresh_token, 'the refresh token was rotated');
  });

  test(`10 concurrent calls with a refused token share one refresh [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const { client } = await signedInClient(live(), 'user', { fetch: recorder.fetch });
    const good = client.auth.tokens as AuthTokens;
    client.setTokens({ ...good, access_token: forged(good.access_token) });
    recorder.calls.length = 0;

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? client.auth.me().then((u) => u.id) : client.products.list({ limit: 1 }).then(() => 'page'),
      ),
    );
    t.is(results.length, 10);
    t.is(refreshes(recorder.calls), 1);
    t.is(recorder.calls.length, 21, '10 refused calls, 1 refresh, 10 retries');
  });

  test(`a caller aborting during the shared refresh leaves it to the others [${db.name}]`, async (t) => {
    const quitter = new AbortController();
    const calls: string[] = [];
    const { client, email } = await signedInClient(live(), 'user', {
      fetch: (input, init) => {
        calls.push(`${init.method} ${new URL(input).pathname}`);
        // The refresh is under way: this caller gives up now.
        if (new URL(input).pathname === '/auth/refresh') quitter.abort();
        return globalThis.fetch(input, init);
      },
    });
    const good = client.auth.tokens as AuthTokens;
    client.setTokens({ ...good, access_token: forged(good.access_token) });
    calls.length = 0;

    const [gaveUp, ...others] = await Promise.allSettled([
      client.auth.me({ signal: quitter.signal }),
      client.auth.me(),
      client.auth.me(),
    ]);
    t.is(gaveUp?.status, 'rejected');
    t.is((gaveUp as PromiseRejectedResult).reason.code, 'aborted');
    t.true(others.every((o) => o.status === 'fulfilled' && o.value.email === email));
    t.is(refreshes(calls), 1);
    t.not(client.auth.tokens?.refresh_token, good.refresh_token);
  });

  test(`a refused refresh clears the session, tells onTokenChange and throws 401 [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const seen: (AuthTokens | null)[] = [];
    const { client } = await signedInClient(live(), 'user', {
      fetch: recorder.fetch,
      onTokenChange: (tokens) => seen.push(tokens),
    });
    const good = client.auth.tokens as AuthTokens;
    // Revoke the family from another client, then make the access token unusable too.
    const other = createClient({ baseUrl: live().url, fetch: recorder.fetch });
    other.setTokens(good);
    await other.auth.logout();
    client.setTokens({ ...good, access_token: forged(good.access_token) });
    recorder.calls.length = 0;
    seen.length = 0;

    await rejectsWith(t, client.products.list(), 401, 'unauthorized');
    t.is(client.auth.tokens, null);
    t.deepEqual(seen, [null]);
    t.deepEqual(recorder.calls, ['GET /products', 'POST /auth/refresh']);
  });

  test(`when the shared refresh is refused, all 10 concurrent callers get the 401 [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const { client } = await signedInClient(live(), 'user', { fetch: recorder.fetch });
    const good = client.auth.tokens as AuthTokens;
    client.setTokens({
      access_token: forged(good.access_token),
      refresh_token: 'revoked-or-never-issued',
      expires_at: good.expires_at,
    });
    recorder.calls.length = 0;

    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => client.auth.me()));
    t.true(outcomes.every((o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'unauthorized'));
    t.is(refreshes(recorder.calls), 1);
    t.is(client.auth.tokens, null);
  });

  test(`sign-in endpoints never trigger a refresh [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const { client, email } = await signedInClient(live(), 'user', { fetch: recorder.fetch });
    const tokens = client.auth.tokens;
    recorder.calls.length = 0;
    await rejectsWith(t, client.auth.login({ email, password: `${PASSWORD}!` }), 401, 'unauthorized');
    t.deepEqual(recorder.calls, ['POST /auth/login']);
    t.deepEqual(client.auth.tokens, tokens, 'a failed login keeps the current session');
  });

  test(`a 401 without a session and a 403 are not retried [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const anonymous = createClient({ baseUrl: live().url, fetch: recorder.fetch });
    await rejectsWith(t, anonymous.auth.me(), 401, 'unauthorized');
    t.deepEqual(recorder.calls, ['GET /auth/me']);

    const { client } = await signedInClient(live(), 'user', { fetch: recorder.fetch });
    recorder.calls.length = 0;
    await rejectsWith(t, client.products.create({ name: 'X', category: 'y', price: 1 }), 403, 'forbidden');
    t.deepEqual(recorder.calls, ['POST /products']);
  });
}
