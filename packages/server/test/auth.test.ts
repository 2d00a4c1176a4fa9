import test from 'ava';
import {
  PASSWORD,
  call,
  claimsFor,
  email,
  forgeToken,
  problemOf,
  serversFor,
  signedIn,
  subjectOf,
  testDatabases,
} from './helpers.js';

const serverFor = serversFor(test);

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`register creates a user and answers 201 with it ${tag}`, async (t) => {
    const address = email('reg');
    const response = await call(serverFor(db), 'POST', '/auth/register', {
      json: { email: ` ${address.toUpperCase()} `, password: PASSWORD, name: 'Ada' },
    });
    t.is(response.status, 201);
    t.is(response.headers.get('content-type'), 'application/json; charset=utf-8');
    const user = (await response.json()) as Record<string, unknown>;
    t.like(user, { email: address, name: 'Ada', role: 'user' });
    t.false('password_hash' in user);
  });

  test(`register refuses a taken email with 409 conflict ${tag}`, async (t) => {
    const address = email('dup');
    t.is(
      (await call(serverFor(db), 'POST', '/auth/register', { json: { email: address, password: PASSWORD } })).status,
      201,
    );
    const again = await call(serverFor(db), 'POST', '/auth/register', {
      json: { email: address.toUpperCase(), password: PASSWORD },
    });
    await problemOf(t, again, 409, 'conflict');
  });

  test(`register reports each bad field with 422 ${tag}`, async (t) => {
    const response = await call(serverFor(db), 'POST', '/auth/register', {
      json: { email: 'nope', password: 'short' },
    });
    const body = await problemOf(t, response, 422, 'validation_failed');
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    t.deepEqual(paths, ['email', 'password']);
  });

  test(`register refuses a password over 72 UTF-8 bytes ${tag}`, async (t) => {
    const response = await call(serverFor(db), 'POST', '/auth/register', {
      json: { email: email(), password: 'é'.repeat(37) },
    });
    const body = await problemOf(t, response, 422, 'validation_failed');
    t.is((body.errors as { path: string }[])[0]?.path, 'password');
  });

  test(`login answers a token response that must not be cached ${tag}`, async (t) => {
    const { email: address } = await signedIn(serverFor(db));
    const response = await call(serverFor(db), 'POST', '/auth/login', { json: { email: address, password: PASSWORD } });
    t.is(response.status, 200);
    t.is(response.headers.get('cache-control'), 'no-store');
    const tokens = (await response.json()) as Record<string, unknown>;
    t.is(tokens.token_type, 'bearer');
    t.is(tokens.expires_in, 900);
    t.is(typeof tokens.access_token, 'string');
    t.is(typeof tokens.refresh_token, 'string');
  });

  test(`login with a wrong password or unknown email is the same 401 ${tag}`, async (t) => {
    const { email: address } = await signedIn(serverFor(db));
    const wrong = await problemOf(
      t,
      await call(serverFor(db), 'POST', '/auth/login', { json: { email: address, password: 'wrong password' } }),
      401,
      'unauthorized',
    );
    const unknown = await problemOf(
      t,
      await call(serverFor(db), 'POST', '/auth/login', { json: { email: email('ghost'), password: PASSWORD } }),
      401,
      'unauthorized',
    );
    t.is(wrong.detail, unknown.detail);
  });

  test(`refresh rotates the token; reusing the old one revokes the whole family ${tag}`, async (t) => {
    const server = serverFor(db);
    const first = await signedIn(server);
    const rotated = await call(server, 'POST', '/auth/refresh', { json: { refresh_token: first.refresh_token } });
    t.is(rotated.status, 200);
    t.is(rotated.headers.get('cache-control'), 'no-store');
    const second = (await rotated.json()) as { refresh_token: string; access_token: string };
    t.not(second.refresh_token, first.refresh_token);
    t.is(subjectOf(second.access_token), subjectOf(first.access_token));

    await problemOf(
      t,
      await call(server, 'POST', '/auth/refresh', { json: { refresh_token: first.refresh_token } }),
      401,
      'unauthorized',
    );
    // The reuse revoked the family: the newest token of the session no longer works either.
    await problemOf(
      t,
      await call(server, 'POST', '/auth/refresh', { json: { refresh_token: second.refresh_token } }),
      401,
      'unauthorized',
    );
  });

  test(`refresh with an unknown token is 401 and without one is 422 ${tag}`, async (t) => {
    await problemOf(
      t,
      await call(serverFor(db), 'POST', '/auth/refresh', { json: { refresh_token: 'not-a-real-token' } }),
      401,
      'unauthorized',
    );
    await problemOf(t, await call(serverFor(db), 'POST', '/auth/refresh', { json: {} }), 422, 'validation_failed');
  });

  test(`logout answers 204 and revokes the session ${tag}`, async (t) => {
    const server = serverFor(db);
    const tokens = await signedIn(server);
    const response = await call(server, 'POST', '/auth/logout', { json: { refresh_token: tokens.refresh_token } });
    t.is(response.status, 204);
    t.is(await response.text(), '');
    await problemOf(
      t,
      await call(server, 'POST', '/auth/refresh', { json: { refresh_token: tokens.refresh_token } }),
      401,
      'unauthorized',
    );
  });

  test(`me returns the signed-in user ${tag}`, async (t) => {
    const tokens = await signedIn(serverFor(db), 'admin');
    const response = await call(serverFor(db), 'GET', '/auth/me', { token: tokens.access_token });
    t.is(response.status, 200);
    const me = (await response.json()) as Record<string, unknown>;
    t.deepEqual(Object.keys(me).sort(), ['created_at', 'disabled', 'email', 'id', 'name', 'role']);
    t.like(me, { email: tokens.email, role: 'admin', id: subjectOf(tokens.access_token) });
  });

  test(`me without a token is 401 with a plain Bearer challenge ${tag}`, async (t) => {
    const response = await call(serverFor(db), 'GET', '/auth/me');
    t.is(response.headers.get('www-authenticate'), 'Bearer');
    await problemOf(t, response, 401, 'unauthorized');
    const basic = await call(serverFor(db), 'GET', '/auth/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    t.is(basic.headers.get('www-authenticate'), 'Bearer');
    await problemOf(t, basic, 401, 'unauthorized');
  });

  test(`tampered, expired, foreign and alg-none tokens are invalid_token ${tag}`, async (t) => {
    const server = serverFor(db);
    const { access_token } = await signedIn(server);
    const sub = subjectOf(access_token);
    const [header, payload, signature] = access_token.split('.') as [string, string, string];
    const elevated = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const none = (claims: Record<string, unknown>) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const bad = {
      'payload changed (role escalated)': `${header}.${elevated}.${signature}`,
      'signature flipped': `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
      expired: forgeToken({ ...claimsFor(sub), iat: now - 3600, exp: now - 1800 }),
      'other issuer': forgeToken({ ...claimsFor(sub), iss: 'someone-else' }),
      'other audience': forgeToken({ ...claimsFor(sub), aud: 'another-api' }),
      'alg none': none(claimsFor(sub, 'admin')),
      'HS512 header': forgeToken(claimsFor(sub), { alg: 'HS512', typ: 'JWT' }),
      'not a JWT': 'abc.def',
      garbage: 'x'.repeat(300),
    };
    for (const [label, token] of Object.entries(bad)) {
      const response = await call(server, 'GET', '/auth/me', { token });
      t.is(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"', label);
      await problemOf(t, response, 401, 'unauthorized');
    }
    // The forging helper itself is right: the same claims, unexpired, are accepted.
    t.is((await call(server, 'GET', '/auth/me', { token: forgeToken(claimsFor(sub)) })).status, 200);
  });

  test(`an Authorization header that is not a bearer token is rejected as malformed ${tag}`, async (t) => {
    const response = await call(serverFor(db), 'GET', '/auth/me', { headers: { authorization: 'Bearer a b c' } });
    t.is(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    await problemOf(t, response, 401, 'unauthorized');
  });
}
