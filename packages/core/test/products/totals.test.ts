import test from 'ava';
import type { Product, ProductFilter } from '@catalog/contract';
import { SYSTEM_ACTOR, type CatalogError } from '../../src/index.js';
import { forEachTestCatalog } from '../support/catalog-per-database.js';

const admin = { actor: SYSTEM_ACTOR };

/** Whether `p` matches `filter`, by the rules of SPEC's listing written out plainly (the brute force). */
function matches(p: Product, filter: ProductFilter): boolean {
  if (!filter.include_deleted && p.deleted_at !== null) return false;
  if (filter.search !== undefined && !p.name.toLowerCase().includes(filter.search.toLowerCase())) return false;
  if (filter.category !== undefined && p.category.toLowerCase() !== filter.category.toLowerCase()) return false;
  if (filter.sku !== undefined && p.sku !== filter.sku) return false;
  if (filter.min_price !== undefined && p.price < Number(filter.min_price)) return false;
  if (filter.max_price !== undefined && p.price > Number(filter.max_price)) return false;
  if (filter.min_rating !== undefined && (p.rating === null || p.rating < Number(filter.min_rating))) return false;
  return true;
}

const FILTERS: ProductFilter[] = [
  {},
  { category: 'Tea' },
  { category: 'tea' },
  { category: 'coffee' },
  { category: 'nothing-here' },
  { search: 'gre' },
  { search: '50%' },
  { category: 'tea', min_price: 2 },
  { min_price: 1.5, max_price: 7.25 },
  { min_rating: 3.5 },
  { sku: 'TOT-7' },
  { include_deleted: true },
  { include_deleted: true, category: 'tea' },
  { include_deleted: true, search: 'green', min_rating: 1 },
];

forEachTestCatalog((db, catalog) => {
  const d = `[${db.name}]`;

  test.serial(`include_total equals a brute-force count for every kind of filter ${d}`, async (t) => {
    const names = ['Green tea', 'Black tea', 'green coffee', '50% off', 'Plain', 'Greek yoghurt'];
    const categories = ['Tea', 'TEA', 'coffee', 'Dairy'];
    const created = await catalog().products.createMany(
      Array.from({ length: 60 }, (_, i) => ({
        name: `${names[i % names.length]} ${i}`,
        category: categories[i % categories.length] as string,
        price: (i % 17) / 2,
        rating: i % 5 === 0 ? null : (i % 50) / 10,
        sku: i % 3 === 0 ? `TOT-${i}` : null,
      })),
      admin,
    );
    for (const product of created.filter((_, i) => i % 7 === 0)) await catalog().products.delete(product.id, admin);
    await catalog().products.patch(created[1]!.id, { category: 'coffee' }, admin);

    const all: Product[] = [];
    for await (const p of catalog().products.iterate({ include_deleted: true }, admin)) all.push(p);
    t.is(all.length, 60);
    for (const filter of FILTERS) {
      const expected = all.filter((p) => matches(p, filter)).length;
      const page = await catalog().products.list({ ...filter, limit: 5, include_total: true }, admin);
      t.is(page.total, expected, JSON.stringify(filter));
      if (page.has_more && page.next_cursor) {
        const next = await catalog().products.list(
          { ...filter, limit: 5, include_total: true, cursor: page.next_cursor },
          admin,
        );
        t.is(next.total, expected, `second page of ${JSON.stringify(filter)}`);
      }
    }
  });

  test.serial(`without include_total a page has no total ${d}`, async (t) => {
    const page = await catalog().products.list({ limit: 2 });
    t.false('total' in page);
    t.false('total' in (await catalog().products.list({ limit: 2, include_total: false })));
  });

  test.serial(`createMany reports every bad item as [i].field and writes nothing ${d}`, async (t) => {
    const before = (await catalog().products.list({ include_total: true })).total;
    const error = await t.throwsAsync<CatalogError>(
      catalog().products.createMany(
        [
          { name: 'fine', category: 'ok', price: 1 },
          { name: '', category: 'ok', price: -1 },
          { name: 'fine too', category: 'ok', price: 2 },
          { name: 'x', category: 'ok', price: 1, colour: 'red' } as never,
          'not an object' as never,
        ],
        admin,
      ),
      { code: 'validation_failed' },
    );
    t.deepEqual(
      error?.errors?.map((e) => e.path),
      ['[1].name', '[1].price', '[3].colour', '[4]'],
    );
    t.is((await catalog().products.list({ include_total: true })).total, before);
  });
});
