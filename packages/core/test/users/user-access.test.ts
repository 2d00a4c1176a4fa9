import test from 'ava';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { loginFailureKey } from '../../src/auth/login-failures.js';
import { createCatalog } from '../../src/catalog.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../src/errors.js';
import { TEST_OPTIONS } from '../../src/testing.js';
import { PASSWORD, createActor, forEachDatabase } from '../auth/support.js';

const admin = { actor: SYSTEM_ACTOR };

forEachDatabase((db, fixture) => {
  const catalog = () => fixture().catalog;

  test(`disabling a user refuses the access token it already holds at once, revokes its sessions and stops sign-in [${db.name}]`, async (t) => {
    const user = await createActor(catalog(), 'user', 'disabled');
    const tokens = await catalog().auth.login({ email: user.email, password: PASSWORD });
    // Verified once, so the signature check is remembered: the disable must still win.
    t.is((await catalog().auth.verifyAccessToken(tokens.access_token)).id, user.id);

    const disabled = await catalog().users.update(user.email, { disabled: true }, admin);
    t.like(disabled, { id: user.id, disabled: true });

    const refused = await t.throwsAsync(catalog().auth.verifyAccessToken(tokens.access_token), {
      instanceOf: UnauthorizedError,
    });
    t.is(refused?.message, 'This account is disabled');
    await t.throwsAsync(catalog().auth.refresh({ refresh_token: tokens.refresh_token }), {
      instanceOf: UnauthorizedError,
    });
    const login = await t.throwsAsync(catalog().auth.login({ email: user.email, password: PASSWORD }), {
      instanceOf: UnauthorizedError,
    });
    t.is(login?.message, 'This account is disabled');
    // A wrong password still hears only "invalid credentials": the state is told only to the owner.
    const wrong = await t.throwsAsync(catalog().auth.login({ email: user.email, password: 'not the password' }));
    t.is(wrong?.message, 'Invalid email or password');

    t.like(await catalog().users.update(user.id, { disabled: false }, admin), { disabled: false });
    const again = await catalog().auth.login({ email: user.email, password: PASSWORD });
    t.is((await catalog().auth.verifyAccessToken(again.access_token)).id, user.id);
  });

  test(`a disable made through another catalog on the same database is seen by the next verification [${db.name}]`, async (t) => {
    const user = await createActor(catalog(), 'user', 'elsewhere');
    const { access_token } = await catalog().auth.login({ email: user.email, password: PASSWORD });
    t.is((await catalog().auth.verifyAccessToken(access_token)).id, user.id);
    const other = await createCatalog({ ...TEST_OPTIONS, database: catalog().url });
    try {
      await other.users.update(user.id, { disabled: true }, admin);
    } finally {
      await other.close();
    }
    await t.throwsAsync(catalog().auth.verifyAccessToken(access_token), { instanceOf: UnauthorizedError });
  });

  test(`update changes the role, refuses an admin disabling itself, unknown users and bad fields [${db.name}]`, async (t) => {
    const user = await createActor(catalog(), 'user', 'patched');
    t.like(await catalog().users.update(user.id, { role: 'admin' }, admin), { role: 'admin', disabled: false });
    const self = await createActor(catalog(), 'admin', 'self');
    await t.throwsAsync(catalog().users.update(self.id, { disabled: true }, { actor: self }), {
      instanceOf: ForbiddenError,
    });
    await t.throwsAsync(catalog().users.update(user.id, { disabled: true }, { actor: { ...user, role: 'user' } }), {
      instanceOf: ForbiddenError,
    });
    await t.throwsAsync(catalog().users.update('nobody@example.com', { disabled: true }, admin), {
      instanceOf: NotFoundError,
    });
    const bad = await t.throwsAsync(
      catalog().users.update(user.id, { disabled: 'yes', colour: 'red' } as never, admin),
      { instanceOf: ValidationError },
    );
    t.deepEqual(bad?.errors?.map((e) => e.path).sort(), ['colour', 'disabled']);
  });

  test(`changePassword keeps the caller's session, revokes the others and needs the current password [${db.name}]`, async (t) => {
    const user = await createActor(catalog(), 'user', 'passwd');
    const mine = await catalog().auth.login({ email: user.email, password: PASSWORD });
    const theirs = await catalog().auth.login({ email: user.email, password: PASSWORD });
    const actor = await catalog().auth.verifyAccessToken(mine.access_token);

    const wrong = await t.throwsAsync(
      catalog().auth.changePassword({ current_password: 'not it at all', new_password: 'new password 1' }, { actor }),
      { instanceOf: ValidationError },
    );
    t.deepEqual(wrong?.errors, [{ path: 'current_password', message: 'is not the current password' }]);
    const short = await t.throwsAsync(
      catalog().auth.changePassword({ current_password: PASSWORD, new_password: 'short' }, { actor }),
      { instanceOf: ValidationError },
    );
    t.deepEqual(short?.errors, [{ path: 'new_password', message: 'must be at least 8 characters' }]);

    await catalog().auth.changePassword({ current_password: PASSWORD, new_password: 'new password 1' }, { actor });
    await t.throwsAsync(catalog().auth.login({ email: user.email, password: PASSWORD }), {
      instanceOf: UnauthorizedError,
    });
    t.truthy((await catalog().auth.login({ email: user.email, password: 'new password 1' })).access_token);
    await t.throwsAsync(catalog().auth.refresh({ refresh_token: theirs.refresh_token }), {
      instanceOf: UnauthorizedError,
    });
    t.truthy((await catalog().auth.refresh({ refresh_token: mine.refresh_token })).access_token);
  });

  test(`setPassword (operator) sets a new password and signs out every session [${db.name}]`, async (t) => {
    const user = await createActor(catalog(), 'user', 'reset');
    const session = await catalog().auth.login({ email: user.email, password: PASSWORD });
    t.like(await catalog().users.setPassword(user.email, 'operator chose', admin), { id: user.id });
    await t.throwsAsync(catalog().auth.refresh({ refresh_token: session.refresh_token }), {
      instanceOf: UnauthorizedError,
    });
    t.truthy((await catalog().auth.login({ email: user.email, password: 'operator chose' })).access_token);
    const short = await t.throwsAsync(catalog().users.setPassword(user.email, 'short', admin), {
      instanceOf: ValidationError,
    });
    t.deepEqual(short?.errors, [{ path: 'password', message: 'must be at least 8 characters' }]);
    await t.throwsAsync(catalog().users.setPassword(user.email, 'operator chose', { actor: user }), {
      instanceOf: ForbiddenError,
    });
  });

  test(`unlock clears the failed-login counts of one account from every address, and no other's [${db.name}]`, async (t) => {
    const user = await createActor(catalog(), 'user', 'locked');
    const other = await createActor(catalog(), 'user', 'untouched');
    const { rateLimits } = catalog();
    for (const ip of ['203.0.113.1', '2001:db8::1'])
      await rateLimits.increment(loginFailureKey(user.email, ip), 60_000);
    await rateLimits.increment(loginFailureKey(other.email, '203.0.113.1'), 60_000);

    t.like(await catalog().users.unlock(user.email.toUpperCase(), admin), { id: user.id });
    t.is(await rateLimits.get(loginFailureKey(user.email, '203.0.113.1')), null);
    t.is(await rateLimits.get(loginFailureKey(user.email, '2001:db8::1')), null);
    t.is((await rateLimits.get(loginFailureKey(other.email, '203.0.113.1')))?.count, 1);
    await t.throwsAsync(catalog().users.unlock('nobody@example.com', admin), { instanceOf: NotFoundError });
  });
});
