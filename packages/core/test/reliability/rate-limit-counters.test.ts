import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { createCatalog } from '../../src/index.js';
import { createTestCatalog, testDatabases, TEST_OPTIONS } from '../../src/testing.js';

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`a window counts hits, expires, and can be reset ${tag}`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const { rateLimits } = catalog;
      t.is(await rateLimits.get('k'), null);
      const first = await rateLimits.increment('k', 60_000);
      t.is(first.count, 1);
      t.true(first.resetAt > Date.now());
      t.like(await rateLimits.increment('k', 60_000), { count: 2, resetAt: first.resetAt });
      t.deepEqual(await rateLimits.get('k'), { count: 2, resetAt: first.resetAt });
      await rateLimits.reset('k');
      t.is(await rateLimits.get('k'), null);

      await rateLimits.increment('short', 30);
      await rateLimits.increment('short', 30);
      await sleep(60);
      t.is(await rateLimits.get('short'), null, 'an expired window reads as none');
      t.is((await rateLimits.increment('short', 30)).count, 1, 'and the next hit opens a new one');
    } finally {
      await catalog.destroy();
    }
  });

  test(`two catalogs on one database (as two processes) share the counters: concurrent hits are counted exactly once each ${tag}`, async (t) => {
    const one = await createTestCatalog(db);
    const two = await createCatalog({ ...TEST_OPTIONS, database: one.url });
    try {
      const hits = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).rateLimits.increment('shared', 60_000)),
      );
      const counts = hits.map((hit) => hit.count).sort((a, b) => a - b);
      t.deepEqual(
        counts,
        Array.from({ length: 40 }, (_, i) => i + 1),
        'each hit saw its own count: no lost update',
      );
      t.is((await two.rateLimits.get('shared'))?.count, 40);
    } finally {
      await two.close();
      await one.destroy();
    }
  });
}
