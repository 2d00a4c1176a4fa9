import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDatabases } from '@catalog/core/testing';
import type { AuthTokens } from '../src/index.js';
import { recordingFetch, signedInClient, useServer } from './support/server.js';

// The shortest access-token lifetime the catalog allows. The one test here waits it out once
// per database, concurrently with the other test files.
const TTL_SECONDS = 10;

for (const db of testDatabases()) {
  const live = useServer(test, db, { accessTokenTtl: TTL_SECONDS });

  test(`after the access token expires, 10 concurrent calls share one refresh and all succeed [${db.name}]`, async (t) => {
    const recorder = recordingFetch();
    const seen: (AuthTokens | null)[] = [];
    const { client, email } = await signedInClient(live(), 'user', {
      fetch: recorder.fetch,
      onTokenChange: (tokens) => seen.push(tokens),
    });
    const expired = client.auth.tokens?.access_token;
    t.is((await client.auth.me()).email, email, 'the token works before it expires');

    await sleep((TTL_SECONDS + 1.5) * 1000);
    const direct = await fetch(new URL('/auth/me', live().url), { headers: { authorization: `Bearer ${expired}` } });
    t.is(direct.status, 401, 'the server itself refuses the expired token');
    t.regex(direct.headers.get('www-authenticate') ?? '', /invalid_token/);

    recorder.calls.length = 0;
    seen.length = 0;
    const users = await Promise.all(Array.from({ length: 10 }, () => client.auth.me()));
    t.true(users.every((u) => u.email === email));
    t.is(recorder.calls.filter((c) => c === 'POST /auth/refresh').length, 1);
    t.is(recorder.calls.length, 21);
    t.is(seen.length, 1);
    t.not(client.auth.tokens?.access_token, expired);
  });
}
