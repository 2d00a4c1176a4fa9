import test from 'ava';
import { SYSTEM_ACTOR, type Catalog } from '../../src/index.js';
import { BULK_MIN_ROWS } from '../../src/products/product-writes.js';
import { SEARCH_CANDIDATE_LIMIT } from '../../src/products/product-search.js';
import { forEachTestCatalog } from '../support/catalog-per-database.js';

const admin = { actor: SYSTEM_ACTOR };

/** What the dashboard must say, the slow way: every live product read back. */
async function bruteForce(catalog: Catalog) {
  const counts = new Map<string, number>();
  let total = 0;
  let ratingSum = 0;
  let rated = 0;
  for await (const p of catalog.products.iterate({})) {
    total++;
    if (p.rating !== null) {
      rated++;
      ratingSum += Math.round(p.rating * 10);
    }
    counts.set(p.category.toLowerCase(), (counts.get(p.category.toLowerCase()) ?? 0) + 1);
  }
  return {
    total,
    average: rated === 0 ? null : Math.round((ratingSum / rated) * 10) / 100,
    categories: [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
  };
}

async function expectExactDashboard(
  t: { is(a: unknown, b: unknown): void; deepEqual(a: unknown, b: unknown): void },
  catalog: Catalog,
) {
  const summary = await catalog.dashboard.summary();
  const expected = await bruteForce(catalog);
  t.is(summary.total_products, expected.total);
  t.is(summary.average_rating, expected.average);
  t.deepEqual(
    summary.categories.map((c) => [c.category.toLowerCase(), c.count]),
    expected.categories,
  );
}

forEachTestCatalog((db, catalog) => {
  const d = `[${db.name}]`;

  test.serial(
    `a large createMany keeps the dashboard totals, the search index and the write triggers exact ${d}`,
    async (t) => {
      await catalog().products.create({ name: 'Before Kettle', category: 'Kitchen', price: 5, rating: 2 }, admin);
      const rows = Array.from({ length: BULK_MIN_ROWS * 3 + 7 }, (_, i) => ({
        name: i % 50 === 0 ? `Zebra Striped Mug ${i}` : `Plain Item ${i}`,
        // Two spellings of one category, and a category that already exists.
        category: ['Kitchen', 'Garden', 'garden', 'Toys'][i % 4]!,
        price: (i % 300) / 4,
        rating: i % 7 === 0 ? null : (i % 51) / 10,
      }));
      t.is((await catalog().products.createMany(rows, admin)).length, rows.length);
      await expectExactDashboard(t, catalog());

      const found = await catalog().products.list({ search: 'STRIPED mug', limit: 100 });
      t.is(found.data.length, rows.filter((r) => r.name.startsWith('Zebra')).length);

      // The per-row triggers are back: single writes after a bulk insert still update everything.
      const single = await catalog().products.create(
        { name: 'After Striped Mug', category: 'Toys', price: 1, rating: 5 },
        admin,
      );
      await catalog().products.patch(found.data[0]!.id, { name: 'Renamed', category: 'Books' }, admin);
      await catalog().products.delete(found.data[1]!.id, admin);
      await expectExactDashboard(t, catalog());
      const again = await catalog().products.list({ search: 'striped mug', limit: 100 });
      t.is(again.data.length, found.data.length - 2 + 1);
      t.true(again.data.some((p) => p.id === single.id));
    },
  );

  test.serial(`a new category keeps the spelling of its first row in a large createMany ${d}`, async (t) => {
    const rows = Array.from({ length: BULK_MIN_ROWS }, (_, i) => ({
      name: `Spelling ${i}`,
      category: i === 0 ? 'MiXeD Case' : 'mixed case',
      price: 1,
    }));
    await catalog().products.createMany(rows, admin);
    const summary = await catalog().dashboard.summary();
    t.deepEqual(
      summary.categories.find((c) => c.category.toLowerCase() === 'mixed case'),
      { category: 'MiXeD Case', count: BULK_MIN_ROWS },
    );
  });

  test.serial(
    `a search with more trigram candidates than the candidate list takes still finds every match once ${d}`,
    async (t) => {
      const count = SEARCH_CANDIDATE_LIMIT + 50;
      const rows = Array.from({ length: count }, (_, i) => ({
        name: `Dense 100%_Match ${i}`,
        category: 'Dense',
        price: i % 10,
      }));
      await catalog().products.createMany(rows, admin);
      // Also a near miss: same trigrams, but `%` and `_` are literal, so it must not match.
      await catalog().products.create({ name: 'Dense 100xxMatch', category: 'Dense', price: 1 }, admin);
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await catalog().products.list({
          search: 'dense 100%_MATCH',
          sort_by: 'price',
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        for (const p of page.data) seen.add(p.id);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      t.is(seen.size, count);
    },
  );
});
