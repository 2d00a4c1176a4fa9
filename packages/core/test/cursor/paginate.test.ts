import test from 'ava';
import { createCursorCodec, paginate, paginateRows, type SortKey } from '../../src/cursor/index.js';
import { ProductEntity, UserEntity, type UserRecord } from '../../src/db/entities.js';
import { InvalidCursorError } from '../../src/errors.js';
import { testDatabases } from '../../src/testing.js';
import { openCursorDatabase, type CursorDatabase, type ProductRow } from './support/database.js';
import { sortSpec } from './support/model.js';
import { fetchPage, ids, type Listing } from './support/walk.js';

/* Fixed examples of paginate's rules, readable on their own; the property tests cover the rest. */

const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n);
const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
function product(n: number, rating: number | null, price = 100): ProductRow {
  return {
    id: id(n),
    name: `p${n}`,
    name_folded: `p${n}`,
    category: 'Books',
    category_folded: 'books',
    price_cents: price,
    rating_tenths: rating,
    sku: null,
    version: 1,
    created_at: at(0),
    updated_at: at(0),
    deleted_at: null,
  };
}
const softDelete = (db: CursorDatabase, ...ns: number[]) =>
  db.em().nativeUpdate(ProductEntity, { id: { $in: ns.map(id) } }, { deleted_at: at(1) });

for (const database of testDatabases()) {
  const name = database.name;
  let db: CursorDatabase;
  test.before(async () => {
    db = await openCursorDatabase(database);
  });
  test.after.always(() => db?.close());

  test.serial(`NULL ratings come last in both directions, ties broken by id [${name}]`, async (t) => {
    await db.reset([product(1, null), product(2, 10), product(3, null), product(4, 30), product(5, 10)]);
    const asc = await fetchPage(db, { sort: sortSpec('rating', 'asc'), filters: {}, limit: 10 });
    t.deepEqual(ids(asc), [2, 5, 4, 1, 3].map(id));
    const desc = await fetchPage(db, { sort: sortSpec('rating', 'desc'), filters: {}, limit: 10 });
    t.deepEqual(ids(desc), [4, 5, 2, 3, 1].map(id));
  });

  test.serial(`a page of limit rows, has_more and the cursors around it [${name}]`, async (t) => {
    await db.reset([1, 2, 3, 4, 5].map((n) => product(n, n * 10)));
    const listing: Listing = { sort: sortSpec('rating', 'asc'), filters: {}, limit: 2 };
    const first = await fetchPage(db, listing);
    t.like(first, { has_more: true, prev_cursor: null });
    t.deepEqual(ids(first), [id(1), id(2)]);
    const second = await fetchPage(db, listing, first.next_cursor!);
    t.deepEqual(ids(second), [id(3), id(4)]);
    const last = await fetchPage(db, listing, second.next_cursor!);
    t.like(last, { has_more: false, next_cursor: null });
    t.deepEqual(ids(last), [id(5)]);
    const back = await fetchPage(db, listing, last.prev_cursor!);
    t.deepEqual(ids(back), [id(3), id(4)], 'the previous page comes back in display order');
    t.like(back, { has_more: true });
    t.deepEqual(ids(await fetchPage(db, listing, back.prev_cursor!)), [id(1), id(2)]);
  });

  test.serial(`when the rows after a cursor are gone, the empty page still leads back [${name}]`, async (t) => {
    await db.reset([1, 2, 3, 4].map((n) => product(n, null)));
    const listing: Listing = { sort: sortSpec('rating', 'desc'), filters: {}, limit: 2 };
    const first = await fetchPage(db, listing);
    await softDelete(db, 2, 1);
    const empty = await fetchPage(db, listing, first.next_cursor!);
    t.like(empty, { data: [], has_more: false, next_cursor: null });
    t.not(empty.prev_cursor, null);
    // The rows before the empty page include the row the cursor pointed at.
    const back = await fetchPage(db, listing, empty.prev_cursor!);
    t.deepEqual(ids(back), [id(4), id(3)]);
    t.like(back, { prev_cursor: null, has_more: true });
  });

  test.serial(`when the rows before a cursor are gone, the empty page still leads forward [${name}]`, async (t) => {
    await db.reset([1, 2, 3, 4].map((n) => product(n, 20)));
    const listing: Listing = { sort: sortSpec('price', 'asc'), filters: {}, limit: 2 };
    const second = await fetchPage(db, listing, (await fetchPage(db, listing)).next_cursor!);
    await softDelete(db, 1, 2);
    const empty = await fetchPage(db, listing, second.prev_cursor!);
    t.like(empty, { data: [], prev_cursor: null, has_more: true });
    t.deepEqual(ids(await fetchPage(db, listing, empty.next_cursor!)), [id(3), id(4)]);
  });

  test.serial(`a cursor is refused by a query with another sort or other filters [${name}]`, async (t) => {
    await db.reset([1, 2, 3].map((n) => product(n, n, n * 100)));
    const listing: Listing = { sort: sortSpec('price', 'asc'), filters: { category: 'books' }, limit: 1 };
    const cursor = (await fetchPage(db, listing)).next_cursor!;
    const refused = async (other: Listing, error: InvalidCursorError) =>
      t.throwsAsync(fetchPage(db, other, cursor), { instanceOf: InvalidCursorError, message: error.message });
    await refused({ ...listing, sort: sortSpec('price', 'desc') }, InvalidCursorError.otherSort());
    await refused({ ...listing, sort: sortSpec('rating', 'asc') }, InvalidCursorError.otherSort());
    await refused({ ...listing, filters: {} }, InvalidCursorError.otherFilters());
    await refused({ ...listing, filters: { category: 'toys' } }, InvalidCursorError.otherFilters());
    await t.throwsAsync(fetchPage(db, listing, 'nonsense'), {
      instanceOf: InvalidCursorError,
      code: 'invalid_cursor',
      message: InvalidCursorError.malformed().message,
    });
    t.deepEqual(
      ids(await fetchPage(db, { ...listing, limit: 2 }, cursor)),
      [id(2), id(3)],
      'the page size may change between pages',
    );
  });

  test.serial(`another entity pages the same way: users by created_at desc [${name}]`, async (t) => {
    const em = db.em();
    await em.nativeDelete(UserEntity, {});
    const users = [3, 1, 2, 5, 4].map((n) => ({
      id: id(n),
      email: `u${n}@example.com`,
      name: null,
      role: 'user',
      password_hash: 'x',
      created_at: at(n % 3),
    }));
    await em.insertMany(UserEntity, users);
    const sort: SortKey[] = [
      { field: 'created_at', direction: 'desc', type: 'date' },
      { field: 'id', direction: 'desc', type: 'string' },
    ];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await paginate<UserRecord>(
        db.em(),
        UserEntity,
        { where: [], sort, limit: 2, cursor, filters: 'users' },
        db.codec,
      );
      seen.push(...page.data.map((user) => user.email));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    t.deepEqual(seen, ['u5@example.com', 'u2@example.com', 'u4@example.com', 'u1@example.com', 'u3@example.com']);
  });

  test.serial(
    `paginateRows returns plain rows of the chosen columns, and the same pages as paginate [${name}]`,
    async (t) => {
      await db.reset([1, 2, 3, 4, 5, 6, 7].map((n) => product(n, n % 2 ? null : n, 100 * (n % 3))));
      const sort = sortSpec('price', 'asc');
      const options = { where: [{ sql: 'deleted_at is null' }], sort, limit: 3, filters: {} };
      const entities = await paginate(db.em(), ProductEntity, options, db.codec);
      const rows = await paginateRows(db.em(), ProductEntity, { ...options, columns: ['id', 'price_cents'] }, db.codec);
      t.deepEqual(
        rows.data.map((row) => Object.keys(row).sort()),
        rows.data.map(() => ['id', 'price_cents']),
      );
      t.deepEqual(
        rows.data.map((row) => row.id),
        ids(entities),
      );
      // A cursor from either continues the other: they are the same positions.
      const next = await paginateRows(
        db.em(),
        ProductEntity,
        { ...options, columns: ['id', 'price_cents'], cursor: entities.next_cursor! },
        db.codec,
      );
      const nextEntities = await paginate(db.em(), ProductEntity, { ...options, cursor: rows.next_cursor! }, db.codec);
      t.deepEqual(
        next.data.map((row) => row.id),
        ids(nextEntities),
      );
      await t.throwsAsync(paginateRows(db.em(), ProductEntity, { ...options, columns: ['id'] }, db.codec), {
        instanceOf: TypeError,
        message: /price_cents/,
      });
    },
  );

  test.serial(`an unusable sort spec or limit is a programming error [${name}]`, async (t) => {
    const codec = createCursorCodec('another-secret-another-secret-0123456789');
    const call = (sort: SortKey[], limit: number) =>
      paginate(db.em(), ProductEntity, { where: [], sort, limit, filters: {} }, codec);
    await t.throwsAsync(call([], 1), { instanceOf: TypeError });
    await t.throwsAsync(call([{ field: 'rating_tenths', direction: 'asc', type: 'number', nullable: true }], 1), {
      instanceOf: TypeError,
    });
    await t.throwsAsync(call(sortSpec('price', 'asc'), 0), { instanceOf: RangeError });
    await t.throwsAsync(call(sortSpec('price', 'asc'), 1.5), { instanceOf: RangeError });
  });
}
