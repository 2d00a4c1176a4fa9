import test from 'ava';
import type { Page, TokenResponse, User } from '@catalog/contract';
import { PASSWORD, call, email, problemOf, serversFor, signedIn, subjectOf, testDatabases } from './helpers.js';

const serverFor = serversFor(test);

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`PATCH /users/{id} disabled: a token issued before is refused at once, refresh and login stop; enable undoes it ${tag}`, async (t) => {
    const server = serverFor(db);
    const admin = await signedIn(server, 'admin');
    const user = await signedIn(server, 'user');
    const id = subjectOf(user.access_token);
    t.is((await call(server, 'GET', '/auth/me', { token: user.access_token })).status, 200);

    const patched = await call(server, 'PATCH', `/users/${id}`, {
      token: admin.access_token,
      json: { disabled: true },
    });
    t.is(patched.status, 200);
    t.like((await patched.json()) as User, { id, email: user.email, role: 'user', disabled: true });

    const refused = await call(server, 'GET', '/auth/me', { token: user.access_token });
    t.is(refused.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    t.is((await problemOf(t, refused, 401, 'unauthorized')).detail, 'This account is disabled');
    const refresh = await call(server, 'POST', '/auth/refresh', { json: { refresh_token: user.refresh_token } });
    await problemOf(t, refresh, 401, 'unauthorized');
    const login = await call(server, 'POST', '/auth/login', { json: { email: user.email, password: PASSWORD } });
    await problemOf(t, login, 401, 'unauthorized');

    const enabled = await call(server, 'PATCH', `/users/${id}`, {
      token: admin.access_token,
      json: { disabled: false },
    });
    t.like((await enabled.json()) as User, { disabled: false });
    t.is((await call(server, 'POST', '/auth/login', { json: { email: user.email, password: PASSWORD } })).status, 200);
  });

  test(`PATCH /users/{id} changes the role; admins only; bad input is 422, unknown ids 404 ${tag}`, async (t) => {
    const server = serverFor(db);
    const admin = await signedIn(server, 'admin');
    const user = await signedIn(server, 'user');
    const id = subjectOf(user.access_token);
    const promoted = await call(server, 'PATCH', `/users/${id}`, {
      token: admin.access_token,
      json: { role: 'admin' },
    });
    t.like((await promoted.json()) as User, { role: 'admin', disabled: false });

    const other = await signedIn(server, 'user');
    await problemOf(
      t,
      await call(server, 'PATCH', `/users/${id}`, { token: other.access_token, json: { disabled: true } }),
      403,
      'forbidden',
    );
    const bad = await problemOf(
      t,
      await call(server, 'PATCH', `/users/${id}`, { token: admin.access_token, json: { role: 'owner', disabled: 1 } }),
      422,
      'validation_failed',
    );
    t.deepEqual((bad.errors as { path: string }[]).map((e) => e.path).sort(), ['disabled', 'role']);
    await problemOf(
      t,
      await call(server, 'PATCH', '/users/0190a0b0-0000-7000-8000-0000000000ff', {
        token: admin.access_token,
        json: { disabled: true },
      }),
      404,
      'not_found',
    );
    const self = await call(server, 'PATCH', `/users/${subjectOf(admin.access_token)}`, {
      token: admin.access_token,
      json: { disabled: true },
    });
    await problemOf(t, self, 403, 'forbidden');
  });

  test(`GET /users pages with the cursor module and filters by role and email substring; admins only ${tag}`, async (t) => {
    const server = serverFor(db);
    const admin = await signedIn(server, 'admin');
    const marker = `m${Math.random().toString(36).slice(2, 8)}`;
    for (const [label, role] of [
      ['a', 'user'],
      ['b', 'admin'],
      ['c', 'user'],
    ] as const) {
      await server.catalog.users.create(
        { email: `${label}-${marker}@example.com`, password: PASSWORD, role },
        { actor: { id: subjectOf(admin.access_token), role: 'admin' } },
      );
    }
    const list = async (query: string) => {
      const response = await call(server, 'GET', `/users?${query}`, { token: admin.access_token });
      t.is(response.status, 200, query);
      return (await response.json()) as Page<User>;
    };
    const first = await list(`search=${marker.toUpperCase()}&role=user&sort_by=email&sort_order=asc&limit=1`);
    t.deepEqual(
      first.data.map((u) => u.email),
      [`a-${marker}@example.com`],
    );
    t.true(first.has_more);
    const second = await list(
      `search=${marker}&role=user&sort_by=email&sort_order=asc&limit=1&cursor=${encodeURIComponent(first.next_cursor!)}`,
    );
    t.deepEqual(
      second.data.map((u) => u.email),
      [`c-${marker}@example.com`],
    );
    t.is(second.next_cursor, null);
    const all = await list(`search=${marker}`);
    t.is(all.data.length, 3);

    const otherFilters = await call(
      server,
      'GET',
      `/users?search=${marker}&role=admin&sort_by=email&sort_order=asc&cursor=${encodeURIComponent(first.next_cursor!)}`,
      { token: admin.access_token },
    );
    await problemOf(t, otherFilters, 400, 'invalid_cursor');
    const unknown = await problemOf(
      t,
      await call(server, 'GET', '/users?colour=red&limit=0', { token: admin.access_token }),
      422,
      'validation_failed',
    );
    t.deepEqual((unknown.errors as { path: string }[]).map((e) => e.path).sort(), ['colour', 'limit']);
    const user = await signedIn(server, 'user');
    await problemOf(t, await call(server, 'GET', '/users', { token: user.access_token }), 403, 'forbidden');
    await problemOf(t, await call(server, 'GET', '/users'), 401, 'unauthorized');
  });

  test(`POST /auth/password changes the password, keeps this session and signs out the others ${tag}`, async (t) => {
    const server = serverFor(db);
    const address = email('passwd');
    t.is((await call(server, 'POST', '/auth/register', { json: { email: address, password: PASSWORD } })).status, 201);
    const signIn = async (password: string) =>
      call(server, 'POST', '/auth/login', { json: { email: address, password } });
    const mine = (await (await signIn(PASSWORD)).json()) as TokenResponse;
    const theirs = (await (await signIn(PASSWORD)).json()) as TokenResponse;

    const wrong = await call(server, 'POST', '/auth/password', {
      token: mine.access_token,
      json: { current_password: 'not the password', new_password: 'brand new secret' },
    });
    const problem = await problemOf(t, wrong, 422, 'validation_failed');
    t.deepEqual(problem.errors, [{ path: 'current_password', message: 'is not the current password' }]);
    const short = await call(server, 'POST', '/auth/password', {
      token: mine.access_token,
      json: { current_password: PASSWORD, new_password: 'short' },
    });
    t.deepEqual((await problemOf(t, short, 422, 'validation_failed')).errors, [
      { path: 'new_password', message: 'must be at least 8 characters' },
    ]);
    await problemOf(
      t,
      await call(server, 'POST', '/auth/password', {
        json: { current_password: PASSWORD, new_password: 'brand new secret' },
      }),
      401,
      'unauthorized',
    );

    const changed = await call(server, 'POST', '/auth/password', {
      token: mine.access_token,
      json: { current_password: PASSWORD, new_password: 'brand new secret' },
    });
    t.is(changed.status, 204);
    t.is(await changed.text(), '');
    await problemOf(t, await signIn(PASSWORD), 401, 'unauthorized');
    t.is((await signIn('brand new secret')).status, 200);
    const other = await call(server, 'POST', '/auth/refresh', { json: { refresh_token: theirs.refresh_token } });
    await problemOf(t, other, 401, 'unauthorized');
    const own = await call(server, 'POST', '/auth/refresh', { json: { refresh_token: mine.refresh_token } });
    t.is(own.status, 200);
  });
}
