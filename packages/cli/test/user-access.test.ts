import test from 'ava';
import type { User } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { createServer } from '@catalog/server';
import { cliOn } from './helpers/cli.js';

const PASSWORD = 'correct horse battery';

for (const db of testDatabases()) {
  test(`users passwd --password-stdin sets the password without printing it and signs out its sessions [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      await catalog.users.create({ email: 'ada@example.com', password: PASSWORD }, { actor: SYSTEM_ACTOR });
      const session = await catalog.auth.login({ email: 'ada@example.com', password: PASSWORD });
      const cli = cliOn(catalog.url);
      const secret = 'Fresh-Pass-5c2e';
      const changed = await cli(['users', 'passwd', 'Ada@Example.com', '--password-stdin'], { input: `${secret}\n` });
      t.is(changed.code, 0, changed.stderr);
      t.is(changed.stdout, '');
      t.is(changed.stderr, 'changed the password of ada@example.com; its sessions are signed out\n');
      t.truthy((await catalog.auth.login({ email: 'ada@example.com', password: secret })).access_token);
      await t.throwsAsync(catalog.auth.login({ email: 'ada@example.com', password: PASSWORD }), {
        code: 'unauthorized',
      });
      await t.throwsAsync(catalog.auth.refresh({ refresh_token: session.refresh_token }), { code: 'unauthorized' });

      const short = await cli(['users', 'passwd', 'ada@example.com', '--password-stdin'], { input: 'short\n' });
      t.is(short.code, 2, 'bad input is a usage error');
      t.regex(short.stderr, /invalid input: password: must be at least 8 characters/);
      const missing = await cli(['users', 'passwd', 'nobody@example.com', '--password-stdin'], {
        input: `${secret}\n`,
      });
      t.is(missing.code, 1);
      t.regex(missing.stderr, /nobody@example\.com not found/);
    } finally {
      await catalog.destroy();
    }
  });

  test(`users disable refuses a running server's already-issued token at once; enable lets the user back in [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    const running = await createServer(catalog, { logger: false, env: {} }).listen(0, '127.0.0.1');
    try {
      await catalog.users.create({ email: 'bob@example.com', password: PASSWORD }, { actor: SYSTEM_ACTOR });
      const login = () =>
        fetch(`${running.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'bob@example.com', password: PASSWORD }),
        });
      const { access_token } = (await (await login()).json()) as { access_token: string };
      const me = () => fetch(`${running.url}/auth/me`, { headers: { authorization: `Bearer ${access_token}` } });
      t.is((await me()).status, 200);

      const cli = cliOn(catalog.url);
      const disabled = await cli(['users', 'disable', 'bob@example.com', '--format', 'json']);
      t.is(disabled.code, 0, disabled.stderr);
      t.like(JSON.parse(disabled.stdout) as User, { email: 'bob@example.com', disabled: true });
      // Another process disabled the account: the server refuses the token it verified a moment ago.
      t.is((await me()).status, 401);
      t.is((await login()).status, 401);

      const enabled = await cli(['users', 'enable', 'bob@example.com', '--format', 'json']);
      t.is(enabled.code, 0, enabled.stderr);
      t.like(JSON.parse(enabled.stdout) as User, { disabled: false });
      t.is((await login()).status, 200);
    } finally {
      await running.close();
      await catalog.destroy();
    }
  });

  test(`users unlock clears the failed-login counts a running server refuses with [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    const server = createServer(catalog, { logger: false, env: {}, loginFailureLimit: 2, authPerIpLimit: 0 });
    const running = await server.listen(0, '127.0.0.1');
    try {
      await catalog.users.create({ email: 'cy@example.com', password: PASSWORD }, { actor: SYSTEM_ACTOR });
      const login = (password: string) =>
        fetch(`${running.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'cy@example.com', password }),
        });
      t.is((await login('wrong password')).status, 401);
      t.is((await login('wrong password')).status, 401);
      t.is((await login(PASSWORD)).status, 429);

      const unlocked = await cliOn(catalog.url)(['users', 'unlock', 'CY@example.com']);
      t.is(unlocked.code, 0, unlocked.stderr);
      t.is(unlocked.stderr, 'unlocked cy@example.com: its failed-login counts are cleared\n');
      t.is((await login(PASSWORD)).status, 200);

      const unknown = await cliOn(catalog.url)(['users', 'unlock', 'nobody@example.com']);
      t.is(unknown.code, 1);
    } finally {
      await running.close();
      await catalog.destroy();
    }
  });
}
