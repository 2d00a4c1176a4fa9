import test from 'ava';
import type { CatalogError } from '../../src/index.js';
import { SYSTEM_ACTOR } from '../../src/index.js';
import { resolveConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { presentSql } from '../../src/products/product-writes.js';
import { createTestCatalog, testDatabases, TEST_OPTIONS } from '../../src/testing.js';

/*
 * An import writes its rows a group of statements at a time, and on PostgreSQL sends the next
 * group while the server still writes this one (db/statement-pipeline.ts). The ids it looks up in
 * a group must still see every row an earlier group wrote: these imports repeat an id far enough
 * apart (input 0 and input 700) that the two copies fall in different groups.
 */

const admin = { actor: SYSTEM_ACTOR };
const REPEATED = '01900000-0000-7000-8000-0000000000cc';

function inputs(lastName: string) {
  return Array.from({ length: 701 }, (_, i) =>
    i === 0 || i === 700
      ? { id: REPEATED, name: i === 0 ? 'First copy' : lastName, category: 'Kitchen', price: 1 }
      : { name: `Filler ${i}`, category: 'Garden', price: 2 },
  );
}

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`an id repeated in a later group: error names it and writes nothing; skip keeps the first; update ends with the last ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());

    const error = await t.throwsAsync<CatalogError>(catalog.products.importMany(inputs('Second copy'), admin), {
      code: 'conflict',
    });
    t.deepEqual(
      error!.errors!.map((e) => e.path),
      ['700.id'],
    );
    t.is((await catalog.dashboard.summary()).total_products, 0, 'nothing written');

    t.like(await catalog.products.importMany(inputs('Second copy'), { ...admin, onConflict: 'skip' }), {
      created: 700,
      skipped: 1,
    });
    t.is((await catalog.products.get(REPEATED)).name, 'First copy');

    t.like(await catalog.products.importMany(inputs('Last copy'), { ...admin, onConflict: 'update' }), {
      created: 699,
      updated: 2,
    });
    t.is((await catalog.products.get(REPEATED)).name, 'Last copy');
    t.is((await catalog.dashboard.summary()).total_products, 700 + 699);
  });
}

for (const db of testDatabases().filter((x) => x.name === 'postgres')) {
  test(`the present-id lookup probes the primary key even before the table has statistics [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: catalog.url }));
    t.teardown(() => orm.close());
    const connection = orm.em.getConnection();
    // Rows written the way a bulk load writes them: no ANALYZE has run on the table yet.
    await connection.execute(
      `insert into products (id, name, name_folded, category, category_folded, price_cents, version, created_at, updated_at)
       select gen_random_uuid(), 'n' || g, 'n' || g, 'c', 'c', 100, 1, now(), now() from generate_series(1, 20000) g`,
    );
    const ids = Array.from({ length: 500 }, (_, i) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    for (const full of [false, true]) {
      const statement = presentSql('postgresql', full).replace('?', `'${JSON.stringify(ids)}'`);
      const plan = (await connection.execute<{ 'QUERY PLAN': string }[]>(`explain ${statement}`))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      t.regex(plan, /Index (Only )?Scan using products_pkey/, plan);
      t.notRegex(plan, /Seq Scan on products/, plan);
    }
  });
}
