import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { createClient, localStorageTokenStore, type AuthTokens, type StorageLike } from '../src/index.js';
import { PASSWORD, rejectsWith, signedInClient, uniqueEmail, useServer } from './support/server.js';

/** A Web Storage stand-in for Node (the store under test is real; only the browser is absent). */
function mapStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`register creates a user and does not sign in [${db.name}]`, async (t) => {
    const client = createClient({ baseUrl: live().url });
    const email = uniqueEmail('reg');
    const user = await client.auth.register({ email: ` ${email.toUpperCase()} `, password: PASSWORD, name: 'Ada' });
    t.is(user.email, email);
    t.is(user.name, 'Ada');
    t.is(user.role, 'user');
    t.false(client.auth.isSignedIn);
  });

  test(`register maps 409 conflict and 422 validation errors [${db.name}]`, async (t) => {
    const client = createClient({ baseUrl: live().url });
    const email = uniqueEmail('dup');
    await client.auth.register({ email, password: PASSWORD });
    const conflict = await rejectsWith(t, client.auth.register({ email, password: PASSWORD }), 409, 'conflict');
    t.truthy(conflict?.requestId);
    const invalid = await rejectsWith(
      t,
      client.auth.register({ email: 'not-an-email', password: 'short' }),
      422,
      'validation_failed',
    );
    t.deepEqual(invalid?.errors.map((e) => e.path).sort(), ['email', 'password']);
    t.false(invalid?.isAbort);
    t.false(invalid?.isNetwork);
  });

  test(`login stores tokens, reports them to onTokenChange, and me() uses them [${db.name}]`, async (t) => {
    const seen: (AuthTokens | null)[] = [];
    const email = uniqueEmail('login');
    await live().catalog.auth.register({ email, password: PASSWORD, name: 'Grace' });
    const client = createClient({ baseUrl: live().url, onTokenChange: (tokens) => seen.push(tokens) });
    const response = await client.auth.login({ email, password: PASSWORD });
    t.is(response.token_type, 'bearer');
    t.is(client.auth.tokens?.access_token, response.access_token);
    t.is(client.auth.tokens?.refresh_token, response.refresh_token);
    t.true((client.auth.tokens?.expires_at ?? 0) > Date.now());
    t.is(seen.length, 1);
    const me = await client.auth.me();
    t.is(me.email, email);
    t.is(me.name, 'Grace');
  });

  test(`login with a wrong password is a 401 unauthorized and stores nothing [${db.name}]`, async (t) => {
    const { email } = await signedInClient(live(), 'user');
    const client = createClient({ baseUrl: live().url });
    await rejectsWith(t, client.auth.login({ email, password: 'wrong password' }), 401, 'unauthorized');
    t.is(client.auth.tokens, null);
  });

  test(`me() without signing in is a 401 [${db.name}]`, async (t) => {
    const client = createClient({ baseUrl: live().url });
    await rejectsWith(t, client.auth.me(), 401, 'unauthorized');
  });

  test(`token() signs in with the OAuth2 password grant and refreshes with the refresh_token grant [${db.name}]`, async (t) => {
    const email = uniqueEmail('oauth');
    await live().catalog.users.create({ email, password: PASSWORD }, { actor: SYSTEM_ACTOR });
    const client = createClient({ baseUrl: live().url });
    const first = await client.auth.token({ grant_type: 'password', username: email, password: PASSWORD });
    t.is((await client.auth.me()).email, email);
    const second = await client.auth.token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    t.not(second.refresh_token, first.refresh_token);
    t.is(client.auth.tokens?.refresh_token, second.refresh_token);
  });

  test(`token() maps RFC 6749 errors to their codes [${db.name}]`, async (t) => {
    const client = createClient({ baseUrl: live().url });
    const { email } = await signedInClient(live(), 'user');
    const grant = await rejectsWith(
      t,
      client.auth.token({ grant_type: 'password', username: email, password: 'wrong password' }),
      400,
      'invalid_grant',
    );
    t.truthy(grant?.detail);
    await rejectsWith(
      t,
      client.auth.token({ grant_type: 'refresh_token', refresh_token: 'no-such-token' }),
      400,
      'invalid_grant',
    );
  });

  test(`refresh() rotates the tokens; the old refresh token is then refused [${db.name}]`, async (t) => {
    const { client } = await signedInClient(live(), 'user');
    const before = client.auth.tokens;
    const after = await client.auth.refresh();
    t.not(after.refresh_token, before?.refresh_token);
    t.deepEqual(client.auth.tokens, after);
    t.truthy((await client.auth.me()).id);
    const stale = createClient({ baseUrl: live().url });
    stale.setTokens(before);
    await rejectsWith(t, stale.auth.refresh(), 401, 'unauthorized');
    t.is(stale.auth.tokens, null, 'a refused refresh clears the session');
  });

  test(`refresh() when signed out is a 401 without a request [${db.name}]`, async (t) => {
    const client = createClient({ baseUrl: live().url });
    await rejectsWith(t, client.auth.refresh(), 401, 'unauthorized');
  });

  test(`logout() revokes the session on the server and forgets it locally [${db.name}]`, async (t) => {
    const seen: (AuthTokens | null)[] = [];
    const { client } = await signedInClient(live(), 'user', { onTokenChange: (tokens) => seen.push(tokens) });
    const tokens = client.auth.tokens;
    await client.auth.logout();
    t.is(client.auth.tokens, null);
    t.is(seen.at(-1), null);
    const other = createClient({ baseUrl: live().url });
    other.setTokens(tokens);
    await rejectsWith(t, other.auth.refresh(), 401, 'unauthorized');
    await t.notThrowsAsync(client.auth.logout(), 'signing out twice is harmless');
  });

  test(`localStorageTokenStore keeps a session across clients [${db.name}]`, async (t) => {
    const storage = mapStorage();
    const { client } = await signedInClient(live(), 'user', { tokenStore: localStorageTokenStore('shop', storage) });
    t.true(storage.map.has('shop'));
    const reopened = createClient({ baseUrl: live().url, tokenStore: localStorageTokenStore('shop', storage) });
    t.deepEqual(reopened.auth.tokens, client.auth.tokens);
    t.truthy((await reopened.auth.me()).id);
    await reopened.auth.logout();
    t.false(storage.map.has('shop'));
    storage.map.set('shop', '{not json');
    t.is(localStorageTokenStore('shop', storage).get(), null);
  });
}

test('localStorageTokenStore without a storage in Node explains itself', (t) => {
  t.throws(() => localStorageTokenStore(), { instanceOf: TypeError, message: /no localStorage/ });
});
