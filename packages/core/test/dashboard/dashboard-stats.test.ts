import test from 'ava';
import fc from 'fast-check';
import { SYSTEM_ACTOR, type Catalog } from '../../src/index.js';
import { createTestCatalog, testDatabases } from '../../src/testing.js';

const admin = { actor: SYSTEM_ACTOR };

/** What the summary must say, computed the slow way from every product. */
async function bruteForce(catalog: Catalog) {
  const live = [];
  for await (const product of catalog.products.iterate({})) live.push(product);
  const rated = live.filter((p) => p.rating !== null);
  const counts = new Map<string, number>();
  for (const p of live) counts.set(p.category.toLowerCase(), (counts.get(p.category.toLowerCase()) ?? 0) + 1);
  return {
    total: live.length,
    average:
      rated.length === 0 ? null : Math.round((rated.reduce((s, p) => s + p.rating! * 10, 0) / rated.length) * 10) / 100,
    categories: [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
  };
}

const operation = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    category: fc.constantFrom('Books', 'books', 'Toys', 'Games'),
    rating: fc.option(fc.integer({ min: 0, max: 50 })),
  }),
  fc.record({
    op: fc.constantFrom('delete' as const, 'restore' as const, 'unrate' as const, 'move' as const),
    pick: fc.nat(),
  }),
);

for (const db of testDatabases()) {
  test(`the maintained totals equal a brute-force count after any sequence of writes [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const ids: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        for (const step of operations) {
          if (step.op === 'create') {
            const rating = step.rating === null ? null : step.rating / 10;
            ids.push(
              (await catalog.products.create({ name: 'p', category: step.category, price: 1, rating }, admin)).id,
            );
            continue;
          }
          const id = ids[step.pick % Math.max(ids.length, 1)];
          if (!id) continue;
          const ignoreNotFound = (e: { code?: string }) => {
            if (e.code !== 'not_found') throw e;
          };
          if (step.op === 'delete') await catalog.products.delete(id, admin).catch(ignoreNotFound);
          if (step.op === 'restore') await catalog.products.restore(id, admin);
          if (step.op === 'unrate') await catalog.products.patch(id, { rating: null }, admin).catch(ignoreNotFound);
          if (step.op === 'move') await catalog.products.patch(id, { category: 'Games' }, admin).catch(ignoreNotFound);
        }
        const summary = await catalog.dashboard.summary();
        const expected = await bruteForce(catalog);
        t.is(summary.total_products, expected.total);
        t.is(summary.average_rating, expected.average);
        t.deepEqual(
          summary.categories.map((c) => [c.category.toLowerCase(), c.count]),
          expected.categories,
        );
      }),
      { numRuns: 25 },
    );
  });
}
