import type { Page, User, UserListQuery } from '@catalog/contract';
import test from 'ava';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { ForbiddenError, InvalidCursorError, UnauthorizedError, ValidationError } from '../../src/errors.js';
import type { TestDatabase } from '@catalog/core/testing';
import { PASSWORD, createActor, forEachDatabase, uniqueEmail, type Fixture } from '../auth/support.js';

const admin = { actor: SYSTEM_ACTOR };
const USERS = 13;

/** The users each database was seeded with, by database name. */
const seeded = new Map<string, User[]>();

async function seed({ catalog }: Fixture, db: TestDatabase): Promise<void> {
  const created: User[] = [];
  // Sequential, so most created_at values differ; equal ones are ordered by the id tie-break.
  for (let i = 0; i < USERS; i++) {
    created.push(
      await catalog.users.create(
        { email: uniqueEmail(`list${String(i).padStart(2, '0')}`), password: PASSWORD },
        admin,
      ),
    );
  }
  seeded.set(db.name, created);
}

forEachDatabase((db, fixture) => {
  const users = () => fixture().catalog.users;

  async function walk(query: UserListQuery): Promise<{ rows: User[]; pages: Page<User>[] }> {
    const rows: User[] = [];
    const pages: Page<User>[] = [];
    let cursor: string | undefined;
    do {
      const page = await users().list({ ...query, cursor }, admin);
      pages.push(page);
      rows.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return { rows, pages };
  }

  const orders = [
    { sort_by: 'created_at', sort_order: 'desc' },
    { sort_by: 'created_at', sort_order: 'asc' },
    { sort_by: 'email', sort_order: 'asc' },
    { sort_by: 'email', sort_order: 'desc' },
  ] as const;

  for (const order of orders) {
    test(`list by ${order.sort_by} ${order.sort_order} pages through every user exactly once, in order [${db.name}]`, async (t) => {
      const { rows, pages } = await walk({ ...order, limit: 4 });
      const ids = rows.map((u) => u.id);
      t.is(new Set(ids).size, ids.length, 'no duplicates');
      for (const user of seeded.get(db.name)!) t.true(ids.includes(user.id), `user ${user.email} listed`);
      t.true(pages.length >= Math.ceil(USERS / 4));
      const key = (u: User) => (order.sort_by === 'email' ? u.email : u.created_at);
      const sign = order.sort_order === 'asc' ? -1 : 1;
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1]!;
        const b = rows[i]!;
        const cmp = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1;
        t.is(cmp, sign, `rows ${i - 1} and ${i} in ${order.sort_order} order`);
      }
      t.false(pages.at(-1)!.has_more);
      t.is(pages[0]!.prev_cursor, null);
      t.true(pages.slice(0, -1).every((p) => p.has_more && p.data.length === 4));
    });
  }

  test(`list rows have the wire shape, without password hashes [${db.name}]`, async (t) => {
    const page = await users().list({ limit: 2 }, admin);
    t.is(page.data.length, 2);
    for (const user of page.data)
      t.deepEqual(Object.keys(user).sort(), ['created_at', 'disabled', 'email', 'id', 'name', 'role']);
  });

  test(`a cursor only works for the sort it was issued for [${db.name}]`, async (t) => {
    const page = await users().list({ sort_by: 'email', sort_order: 'asc', limit: 2 }, admin);
    await t.throwsAsync(users().list({ sort_by: 'created_at', limit: 2, cursor: page.next_cursor! }, admin), {
      instanceOf: InvalidCursorError,
    });
  });

  test(`list is for admins only and validates its query [${db.name}]`, async (t) => {
    const actor = await createActor(fixture().catalog, 'user', 'lister');
    await t.throwsAsync(users().list({}, { actor }), { instanceOf: ForbiddenError });
    await t.throwsAsync(users().list({}), { instanceOf: UnauthorizedError });
    await t.throwsAsync(users().list({ sort_by: 'role' as never }, admin), { instanceOf: ValidationError });
    await t.throwsAsync(users().list({ limit: 0 }, admin), { instanceOf: ValidationError });
  });
}, seed);

forEachDatabase((db, fixture) => {
  const users = () => fixture().catalog.users;

  test(`list filters by role and by an email substring (case-insensitive, % and _ literal), page by page [${db.name}]`, async (t) => {
    const tag = `find_${Math.random().toString(36).slice(2, 8)}`;
    const make = (label: string, role: 'user' | 'admin') =>
      users().create({ email: `${label}.${tag}@example.com`, password: PASSWORD, role }, admin);
    const [a, b, c] = [await make('ann', 'admin'), await make('bob', 'user'), await make('cid', 'admin')];
    await make('other', 'admin').then(() =>
      users().create({ email: uniqueEmail('findxfind'), password: PASSWORD }, admin),
    );

    const search = tag.toUpperCase();
    const all = await users().list({ search, sort_by: 'email', sort_order: 'asc' }, admin);
    t.deepEqual(
      all.data.map((u) => u.email).filter((e) => !e.startsWith('other.')),
      [a, b, c].map((u) => u.email),
    );
    // `_` in the term is literal: it does not match the `x` of "findxfind".
    t.false(all.data.some((u) => u.email.startsWith('findxfind')));

    const first = await users().list({ search, role: 'admin', sort_by: 'email', sort_order: 'asc', limit: 1 }, admin);
    t.deepEqual(
      first.data.map((u) => u.email),
      [a.email],
    );
    t.true(first.has_more);
    const second = await users().list(
      { search, role: 'admin', sort_by: 'email', sort_order: 'asc', limit: 1, cursor: first.next_cursor! },
      admin,
    );
    t.deepEqual(
      second.data.map((u) => u.email),
      [c.email],
      'bob is not an admin',
    );
    // A cursor is bound to its filters.
    await t.throwsAsync(
      users().list({ search, role: 'user', sort_by: 'email', sort_order: 'asc', cursor: first.next_cursor! }, admin),
      { instanceOf: InvalidCursorError },
    );
    await t.throwsAsync(users().list({ role: 'owner' as never }, admin), { instanceOf: ValidationError });
  });
});
