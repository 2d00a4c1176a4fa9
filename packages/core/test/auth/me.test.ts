import test from 'ava';
import { uuidv7 } from 'uuidv7';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { UnauthorizedError } from '../../src/errors.js';
import { PASSWORD, forEachDatabase, uniqueEmail } from './support.js';

forEachDatabase((db, fixture) => {
  test(`me returns the current account of the token's actor [${db.name}]`, async (t) => {
    const email = uniqueEmail('me');
    const user = await fixture().catalog.auth.register({ email, password: PASSWORD, name: 'Me' });
    const { access_token } = await fixture().catalog.auth.login({ email, password: PASSWORD });
    const actor = await fixture().catalog.auth.verifyAccessToken(access_token);
    t.deepEqual(await fixture().catalog.auth.me({ actor }), user);
  });

  test(`me shows the current role even when the token still has the old one [${db.name}]`, async (t) => {
    const email = uniqueEmail('me-role');
    const user = await fixture().catalog.auth.register({ email, password: PASSWORD });
    await fixture().catalog.users.setRole(user.id, 'admin', { actor: SYSTEM_ACTOR });
    t.is((await fixture().catalog.auth.me({ actor: { id: user.id, role: 'user' } })).role, 'admin');
  });

  test(`me without an actor is unauthorized [${db.name}]`, async (t) => {
    await t.throwsAsync(fixture().catalog.auth.me(), { instanceOf: UnauthorizedError });
    await t.throwsAsync(fixture().catalog.auth.me({ actor: null }), { instanceOf: UnauthorizedError });
  });

  test(`me for an account that no longer exists is unauthorized, not not-found [${db.name}]`, async (t) => {
    await t.throwsAsync(fixture().catalog.auth.me({ actor: { id: uuidv7(), role: 'user' } }), {
      instanceOf: UnauthorizedError,
      code: 'unauthorized',
    });
    await t.throwsAsync(fixture().catalog.auth.me({ actor: { id: 'not-a-uuid', role: 'user' } }), {
      instanceOf: UnauthorizedError,
    });
  });
});
