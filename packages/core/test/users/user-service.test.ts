import { UserSchema } from '@catalog/contract';
import test from 'ava';
import { uuidv7 } from 'uuidv7';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../src/errors.js';
import { PASSWORD, createActor, forEachDatabase, uniqueEmail } from '../auth/support.js';

const admin = { actor: SYSTEM_ACTOR };

forEachDatabase((db, fixture) => {
  const users = () => fixture().catalog.users;

  test(`an admin creates users with a role, and they can log in [${db.name}]`, async (t) => {
    const email = uniqueEmail('Created');
    const user = await users().create(
      { email: ` ${email.toUpperCase()}`, password: PASSWORD, role: 'admin', name: 'Op' },
      admin,
    );
    t.true(UserSchema.safeParse(user).success);
    t.like(user, { email: email.toLowerCase(), role: 'admin', name: 'Op' });
    t.false('password_hash' in user);
    const tokens = await fixture().catalog.auth.login({ email, password: PASSWORD });
    t.is((await fixture().catalog.auth.verifyAccessToken(tokens.access_token)).role, 'admin');
  });

  test(`create defaults the role to user [${db.name}]`, async (t) => {
    t.is((await users().create({ email: uniqueEmail('default'), password: PASSWORD }, admin)).role, 'user');
  });

  test(`a user cannot create users; nobody can without an actor [${db.name}]`, async (t) => {
    const actor = await createActor(fixture().catalog, 'user');
    const input = { email: uniqueEmail('denied'), password: PASSWORD, role: 'admin' as const };
    await t.throwsAsync(users().create(input, { actor }), { instanceOf: ForbiddenError, code: 'forbidden' });
    await t.throwsAsync(users().create(input), { instanceOf: UnauthorizedError });
    await t.throwsAsync(fixture().catalog.auth.login({ email: input.email, password: PASSWORD }), {
      instanceOf: UnauthorizedError,
    });
  });

  test(`create validates the input and refuses a taken email in another case [${db.name}]`, async (t) => {
    const bad = await t.throwsAsync(
      users().create({ email: uniqueEmail('bad'), password: PASSWORD, role: 'root' as never }, admin),
      { instanceOf: ValidationError },
    );
    t.deepEqual(
      bad?.errors?.map((e) => e.path),
      ['role'],
    );
    const email = uniqueEmail('taken');
    await fixture().catalog.auth.register({ email, password: PASSWORD });
    await t.throwsAsync(users().create({ email: email.toUpperCase(), password: PASSWORD }, admin), {
      instanceOf: ConflictError,
    });
  });

  test(`get: admins read anyone, a user only themself [${db.name}]`, async (t) => {
    const self = await createActor(fixture().catalog, 'user', 'self');
    const other = await createActor(fixture().catalog, 'user', 'other');
    const adminActor = await createActor(fixture().catalog, 'admin', 'reader');
    t.is((await users().get(self.id, { actor: self })).email, self.email);
    t.is((await users().get(other.id, { actor: adminActor })).email, other.email);
    await t.throwsAsync(users().get(other.id, { actor: self }), { instanceOf: ForbiddenError });
    await t.throwsAsync(users().get(other.id), { instanceOf: UnauthorizedError });
  });

  test(`get of an unknown or malformed id is not found [${db.name}]`, async (t) => {
    await t.throwsAsync(users().get(uuidv7(), admin), { instanceOf: NotFoundError, code: 'not_found' });
    await t.throwsAsync(users().get('nope', admin), { instanceOf: NotFoundError });
  });

  test(`setRole by email or id (admin only) [${db.name}]`, async (t) => {
    const target = await createActor(fixture().catalog, 'user', 'target');
    const promoted = await users().setRole(` ${target.email.toUpperCase()} `, 'admin', admin);
    t.like(promoted, { id: target.id, role: 'admin' });
    t.is((await users().get(target.id, admin)).role, 'admin');
    const demoted = await users().setRole(target.id, 'user', admin);
    t.is(demoted.role, 'user');
    t.is((await users().get(target.id, admin)).role, 'user');
  });

  test(`a user cannot set roles, not even their own [${db.name}]`, async (t) => {
    const actor = await createActor(fixture().catalog, 'user', 'climber');
    await t.throwsAsync(users().setRole(actor.id, 'admin', { actor }), { instanceOf: ForbiddenError });
    await t.throwsAsync(users().setRole(actor.id, 'admin'), { instanceOf: UnauthorizedError });
    t.is((await users().get(actor.id, admin)).role, 'user');
  });

  test(`setRole refuses unknown roles and unknown users [${db.name}]`, async (t) => {
    const target = await createActor(fixture().catalog, 'user', 'role-check');
    const error = await t.throwsAsync(users().setRole(target.id, 'owner' as never, admin), {
      instanceOf: ValidationError,
    });
    t.deepEqual(
      error?.errors?.map((e) => e.path),
      ['role'],
    );
    await t.throwsAsync(users().setRole(uniqueEmail('missing'), 'admin', admin), { instanceOf: NotFoundError });
    await t.throwsAsync(users().setRole(uuidv7(), 'admin', admin), { instanceOf: NotFoundError });
  });
});
