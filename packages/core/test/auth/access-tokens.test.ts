import test from 'ava';
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { TEST_OPTIONS } from '@catalog/core/testing';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { deriveJwtKey } from '../../src/auth/tokens.js';
import { UnauthorizedError } from '../../src/errors.js';
import { PASSWORD, createActor, forEachDatabase, uniqueEmail } from './support.js';

const key = deriveJwtKey(TEST_OPTIONS.secret!);
const now = () => Math.floor(Date.now() / 1000);

/** Signs `claims` like the catalog would, letting each test break exactly one thing. */
function forge(claims: JWTPayload, options: { alg?: string; key?: Uint8Array; omit?: string[] } = {}): Promise<string> {
  const payload: JWTPayload = {
    sub: '0190a0b0-0000-7000-8000-000000000001',
    role: 'admin',
    iat: now(),
    exp: now() + 600,
    iss: 'catalog',
    aud: 'catalog-api',
    jti: 'x',
    ...claims,
  };
  const omitted = new Set(options.omit ?? []);
  const kept = Object.fromEntries(Object.entries(payload).filter(([name]) => !omitted.has(name)));
  return new SignJWT(kept).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' }).sign(options.key ?? key);
}

forEachDatabase((db, fixture) => {
  const rejects = async (t: import('ava').ExecutionContext, token: string) => {
    await t.throwsAsync(fixture().catalog.auth.verifyAccessToken(token), {
      instanceOf: UnauthorizedError,
      code: 'unauthorized',
    });
  };

  test(`an access token carries sub, role, iat, exp, iss, aud, jti, sid, HS256, and verifies to the actor [${db.name}]`, async (t) => {
    const email = uniqueEmail('claims');
    const user = await fixture().catalog.auth.register({ email, password: PASSWORD });
    const { access_token } = await fixture().catalog.auth.login({ email, password: PASSWORD });
    t.deepEqual(decodeProtectedHeader(access_token).alg, 'HS256');
    const claims = decodeJwt(access_token);
    t.is(claims.sub, user.id);
    t.is(claims.role, 'user');
    t.is(claims.iss, fixture().catalog.config.issuer);
    t.is(claims.aud, fixture().catalog.config.audience);
    t.is(typeof claims.jti, 'string');
    t.is(claims.exp! - claims.iat!, fixture().catalog.config.accessTokenTtl);
    t.is(typeof claims.sid, 'string', 'the session (refresh-token family) it was issued with');
    t.deepEqual(await fixture().catalog.auth.verifyAccessToken(access_token), {
      id: user.id,
      role: 'user',
      session: claims.sid as string,
    });
  });

  test(`every access token has its own jti [${db.name}]`, async (t) => {
    const actor = await createActor(fixture().catalog, 'user', 'jti');
    const a = await fixture().catalog.auth.login({ email: actor.email, password: PASSWORD });
    const b = await fixture().catalog.auth.login({ email: actor.email, password: PASSWORD });
    t.not(decodeJwt(a.access_token).jti, decodeJwt(b.access_token).jti);
  });

  test(`a forged token with the right key and claims is accepted (the baseline of the rejections) [${db.name}]`, async (t) => {
    t.deepEqual(await fixture().catalog.auth.verifyAccessToken(await forge({})), {
      id: '0190a0b0-0000-7000-8000-000000000001',
      role: 'admin',
    });
  });

  test(`a tampered token is rejected [${db.name}]`, async (t) => {
    const actor = await createActor(fixture().catalog, 'user', 'tamper');
    const { access_token } = await fixture().catalog.auth.login({ email: actor.email, password: PASSWORD });
    const [header, , signature] = access_token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(access_token), role: 'admin' })).toString('base64url');
    await rejects(t, `${header}.${payload}.${signature}`);
  });

  test(`an expired token is rejected [${db.name}]`, async (t) => {
    await rejects(t, await forge({ iat: now() - 3600, exp: now() - 1800 }));
  });

  test(`a token verified before (remembered) is still refused once it expires [${db.name}]`, async (t) => {
    // Seconds of margin: a loaded machine (CI runs suites side by side) can take one between two lines.
    const exp = now() + 5;
    const token = await forge({ exp });
    t.deepEqual(await fixture().catalog.auth.verifyAccessToken(token), {
      id: '0190a0b0-0000-7000-8000-000000000001',
      role: 'admin',
    });
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 1100));
    const error = await t.throwsAsync(fixture().catalog.auth.verifyAccessToken(token), {
      instanceOf: UnauthorizedError,
    });
    t.regex(error?.message ?? '', /expired/);
  });

  test(`after a token verified, a copy with its payload changed is still refused [${db.name}]`, async (t) => {
    const token = await forge({ role: 'user' });
    t.is((await fixture().catalog.auth.verifyAccessToken(token)).role, 'user');
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), role: 'admin' })).toString('base64url');
    await rejects(t, `${header}.${payload}.${signature}`);
    // The remembered actor is a copy: changing what a caller got back changes nothing.
    const actor = await fixture().catalog.auth.verifyAccessToken(token);
    (actor as { role: string }).role = 'admin';
    t.is((await fixture().catalog.auth.verifyAccessToken(token)).role, 'user');
  });

  test(`a token for another audience or from another issuer is rejected [${db.name}]`, async (t) => {
    await rejects(t, await forge({ aud: 'someone-else' }));
    await rejects(t, await forge({ iss: 'someone-else' }));
  });

  test(`tokens without exp, iss, aud or sub are rejected [${db.name}]`, async (t) => {
    for (const claim of ['exp', 'iss', 'aud', 'sub']) await rejects(t, await forge({}, { omit: [claim] }));
  });

  test(`a token with an unknown role is rejected [${db.name}]`, async (t) => {
    await rejects(t, await forge({ role: 'superuser' }));
  });

  test(`alg none is rejected [${db.name}]`, async (t) => {
    const unsecured = new UnsecuredJWT({ role: 'admin' })
      .setSubject(SYSTEM_ACTOR.id)
      .setIssuer('catalog')
      .setAudience('catalog-api')
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    await rejects(t, unsecured);
  });

  test(`an HS512 token signed with the same key is rejected: HS256 is pinned [${db.name}]`, async (t) => {
    await rejects(t, await forge({}, { alg: 'HS512' }));
    await rejects(t, await forge({}, { alg: 'HS384' }));
  });

  test(`a token signed with the raw secret instead of the derived key is rejected [${db.name}]`, async (t) => {
    await rejects(t, await forge({}, { key: new TextEncoder().encode(TEST_OPTIONS.secret!) }));
  });

  test(`garbage is rejected [${db.name}]`, async (t) => {
    await rejects(t, 'not.a.jwt');
    await rejects(t, '');
  });

  test(`a role change shows in the next token, not in the ones already issued [${db.name}]`, async (t) => {
    const actor = await createActor(fixture().catalog, 'user', 'promoted');
    const before = await fixture().catalog.auth.login({ email: actor.email, password: PASSWORD });
    await fixture().catalog.users.setRole(actor.email, 'admin', { actor: SYSTEM_ACTOR });
    t.is((await fixture().catalog.auth.verifyAccessToken(before.access_token)).role, 'user');
    const refreshed = await fixture().catalog.auth.refresh({ refresh_token: before.refresh_token });
    t.is((await fixture().catalog.auth.verifyAccessToken(refreshed.access_token)).role, 'admin');
  });
});
