import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createCatalog, SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, TEST_OPTIONS, testDatabases } from '@catalog/core/testing';
import { cliOn } from './helpers/cli.js';

const admin = { actor: SYSTEM_ACTOR };
let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-cli-backup-'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

/** Writes at most this many products while a backup runs. */
const MAX_WRITES = 3000;

for (const db of testDatabases()) {
  if (db.name === 'postgres') {
    test('db backup on PostgreSQL refuses and points to pg_dump [postgres]', async (t) => {
      const catalog = await createTestCatalog(db);
      try {
        const result = await cliOn(catalog.url)(['db', 'backup', join(dir, 'pg.db')]);
        t.is(result.code, 1);
        t.is(
          result.stderr,
          'catalog: db backup copies SQLite databases; for PostgreSQL use pg_dump (e.g. pg_dump --format=custom --file=FILE URL)\n',
        );
      } finally {
        await catalog.destroy();
      }
    });
    continue;
  }

  test('db backup copies a SQLite database while a writer is writing; the copy opens, consistent, with the rows [sqlite]', async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      await catalog.products.importMany(
        Array.from({ length: 500 }, (_, i) => ({ name: `Seeded ${i}`, category: `c${i % 7}`, price: i, rating: 3 })),
        admin,
      );
      let written = 0;
      let stop = false;
      const writer = (async () => {
        for (let i = 0; i < MAX_WRITES && !stop; i++) {
          await catalog.products.create({ name: `Written ${i}`, category: 'live', price: 1, rating: i % 5 }, admin);
          written++;
        }
      })();
      while (written < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      const copyPath = join(dir, 'copy.db');
      const result = await cliOn(catalog.url)(['db', 'backup', copyPath]);
      const writtenAfter = written;
      stop = true;
      await writer;
      t.is(result.code, 0, result.stderr);
      t.regex(result.stderr, /^backed up .*catalog\.db to .*copy\.db\n$/);

      const copy = await createCatalog({ ...TEST_OPTIONS, database: `sqlite:${copyPath}` });
      try {
        let rows = 0;
        for await (const product of copy.products.iterate({})) if (product.name) rows++;
        t.true(rows >= 505 && rows <= 500 + writtenAfter, `${rows} rows`);
        // One consistent snapshot: the totals agree with the rows, the search index too.
        t.is((await copy.dashboard.summary()).total_products, rows);
        t.is((await copy.products.list({ search: 'seeded 49', limit: 100 })).data.length, 11);
      } finally {
        await copy.close();
      }

      const again = await cliOn(catalog.url)(['db', 'backup', copyPath]);
      t.is(again.code, 1);
      t.is(again.stderr, `catalog: ${copyPath} exists already; remove it or choose another file\n`);
    } finally {
      await catalog.destroy();
    }
  });
}
