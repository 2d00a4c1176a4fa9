import { TokenResponseSchema } from '@catalog/contract';
import test from 'ava';
import bcrypt from 'bcryptjs';
import { observeBcrypt } from '../../src/auth/password-pool.js';
import { UnauthorizedError, ValidationError } from '../../src/errors.js';
import { PASSWORD, forEachDatabase, uniqueEmail } from './support.js';

forEachDatabase((db, fixture) => {
  // Serial, and first: it counts bcrypt compares, which concurrent tests would disturb.
  test.serial(
    `login with an unknown email still runs a bcrypt compare of the configured cost [${db.name}]`,
    async (t) => {
      const seen: string[] = [];
      // passwords.ts runs every bcrypt operation on the worker pool, which reports each one here.
      const stop = observeBcrypt((op, hash) => {
        if (op === 'compare') seen.push(String(hash));
      });
      try {
        await t.throwsAsync(fixture().catalog.auth.login({ email: uniqueEmail('ghost'), password: PASSWORD }), {
          instanceOf: UnauthorizedError,
        });
      } finally {
        stop();
      }
      t.is(seen.length, 1);
      t.is(bcrypt.getRounds(seen[0]!), fixture().catalog.config.bcryptCost);
    },
  );

  test(`login returns the contract's token response [${db.name}]`, async (t) => {
    const email = uniqueEmail('login');
    await fixture().catalog.auth.register({ email, password: PASSWORD });
    const tokens = await fixture().catalog.auth.login({ email, password: PASSWORD });
    t.true(TokenResponseSchema.safeParse(tokens).success);
    t.is(tokens.token_type, 'bearer');
    t.is(tokens.expires_in, fixture().catalog.config.accessTokenTtl);
    t.regex(tokens.refresh_token, /^[A-Za-z0-9_-]{43}$/, '256 random bits in base64url');
  });

  test(`login accepts the email in any case and with spaces [${db.name}]`, async (t) => {
    const email = uniqueEmail('case');
    const user = await fixture().catalog.auth.register({ email, password: PASSWORD });
    const tokens = await fixture().catalog.auth.login({ email: ` ${email.toUpperCase()} `, password: PASSWORD });
    t.is((await fixture().catalog.auth.verifyAccessToken(tokens.access_token)).id, user.id);
  });

  test(`wrong password and unknown email give the same error [${db.name}]`, async (t) => {
    const email = uniqueEmail('same');
    await fixture().catalog.auth.register({ email, password: PASSWORD });
    const wrongPassword = await t.throwsAsync(fixture().catalog.auth.login({ email, password: `${PASSWORD}!` }), {
      instanceOf: UnauthorizedError,
    });
    const unknownEmail = await t.throwsAsync(
      fixture().catalog.auth.login({ email: uniqueEmail('nobody'), password: PASSWORD }),
      {
        instanceOf: UnauthorizedError,
      },
    );
    t.is(wrongPassword?.code, 'unauthorized');
    t.is(wrongPassword?.message, unknownEmail?.message);
    t.is(wrongPassword?.message, UnauthorizedError.invalidCredentials().message);
  });

  test(`login refuses missing fields with a validation error [${db.name}]`, async (t) => {
    const error = await t.throwsAsync(fixture().catalog.auth.login({ email: '', password: '' }), {
      instanceOf: ValidationError,
    });
    t.deepEqual(error?.errors?.map((e) => e.path).sort(), ['email', 'password']);
  });
});
