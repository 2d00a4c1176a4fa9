import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { Product, ProductInput } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases, type TestCatalog } from '@catalog/core/testing';
import { catalogWithCli } from './helpers/catalog-with-cli.js';
import { cliOn } from './helpers/cli.js';

const admin = { actor: SYSTEM_ACTOR };
let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-cli-import-'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  await writeFile(path, text);
  return path;
}

async function productsIn(catalog: TestCatalog, category: string): Promise<Product[]> {
  const found: Product[] = [];
  for await (const p of catalog.products.iterate({ category, sort_by: 'name', sort_order: 'asc' })) found.push(p);
  return found;
}

const fields = (products: Product[]) =>
  products
    .map(({ name, category, price, rating }) => ({ name, category, price, rating }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.price - b.price));

for (const db of testDatabases()) {
  const shared = catalogWithCli(db);
  const { cli } = shared;

  test(`CSV import reports bad rows as "line N: field: message" and writes nothing; --skip-invalid writes the good ones [${db.name}]`, async (t) => {
    const csv = await fileWith(
      'products.csv',
      'name,category,price,rating\nTea,csv-bad,3.5,4.2\n"Multi\nline, name",csv-bad,10,\nBad,,-1,9\nshort,row\nOk,csv-bad,0.1,5\n',
    );
    const strict = await cli(['products', 'import', csv]);
    t.is(strict.code, 1);
    t.is(
      strict.stderr,
      [
        'line 5: category: must not be empty',
        'line 5: price: must be at least 0',
        'line 5: rating: must be at most 5',
        'line 6: (row): Invalid Record Length: columns length is 4, got 2',
        'catalog: 2 of 5 rows are invalid; nothing was imported (fix them, or pass --skip-invalid to import the 3 valid rows)',
        '',
      ].join('\n'),
    );
    t.is((await productsIn(shared.catalog, 'csv-bad')).length, 0);

    const lenient = await cli(['products', 'import', csv, '--skip-invalid']);
    t.is(lenient.code, 0, lenient.stderr);
    t.regex(lenient.stderr, /imported 3 products from .*products\.csv \(csv\) in [\d.]+ s, skipped 2 invalid\n$/);
    t.deepEqual(fields(await productsIn(shared.catalog, 'csv-bad')), [
      { name: 'Multi\nline, name', category: 'csv-bad', price: 10, rating: null },
      { name: 'Ok', category: 'csv-bad', price: 0.1, rating: 5 },
      { name: 'Tea', category: 'csv-bad', price: 3.5, rating: 4.2 },
    ]);
  });

  test(`NDJSON and JSON-array imports: bad lines reported, JSON arrays streamed from stdin [${db.name}]`, async (t) => {
    const nd = await fileWith(
      'rows.ndjson',
      '{"name":"A","category":"nd","price":1}\n\nnot json\n{"name":"B","category":"nd","price":2.555}\n{"name":"C","category":"nd","price":3,"colour":"red"}\n',
    );
    const bad = await cli(['products', 'import', nd]);
    t.is(bad.code, 1);
    t.regex(
      bad.stderr,
      /^line 3: \(row\): not valid JSON .*\nline 4: price: must have at most 2 decimals\nline 5: \(row\): Unrecognized key: "colour"\ncatalog: 3 of 4 rows are invalid; nothing was imported/,
    );
    t.is((await productsIn(shared.catalog, 'nd')).length, 0);

    const array = JSON.stringify(
      [
        { name: 'J1 ]"[', category: 'json-in', price: 1, rating: null },
        { name: 'J2', category: 'json-in', price: 2 },
      ],
      null,
      2,
    );
    const good = await cli(['products', 'import', '-'], { input: array });
    t.is(good.code, 0, good.stderr);
    t.regex(good.stderr, /imported 2 products from stdin \(json\)/);
    t.deepEqual(fields(await productsIn(shared.catalog, 'json-in')), [
      { name: 'J1 ]"[', category: 'json-in', price: 1, rating: null },
      { name: 'J2', category: 'json-in', price: 2, rating: null },
    ]);
  });

  for (const format of ['csv', 'ndjson'] as const) {
    test(`products export --format ${format} imports back into an empty catalog unchanged [${db.name}]`, async (t) => {
      const category = `round-trip-${format}`;
      const tricky: ProductInput[] = [
        { name: 'Comma, "quoted" name', category, price: 0, rating: 0 },
        { name: 'Line\nbreak', category, price: 1_000_000_000, rating: 5 },
        { name: 'Ünïcødé 茶 🍵', category, price: 0.1, rating: null },
        { name: "'; drop table products; --", category, price: 19.99, rating: 4.5 },
        { name: '=1+1', category, price: 19.99, rating: null },
      ];
      await shared.catalog.products.createMany(tricky, admin);
      const file = join(dir, `export-${db.name}.${format}`);
      const exported = await cli(['products', 'export', '--format', format, '--category', category, '-o', file]);
      t.is(exported.code, 0, exported.stderr);
      t.is(exported.stderr, `exported 5 products to ${file}\n`);

      const target = await createTestCatalog(db);
      try {
        const imported = await cliOn(target.url)(['products', 'import', file]);
        t.is(imported.code, 0, imported.stderr);
        t.deepEqual(fields(await productsIn(target, category)), fields(await productsIn(shared.catalog, category)));
      } finally {
        await target.destroy();
      }
    });
  }
}
