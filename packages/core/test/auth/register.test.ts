import { UserSchema } from '@catalog/contract';
import test from 'ava';
import bcrypt from 'bcryptjs';
import { UserEntity } from '../../src/db/entities.js';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { PASSWORD, forEachDatabase, uniqueEmail } from './support.js';

forEachDatabase((db, fixture) => {
  test(`register trims and lower-cases the email and returns the wire shape [${db.name}]`, async (t) => {
    const email = uniqueEmail('Ada');
    const user = await fixture().catalog.auth.register({ email: `  ${email.toUpperCase()} `, password: PASSWORD });
    t.is(user.email, email.toLowerCase());
    t.is(user.role, 'user');
    t.is(user.name, null);
    t.true(UserSchema.safeParse(user).success);
    t.regex(user.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    t.deepEqual(Object.keys(user).sort(), ['created_at', 'disabled', 'email', 'id', 'name', 'role']);
  });

  test(`register keeps a trimmed name [${db.name}]`, async (t) => {
    const user = await fixture().catalog.auth.register({
      email: uniqueEmail('named'),
      password: PASSWORD,
      name: '  Ada Lovelace ',
    });
    t.is(user.name, 'Ada Lovelace');
  });

  test(`register refuses an email taken in another letter case [${db.name}]`, async (t) => {
    const email = uniqueEmail('dup');
    await fixture().catalog.auth.register({ email, password: PASSWORD });
    await t.throwsAsync(fixture().catalog.auth.register({ email: email.toUpperCase(), password: PASSWORD }), {
      instanceOf: ConflictError,
      code: 'conflict',
    });
  });

  test(`two racing registrations of one email: exactly one wins [${db.name}]`, async (t) => {
    const email = uniqueEmail('race');
    const results = await Promise.allSettled([
      fixture().catalog.auth.register({ email, password: PASSWORD }),
      fixture().catalog.auth.register({ email, password: PASSWORD }),
    ]);
    t.is(results.filter((r) => r.status === 'fulfilled').length, 1);
    const failure = results.find((r) => r.status === 'rejected');
    t.true(failure?.status === 'rejected' && failure.reason instanceof ConflictError);
  });

  test(`register accepts exactly 72 UTF-8 bytes and refuses 73 (multi-byte characters) [${db.name}]`, async (t) => {
    // 'é' is 2 bytes (UTF-8): 36 of them are 36 characters but 72 bytes.
    const seventyTwo = 'é'.repeat(36);
    const user = await fixture().catalog.auth.register({ email: uniqueEmail('bytes72'), password: seventyTwo });
    t.truthy(user.id);
    const seventyThree = `${'é'.repeat(36)}x`;
    t.is(seventyThree.length, 37, 'far under 72 characters, yet over 72 bytes');
    const error = await t.throwsAsync(
      fixture().catalog.auth.register({ email: uniqueEmail('bytes73'), password: seventyThree }),
      {
        instanceOf: ValidationError,
        code: 'validation_failed',
      },
    );
    t.deepEqual(
      error?.errors?.map((e) => e.path),
      ['password'],
    );
  });

  test(`register refuses passwords under 8 bytes and malformed emails, one error per field [${db.name}]`, async (t) => {
    const error = await t.throwsAsync(fixture().catalog.auth.register({ email: 'not-an-email', password: 'short' }), {
      instanceOf: ValidationError,
    });
    t.deepEqual(error?.errors?.map((e) => e.path).sort(), ['email', 'password']);
  });

  test(`register refuses unknown fields such as role [${db.name}]`, async (t) => {
    const input = { email: uniqueEmail('sneaky'), password: PASSWORD, role: 'admin' };
    await t.throwsAsync(fixture().catalog.auth.register(input as never), { instanceOf: ValidationError });
  });

  test(`the password is stored only as a bcrypt hash of the configured cost [${db.name}]`, async (t) => {
    const email = uniqueEmail('hash');
    await fixture().catalog.auth.register({ email, password: PASSWORD });
    const row = await fixture().orm.em.fork().findOneOrFail(UserEntity, { email });
    t.not(row.password_hash, PASSWORD);
    t.is(bcrypt.getRounds(row.password_hash), fixture().catalog.config.bcryptCost);
    t.true(await bcrypt.compare(PASSWORD, row.password_hash));
  });
});
