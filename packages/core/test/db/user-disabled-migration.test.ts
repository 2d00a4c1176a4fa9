import { testDatabases } from '@catalog/core/testing';
import test from 'ava';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { createCatalog } from '../../src/catalog.js';
import { resolveConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { TEST_OPTIONS } from '../../src/testing.js';
import { hashPassword } from '../../src/auth/passwords.js';

const BEFORE = '0011-search-trigram-stats';

for (const db of testDatabases()) {
  test(`0014 adds users.disabled_at to a database that already has users, who stay enabled [${db.name}]`, async (t) => {
    const { url, drop } = await db.create();
    t.teardown(drop);
    // A database as the previous release left it: migrated up to before 0014, with a user.
    const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: url, migrate: false }, {}));
    try {
      await orm.getMigrator().up({ to: BEFORE });
      await orm.em
        .getConnection()
        .execute(
          'insert into users (id, email, name, role, password_hash, created_at) values (?, ?, ?, ?, ?, ?)',
          [
            '0190a0b0-0000-7000-8000-0000000000aa',
            'old@example.com',
            null,
            'admin',
            await hashPassword('old password', 4),
            new Date('2025-01-02T03:04:05.678Z'),
          ],
          'run',
        );
    } finally {
      await orm.close(true);
    }

    const catalog = await createCatalog({ ...TEST_OPTIONS, database: url });
    try {
      t.true((await catalog.migrations.executed()).includes('0014-user-disabled'));
      const page = await catalog.users.list({}, { actor: SYSTEM_ACTOR });
      t.deepEqual(page.data, [
        {
          id: '0190a0b0-0000-7000-8000-0000000000aa',
          email: 'old@example.com',
          name: null,
          role: 'admin',
          disabled: false,
          created_at: '2025-01-02T03:04:05.678Z',
        },
      ]);
      const tokens = await catalog.auth.login({ email: 'old@example.com', password: 'old password' });
      t.is((await catalog.auth.verifyAccessToken(tokens.access_token)).role, 'admin');
      t.like(await catalog.users.update('old@example.com', { disabled: true }, { actor: SYSTEM_ACTOR }), {
        disabled: true,
      });
    } finally {
      await catalog.close();
    }
  });
}
