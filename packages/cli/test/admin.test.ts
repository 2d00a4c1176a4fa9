import { writeFile } from 'node:fs/promises';
import test from 'ava';
import type { DashboardSummary, Page, User } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { cliOn } from './helpers/cli.js';

for (const db of testDatabases()) {
  test(`users create reads the password from stdin and never prints it; list and set-role [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const cli = cliOn(catalog.url);
      const password = 'Secret-Pass-8d1f';
      const created = await cli(
        [
          'users',
          'create',
          '--email',
          'Ada@Example.com',
          '--name',
          'Ada',
          '--role',
          'admin',
          '--password-stdin',
          '--format',
          'json',
        ],
        {
          input: `${password}\n`,
        },
      );
      t.is(created.code, 0, created.stderr);
      t.like(JSON.parse(created.stdout), { email: 'ada@example.com', name: 'Ada', role: 'admin' });
      t.false(created.stdout.includes(password) || created.stderr.includes(password));
      // The trailing newline of the piped input is not part of the password.
      t.truthy((await catalog.auth.login({ email: 'ada@example.com', password })).access_token);

      const [listed, demoted] = await Promise.all([
        cli(['users', 'list', '--format', 'json']),
        cli(['users', 'set-role', 'ada@example.com', 'user', '--format', 'ndjson']),
      ]);
      const page = JSON.parse(listed.stdout) as Page<User>;
      t.deepEqual(Object.keys(page), ['data', 'next_cursor', 'prev_cursor', 'has_more']);
      t.deepEqual(
        page.data.map((u) => u.email),
        ['ada@example.com'],
      );
      t.is(demoted.code, 0, demoted.stderr);
      t.like(JSON.parse(demoted.stdout), { email: 'ada@example.com', role: 'user' });
    } finally {
      await catalog.destroy();
    }
  });

  test(`dashboard --format json is the summary; the table shows it [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      await catalog.products.createMany(
        [
          { name: 'Kettle', category: 'Kitchen', price: 30, rating: 4 },
          { name: 'Atlas', category: 'Books', price: 12.5, rating: 3 },
          { name: 'Pan', category: 'Kitchen', price: 45, rating: null },
        ],
        { actor: SYSTEM_ACTOR },
      );
      const cli = cliOn(catalog.url);
      const [json, table] = await Promise.all([
        cli(['dashboard', '--format', 'json']),
        cli(['dashboard', '--format', 'table']),
      ]);
      t.is(json.code, 0, json.stderr);
      const summary = JSON.parse(json.stdout) as DashboardSummary;
      t.deepEqual(summary, await catalog.dashboard.summary());
      t.like(summary, { total_products: 3, average_rating: 3.5 });
      t.regex(table.stdout, /│ total products │ 3 +│/);
      t.regex(table.stdout, /│ average rating │ 3\.50 +│/);
      t.regex(table.stdout, /│ highest priced │ Pan \(45\.00, /);
      t.regex(table.stdout, /│ Kitchen +│ +2 │/);
    } finally {
      await catalog.destroy();
    }
  });

  test(`db status lists pending migrations, db migrate applies them [${db.name}]`, async (t) => {
    const fresh = await db.create();
    try {
      // An empty file: a SQLite database with no tables yet (status refuses a missing file).
      if (fresh.url.startsWith('sqlite:')) await writeFile(fresh.url.slice('sqlite:'.length), '');
      const cli = cliOn(fresh.url);
      const before = await cli(['db', 'status', '--format', 'json']);
      t.is(before.code, 0, before.stderr);
      const pending = JSON.parse(before.stdout) as { executed: string[]; pending: string[] };
      t.deepEqual(pending.executed, []);
      t.true(pending.pending.length >= 2);

      const migrated = await cli(['db', 'migrate']);
      t.is(migrated.code, 0, migrated.stderr);
      t.is(migrated.stdout, pending.pending.map((name) => `applied ${name}\n`).join(''));

      const [after, again] = await Promise.all([cli(['db', 'status']), cli(['db', 'migrate'])]);
      t.regex(after.stdout, /up to date\n$/);
      t.is(again.stdout, '');
      t.is(again.stderr, 'database is up to date: no pending migration\n');
    } finally {
      await fresh.drop();
    }
  });
}
