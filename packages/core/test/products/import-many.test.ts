import test from 'ava';
import pg from 'pg';
import { SYSTEM_ACTOR, ValidationError, type Catalog } from '../../src/index.js';
import { INDEX_REBUILD_MIN_ROWS } from '../../src/products/sqlite-bulk-writer.js';
import { createTestCatalog, testDatabases } from '../../src/testing.js';

const admin = { actor: SYSTEM_ACTOR };

/** The dashboard must agree with the rows themselves, and the search index with a plain LIKE. */
async function expectExact(
  t: { is(a: unknown, b: unknown, m?: string): void; deepEqual(a: unknown, b: unknown): void },
  catalog: Catalog,
) {
  const counts = new Map<string, number>();
  let total = 0;
  let ratingSum = 0;
  let rated = 0;
  let zebras = 0;
  for await (const p of catalog.products.iterate({})) {
    total++;
    if (p.rating !== null) {
      rated++;
      ratingSum += Math.round(p.rating * 10);
    }
    if (p.name.toLowerCase().includes('zebra')) zebras++;
    counts.set(p.category.toLowerCase(), (counts.get(p.category.toLowerCase()) ?? 0) + 1);
  }
  const summary = await catalog.dashboard.summary();
  t.is(summary.total_products, total);
  t.is(summary.average_rating, rated === 0 ? null : Math.round((ratingSum / rated) * 10) / 100);
  t.deepEqual(summary.categories.map((c) => [c.category.toLowerCase(), c.count]).sort(), [...counts.entries()].sort());
  let found = 0;
  let cursor: string | undefined;
  do {
    const page = await catalog.products.list({ search: 'ZEBRA', limit: 100, ...(cursor ? { cursor } : {}) });
    found += page.data.length;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  t.is(found, zebras, 'search finds every matching name');
}

async function* generate(count: number, prefix: string, bad?: number): AsyncGenerator<unknown> {
  for (let i = 0; i < count; i++) {
    if (i === bad) yield { name: `${prefix} bad`, category: 'x', price: -1 };
    else
      yield {
        name: i % 97 === 0 ? `${prefix} Zebra ${i}` : `${prefix} item ${i}`,
        category: ['Kitchen', 'Garden', 'garden', 'Toys'][i % 4]!,
        price: (i % 300) / 4,
        rating: i % 7 === 0 ? null : (i % 51) / 10,
      };
  }
}

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`importMany streams into an empty table (indexes rebuilt on SQLite) and then a non-empty one, totals and search exact ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const count = INDEX_REBUILD_MIN_ROWS + 1234;
      const progress: number[] = [];
      const first = await catalog.products.importMany(generate(count, 'first'), {
        ...admin,
        onProgress: (n) => progress.push(n),
      });
      t.deepEqual(first, { read: count, created: count, skipped: 0, updated: 0, invalid: 0 });
      t.is(progress.at(-1), count);
      await expectExact(t, catalog);
      // Every sort order still reads the same rows (the rebuilt indexes are complete).
      for (const sort_by of ['price', 'rating', 'name', 'created_at'] as const) {
        const page = await catalog.products.list({ sort_by, limit: 1, category: 'toys' });
        t.is(page.data.length, 1);
      }
      const second = await catalog.products.importMany(generate(700, 'second'), { ...admin, batchSize: 300 });
      t.deepEqual(second, { read: 700, created: 700, skipped: 0, updated: 0, invalid: 0 });
      await catalog.products.create({ name: 'After Zebra', category: 'New', price: 1, rating: 5 }, admin);
      await expectExact(t, catalog);
    } finally {
      await catalog.destroy();
    }
  });

  test(`importMany in one transaction writes nothing when a late input is invalid, yet reads and reports all of them ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const invalid: number[] = [];
      const error = await t.throwsAsync(
        catalog.products.importMany(generate(INDEX_REBUILD_MIN_ROWS + 500, 'doomed', INDEX_REBUILD_MIN_ROWS + 400), {
          ...admin,
          onInvalid: (_, index) => invalid.push(index),
        }),
        {
          instanceOf: ValidationError,
        },
      );
      t.regex(error!.message, /^1 of 20500 inputs are invalid/);
      t.deepEqual(
        error!.errors?.map((e) => e.path),
        ['20400.price'],
      );
      t.deepEqual(invalid, [INDEX_REBUILD_MIN_ROWS + 400]);
      t.is((await catalog.dashboard.summary()).total_products, 0);
      t.is((await catalog.products.list({})).data.length, 0);
      // The database works as before: single writes, then a bulk import, stay exact.
      await catalog.products.create({ name: 'Zebra single', category: 'Toys', price: 1 }, admin);
      t.like(await catalog.products.importMany(generate(300, 'after'), admin), { created: 300 });
      await expectExact(t, catalog);
    } finally {
      await catalog.destroy();
    }
  });

  test(`importMany with skipInvalid and batches keeps the valid inputs; batches before a failure stay ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const skipped = await catalog.products.importMany(generate(500, 'skip', 250), {
        ...admin,
        skipInvalid: true,
        batchSize: 200,
      });
      t.deepEqual(skipped, { read: 500, created: 499, skipped: 0, updated: 0, invalid: 1 });
      await t.throwsAsync(catalog.products.importMany(generate(500, 'batched', 450), { ...admin, batchSize: 200 }), {
        instanceOf: ValidationError,
        message: /the 400 products of batches committed before stay/,
      });
      t.is((await catalog.dashboard.summary()).total_products, 499 + 400);
      await expectExact(t, catalog);
      await t.throwsAsync(catalog.products.importMany([], {}), { code: 'unauthorized' } as never);
    } finally {
      await catalog.destroy();
    }
  });
}

for (const db of testDatabases().filter((d) => d.name === 'postgres')) {
  test(`a large import refreshes PostgreSQL's planner statistics (no autovacuum needed) [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const analysed = async (): Promise<string | undefined> => {
      const client = new pg.Client(catalog.url);
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          "select n_live_tup::text as n from pg_stat_user_tables where relname = 'products' and last_analyze is not null",
        );
        return rows[0]?.n;
      } finally {
        await client.end();
      }
    };
    t.is(await analysed(), undefined);
    const inputs = Array.from({ length: 1500 }, (_, i) => ({ name: `row ${i}`, category: 'c', price: i }));
    await catalog.products.importMany(inputs, admin);
    t.not(await analysed(), undefined);
  });
}
