import { testDatabases } from '@catalog/core/testing';
import test from 'ava';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { createCatalog } from '../../src/catalog.js';
import { resolveConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { TEST_OPTIONS } from '../../src/testing.js';
import { readChanges } from '../support/change-feed.js';

const BEFORE = '0014-user-disabled';

for (const db of testDatabases()) {
  test(`0015 adds the feed to a database that already has products: it starts empty and records writes from then on [${db.name}]`, async (t) => {
    const { url, drop } = await db.create();
    t.teardown(drop);
    const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: url, migrate: false }, {}));
    let existing: string;
    try {
      await orm.getMigrator().up({ to: BEFORE });
    } finally {
      await orm.close(true);
    }
    // Products written by the previous release (its code had no feed): here through raw SQL.
    const raw = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: url, migrate: false }, {}));
    try {
      existing = '0190a0b0-0000-7000-8000-0000000000bb';
      const at = db.name === 'sqlite' ? Date.now() : new Date();
      await raw.em.getConnection().execute(
        `insert into products (id, name, name_folded, category, category_folded, price_cents, rating_tenths, sku, version, created_at, updated_at, deleted_at)
         values (?, 'Old', 'old', 'Legacy', 'legacy', 100, null, null, 1, ?, ?, null)`,
        [existing, at, at],
        'run',
      );
    } finally {
      await raw.close(true);
    }
    const catalog = await createCatalog({ ...TEST_OPTIONS, database: url });
    try {
      t.true((await catalog.migrations.executed()).includes('0015-changes'));
      t.deepEqual((await catalog.changes.list()).data, []);
      const patched = await catalog.products.patch(existing, { price: 2 }, { actor: SYSTEM_ACTOR });
      const { changes } = await readChanges(catalog, 1);
      t.deepEqual(
        changes.map((c) => [c.type, c.product]),
        [['product.updated', patched]],
      );
    } finally {
      await catalog.close();
    }
  });
}
