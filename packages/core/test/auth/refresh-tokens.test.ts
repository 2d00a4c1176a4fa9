import { createHash } from 'node:crypto';
import test from 'ava';
import { RefreshTokenEntity } from '../../src/db/entities.js';
import { UnauthorizedError, ValidationError } from '../../src/errors.js';
import { PASSWORD, createActor, forEachDatabase } from './support.js';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

forEachDatabase((db, fixture) => {
  const auth = () => fixture().catalog.auth;
  const session = async (tag: string) => {
    const actor = await createActor(fixture().catalog, 'user', tag);
    return { actor, tokens: await auth().login({ email: actor.email, password: PASSWORD }) };
  };
  const refreshFails = (t: import('ava').ExecutionContext, refresh_token: string) =>
    t.throwsAsync(auth().refresh({ refresh_token }), { instanceOf: UnauthorizedError, code: 'unauthorized' });

  test(`refresh rotates: a new refresh token and a valid access token for the same user [${db.name}]`, async (t) => {
    const { actor, tokens } = await session('rotate');
    const next = await auth().refresh({ refresh_token: tokens.refresh_token });
    t.not(next.refresh_token, tokens.refresh_token);
    t.is(next.token_type, 'bearer');
    // The session (refresh-token family) stays the one of the login.
    const { session: loginSession } = await auth().verifyAccessToken(tokens.access_token);
    t.deepEqual(await auth().verifyAccessToken(next.access_token), {
      id: actor.id,
      role: 'user',
      session: loginSession,
    });
    const third = await auth().refresh({ refresh_token: next.refresh_token });
    t.not(third.refresh_token, next.refresh_token);
  });

  test(`refresh tokens are stored only as SHA-256 hashes, one family per login chain [${db.name}]`, async (t) => {
    const { actor, tokens } = await session('stored');
    const next = await auth().refresh({ refresh_token: tokens.refresh_token });
    const other = await auth().login({ email: actor.email, password: PASSWORD });
    const rows = await fixture()
      .orm.em.fork()
      .find(RefreshTokenEntity, { user_id: actor.id }, { orderBy: { created_at: 'asc', id: 'asc' } });
    t.deepEqual(rows.map((r) => r.token_hash).sort(), [tokens, next, other].map((x) => sha256(x.refresh_token)).sort());
    t.false(rows.some((r) => [tokens, next, other].some((x) => r.token_hash === x.refresh_token)));
    const first = rows.find((r) => r.token_hash === sha256(tokens.refresh_token))!;
    const second = rows.find((r) => r.token_hash === sha256(next.refresh_token))!;
    const third = rows.find((r) => r.token_hash === sha256(other.refresh_token))!;
    t.is(first.family_id, second.family_id);
    t.not(first.family_id, third.family_id);
    t.truthy(first.used_at);
    t.is(second.used_at, null);
    const ttl = second.expires_at.getTime() - second.created_at.getTime();
    t.is(ttl, fixture().catalog.config.refreshTokenTtl * 1000);
  });

  test(`reusing a used refresh token revokes the whole family, the newer token too [${db.name}]`, async (t) => {
    const { tokens } = await session('reuse');
    const next = await auth().refresh({ refresh_token: tokens.refresh_token });
    await refreshFails(t, tokens.refresh_token);
    await refreshFails(t, next.refresh_token);
  });

  test(`reuse in one session leaves the user's other sessions alone [${db.name}]`, async (t) => {
    const { actor, tokens } = await session('isolated');
    const other = await auth().login({ email: actor.email, password: PASSWORD });
    await auth().refresh({ refresh_token: tokens.refresh_token });
    await refreshFails(t, tokens.refresh_token);
    const fromOther = await auth().refresh({ refresh_token: other.refresh_token });
    t.truthy(fromOther.access_token);
  });

  test(`two concurrent refreshes of one token: only one succeeds [${db.name}]`, async (t) => {
    const { tokens } = await session('concurrent');
    const results = await Promise.allSettled([
      auth().refresh({ refresh_token: tokens.refresh_token }),
      auth().refresh({ refresh_token: tokens.refresh_token }),
      auth().refresh({ refresh_token: tokens.refresh_token }),
    ]);
    t.is(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') t.true(r.reason instanceof UnauthorizedError);
    // The losers count as reuse: the family is revoked, so the winner's new token is dead too.
    const winner = results.find((r) => r.status === 'fulfilled')!;
    await refreshFails(t, winner.value.refresh_token);
  });

  test(`an expired refresh token is refused [${db.name}]`, async (t) => {
    const { tokens } = await session('expired');
    await fixture()
      .orm.em.fork()
      .nativeUpdate(
        RefreshTokenEntity,
        { token_hash: sha256(tokens.refresh_token) },
        { expires_at: new Date(Date.now() - 1000) },
      );
    const error = await refreshFails(t, tokens.refresh_token);
    t.regex(error?.message ?? '', /expired/);
  });

  test(`an unknown refresh token is refused [${db.name}]`, async (t) => {
    await refreshFails(t, 'A'.repeat(43));
  });

  test(`logout revokes the session: neither its token nor the rotated one refreshes [${db.name}]`, async (t) => {
    const { tokens } = await session('logout');
    const next = await auth().refresh({ refresh_token: tokens.refresh_token });
    await auth().logout({ refresh_token: next.refresh_token });
    await refreshFails(t, next.refresh_token);
    const rows = await fixture()
      .orm.em.fork()
      .find(RefreshTokenEntity, { token_hash: { $in: [sha256(tokens.refresh_token), sha256(next.refresh_token)] } });
    t.is(rows.length, 2);
    t.true(rows.every((r) => r.revoked_at !== null));
  });

  test(`logout with an already rotated token of the session still ends it [${db.name}]`, async (t) => {
    const { tokens } = await session('logout-old');
    const next = await auth().refresh({ refresh_token: tokens.refresh_token });
    await auth().logout({ refresh_token: tokens.refresh_token });
    await refreshFails(t, next.refresh_token);
  });

  test(`logout of an unknown token or twice is not an error [${db.name}]`, async (t) => {
    const { tokens } = await session('logout-twice');
    await t.notThrowsAsync(auth().logout({ refresh_token: 'B'.repeat(43) }));
    await auth().logout({ refresh_token: tokens.refresh_token });
    await t.notThrowsAsync(auth().logout({ refresh_token: tokens.refresh_token }));
  });

  test(`refresh and logout need a refresh_token [${db.name}]`, async (t) => {
    await t.throwsAsync(auth().refresh({ refresh_token: '' }), { instanceOf: ValidationError });
    await t.throwsAsync(auth().logout({} as never), { instanceOf: ValidationError });
  });
});
