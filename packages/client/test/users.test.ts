import test from 'ava';
import { testDatabases } from '@catalog/core/testing';
import { createClient } from '../src/index.js';
import { PASSWORD, rejectsWith, signedInClient, useServer } from './support/server.js';

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test(`users.list filters by role and email; users.update disables a signed-in user at once [${db.name}]`, async (t) => {
    const { client: admin } = await signedInClient(live(), 'admin');
    const { client: user, email } = await signedInClient(live(), 'user');
    const me = await user.auth.me();

    const page = await admin.users.list({ search: email.toUpperCase(), role: 'user' });
    t.deepEqual(
      page.data.map((u) => u.id),
      [me.id],
    );
    t.deepEqual((await admin.users.list({ search: email, role: 'admin' })).data, []);
    await rejectsWith(t, user.users.list(), 403, 'forbidden');

    const disabled = await admin.users.update(me.id, { disabled: true });
    t.like(disabled, { id: me.id, disabled: true });
    // The client still holds the tokens from before: the server refuses them, and the refresh too.
    await rejectsWith(t, user.auth.me(), 401, 'unauthorized');
    t.false(user.auth.isSignedIn, 'the refused refresh cleared the session');
    await rejectsWith(
      t,
      createClient({ baseUrl: live().url }).auth.login({ email, password: PASSWORD }),
      401,
      'unauthorized',
    );

    t.like(await admin.users.update(me.id, { disabled: false, role: 'admin' }), { disabled: false, role: 'admin' });
    await rejectsWith(t, admin.users.update(me.id, { disabled: 'no' as never }), 422, 'validation_failed');
  });

  test(`auth.changePassword keeps this session and signs out the others [${db.name}]`, async (t) => {
    const { client, email } = await signedInClient(live(), 'user');
    const other = createClient({ baseUrl: live().url });
    await other.auth.login({ email, password: PASSWORD });

    const wrong = await rejectsWith(
      t,
      client.auth.changePassword({ current_password: 'not it at all', new_password: 'a brand new one' }),
      422,
      'validation_failed',
    );
    t.deepEqual(
      wrong?.errors.map((e) => e.path),
      ['current_password'],
    );
    await client.auth.changePassword({ current_password: PASSWORD, new_password: 'a brand new one' });
    await client.auth.refresh();
    t.is((await client.auth.me()).email, email);
    await rejectsWith(t, other.auth.refresh(), 401, 'unauthorized');
  });
}
