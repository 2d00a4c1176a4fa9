import { ProductListQuerySchema } from '@catalog/contract';
import test from 'ava';
import { SYSTEM_ACTOR, type Actor, type CatalogError } from '../../src/index.js';
import { createTestCatalog, testDatabases } from '../../src/testing.js';
import { forEachTestCatalog } from '../support/catalog-per-database.js';

const admin = { actor: SYSTEM_ACTOR };
const user: { actor: Actor } = { actor: { id: '01930000-0000-7000-8000-000000000001', role: 'user' } };

forEachTestCatalog((db, catalog) => {
  const d = `[${db.name}]`;

  test(`create trims fields and returns the wire shape ${d}`, async (t) => {
    const p = await catalog().products.create(
      { name: '  Green tea ', category: ' Drinks ', price: 3.5, rating: 4.5 },
      admin,
    );
    t.is(p.name, 'Green tea');
    t.is(p.category, 'Drinks');
    t.is(p.price, 3.5);
    t.is(p.rating, 4.5);
    t.regex(p.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    t.regex(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    t.is(p.created_at, p.updated_at);
    t.is(p.deleted_at, null);
  });

  test(`prices survive exactly as integer cents ${d}`, async (t) => {
    for (const price of [0, 0.01, 0.1, 19.99, 1234567.89, 999999999.99, 1_000_000_000]) {
      const p = await catalog().products.create({ name: `price ${price}`, category: 'cents', price }, admin);
      t.is((await catalog().products.get(p.id)).price, price);
    }
  });

  test(`rejects invalid product input with one error per field ${d}`, async (t) => {
    const error = await t.throwsAsync<CatalogError>(
      catalog().products.create({ name: '   ', category: 'x'.repeat(101), price: 1.001, rating: 5.5 }, admin),
      { code: 'validation_failed' },
    );
    t.deepEqual(error?.errors?.map((e) => e.path).sort(), ['category', 'name', 'price', 'rating']);
    await t.throwsAsync(catalog().products.create({ name: 'x', category: 'y', price: -1 }, admin), {
      code: 'validation_failed',
    });
    await t.throwsAsync(catalog().products.create({ name: 'x', category: 'y', price: 1e9 + 1 }, admin), {
      code: 'validation_failed',
    });
    // Unknown fields are refused rather than silently dropped.
    await t.throwsAsync(
      catalog().products.create({ name: 'x', category: 'y', price: 1, colour: 'red' } as never, admin),
      { code: 'validation_failed' },
    );
  });

  test(`writes need an admin actor ${d}`, async (t) => {
    const input = { name: 'Forbidden', category: 'x', price: 1 };
    await t.throwsAsync(catalog().products.create(input), { code: 'unauthorized' });
    await t.throwsAsync(catalog().products.create(input, user), { code: 'forbidden' });
    const p = await catalog().products.create(input, admin);
    await t.throwsAsync(catalog().products.patch(p.id, { price: 2 }, user), { code: 'forbidden' });
    await t.throwsAsync(catalog().products.replace(p.id, input, user), { code: 'forbidden' });
    await t.throwsAsync(catalog().products.delete(p.id, user), { code: 'forbidden' });
    await t.throwsAsync(catalog().products.restore(p.id, user), { code: 'forbidden' });
    await t.throwsAsync(catalog().products.list({ include_deleted: true }, user), { code: 'forbidden' });
    t.is((await catalog().products.get(p.id, user)).price, 1);
  });

  test(`non-admin reads never show deleted_at ${d}`, async (t) => {
    const p = await catalog().products.create({ name: 'Quiet', category: 'x', price: 1 }, admin);
    t.false('deleted_at' in (await catalog().products.get(p.id, user)));
    t.false('deleted_at' in (await catalog().products.get(p.id)));
    t.is((await catalog().products.get(p.id, admin)).deleted_at, null);
  });

  test(`replace sets every field and patch only the given ones ${d}`, async (t) => {
    const p = await catalog().products.create({ name: 'Old', category: 'a', price: 1, rating: 3 }, admin);
    const replaced = await catalog().products.replace(p.id, { name: 'New', category: 'b', price: 2 }, admin);
    t.like(replaced, { name: 'New', category: 'b', price: 2, rating: null, created_at: p.created_at });
    t.true(replaced.updated_at >= p.updated_at);
    const patched = await catalog().products.patch(p.id, { rating: 4.2 }, admin);
    t.like(patched, { name: 'New', category: 'b', price: 2, rating: 4.2 });
    const unrated = await catalog().products.patch(p.id, { rating: null }, admin);
    t.is(unrated.rating, null);
    await t.throwsAsync(catalog().products.patch(p.id, {}, admin), { code: 'validation_failed' });
  });

  test(`soft delete hides a product from get and list; restore brings it back ${d}`, async (t) => {
    const category = `soft-${db.name}`;
    const p = await catalog().products.create({ name: 'Ghost', category, price: 5 }, admin);
    await catalog().products.delete(p.id, admin);
    await t.throwsAsync(catalog().products.get(p.id), { code: 'not_found' });
    await t.throwsAsync(catalog().products.delete(p.id, admin), { code: 'not_found' });
    await t.throwsAsync(catalog().products.patch(p.id, { price: 1 }, admin), { code: 'not_found' });
    t.deepEqual((await catalog().products.list({ category })).data, []);
    const withDeleted = await catalog().products.list({ category, include_deleted: true }, admin);
    t.is(withDeleted.data.length, 1);
    t.truthy(withDeleted.data[0]?.deleted_at);
    const restored = await catalog().products.restore(p.id, admin);
    t.is(restored.deleted_at, null);
    t.is((await catalog().products.get(p.id)).name, 'Ghost');
  });

  test(`unknown and malformed ids are not found ${d}`, async (t) => {
    await t.throwsAsync(catalog().products.get('01930000-0000-7000-8000-00000000dead'), { code: 'not_found' });
    await t.throwsAsync(catalog().products.get("1' or '1'='1"), { code: 'not_found' });
    await t.throwsAsync(catalog().products.restore('nope', admin), { code: 'not_found' });
  });

  test(`createMany writes all or nothing ${d}`, async (t) => {
    const category = `bulk-${db.name}`;
    const good = Array.from({ length: 1200 }, (_, i) => ({ name: `Bulk ${i}`, category, price: i / 100 }));
    t.is((await catalog().products.createMany(good, admin)).length, 1200);
    const bad = [
      { name: 'fine', category: `${category}-2`, price: 1 },
      { name: '', category: `${category}-2`, price: 1 },
    ];
    const error = await t.throwsAsync<CatalogError>(catalog().products.createMany(bad, admin), {
      code: 'validation_failed',
    });
    t.is(error?.errors?.[0]?.path, '[1].name');
    t.deepEqual((await catalog().products.list({ category: `${category}-2` })).data, []);
    let seen = 0;
    for await (const product of catalog().products.iterate({ category })) {
      t.is(product.category, category);
      seen += 1;
    }
    t.is(seen, 1200);
  });

  test(`list filters by search, category, price and rating ${d}`, async (t) => {
    const category = `Filter-${db.name}`;
    await catalog().products.createMany(
      [
        { name: 'Earl Grey 100% pure', category, price: 4, rating: 4.5 },
        { name: 'earl grey_decaf', category, price: 6, rating: 3 },
        { name: 'Ceylon', category, price: 8, rating: null },
        { name: 'ÉCLAIR tea', category, price: 10, rating: 5 },
      ],
      admin,
    );
    const names = async (query: object) =>
      (
        await catalog().products.list({
          category: category.toUpperCase(),
          sort_by: 'price',
          sort_order: 'asc',
          ...query,
        })
      ).data.map((p) => p.name);
    t.deepEqual(await names({}), ['Earl Grey 100% pure', 'earl grey_decaf', 'Ceylon', 'ÉCLAIR tea']);
    t.deepEqual(await names({ search: 'EARL' }), ['Earl Grey 100% pure', 'earl grey_decaf']);
    t.deepEqual(await names({ search: '%' }), ['Earl Grey 100% pure']);
    t.deepEqual(await names({ search: '_' }), ['earl grey_decaf']);
    t.deepEqual(await names({ search: 'éclair' }), ['ÉCLAIR tea']);
    t.deepEqual(await names({ min_price: 6, max_price: 8 }), ['earl grey_decaf', 'Ceylon']);
    t.deepEqual(await names({ min_rating: 4.5 }), ['Earl Grey 100% pure', 'ÉCLAIR tea']);
    await t.throwsAsync(catalog().products.list({ min_price: 9, max_price: 1 }), { code: 'validation_failed' });
    await t.throwsAsync(catalog().products.list({ limit: 0 }), { code: 'validation_failed' });
    await t.throwsAsync(catalog().products.list({ limit: 101 }), { code: 'validation_failed' });
  });

  test(`listParsed answers a schema-parsed query as list answers the raw one ${d}`, async (t) => {
    const category = `parsed-${db.name}`;
    await catalog().products.createMany(
      Array.from({ length: 5 }, (_, i) => ({ name: `P${i}`, category, price: 5 - i, rating: i % 2 ? null : i })),
      admin,
    );
    const raw = {
      category: ` ${category.toUpperCase()} `,
      limit: '2',
      sort_by: 'rating' as const,
      include_total: 'true',
    };
    const first = await catalog().products.list(raw);
    t.deepEqual(await catalog().products.listParsed(ProductListQuerySchema.parse(raw)), first);
    const next = { ...raw, cursor: first.next_cursor! };
    t.deepEqual(
      await catalog().products.listParsed(ProductListQuerySchema.parse(next)),
      await catalog().products.list(next),
    );
    t.is(first.total, 5);
    // The rules the parse applies still hold on listParsed's path: deleted rows stay an admin's.
    await t.throwsAsync(
      catalog().products.listParsed(ProductListQuerySchema.parse({ include_deleted: 'true' }), user),
      {
        code: 'forbidden',
      },
    );
  });

  test(`a cursor only continues the query it came from ${d}`, async (t) => {
    const category = `cursor-${db.name}`;
    await catalog().products.createMany(
      Array.from({ length: 5 }, (_, i) => ({ name: `C${i}`, category, price: i })),
      admin,
    );
    const first = await catalog().products.list({ category, limit: 2, sort_by: 'price' });
    t.true(first.has_more);
    t.is(first.prev_cursor, null);
    const second = await catalog().products.list({ category, limit: 2, sort_by: 'price', cursor: first.next_cursor! });
    t.is(second.data.length, 2);
    await t.throwsAsync(catalog().products.list({ category, limit: 2, sort_by: 'name', cursor: first.next_cursor! }), {
      code: 'invalid_cursor',
    });
    await t.throwsAsync(
      catalog().products.list({ category: 'other', limit: 2, sort_by: 'price', cursor: first.next_cursor! }),
      { code: 'invalid_cursor' },
    );
  });
});

for (const db of testDatabases()) {
  test(`search works with every sort, including the two-segment rating sort [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    await catalog.products.createMany(
      [
        { name: 'alpha tea', category: 'x', price: 1, rating: 3 },
        { name: 'alpha teapot', category: 'x', price: 2 },
        { name: 'Tea cosy', category: 'x', price: 4, rating: 4 },
        { name: 'beta', category: 'x', price: 3 },
      ],
      admin,
    );
    for (const sort_by of ['created_at', 'price', 'rating', 'name'] as const) {
      for (const sort_order of ['asc', 'desc'] as const) {
        const names: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await catalog.products.list({
            search: 'TEA',
            sort_by,
            sort_order,
            limit: 1,
            ...(cursor ? { cursor } : {}),
          });
          names.push(...page.data.map((p) => p.name));
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        t.deepEqual(names.sort(), ['Tea cosy', 'alpha tea', 'alpha teapot'], `${sort_by} ${sort_order}`);
      }
    }
    const byRating = await catalog.products.list({ search: 'tea', sort_by: 'rating', sort_order: 'desc' });
    t.deepEqual(
      byRating.data.map((p) => p.name),
      ['Tea cosy', 'alpha tea', 'alpha teapot'],
    );
  });
}
