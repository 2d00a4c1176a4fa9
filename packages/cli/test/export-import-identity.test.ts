import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { parse } from 'csv-parse/sync';
import type { Product } from '@catalog/contract';
import { SYSTEM_ACTOR, type Catalog } from '@catalog/core';
import { createTestCatalog, testDatabases, type TestCatalog } from '@catalog/core/testing';
import { cliOn, ndjson } from './helpers/cli.js';

const admin = { actor: SYSTEM_ACTOR };
let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-cli-identity-'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

/** Names a CSV file or a spreadsheet could get wrong. (Names are trimmed, so none starts with tab or CR.) */
const NAMES = [
  'Comma, "quoted" name',
  '=HYPERLINK("http://evil","x")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  "'quoted start",
  "''two quotes",
  'Line\nbreak',
  'tab\tinside and cr\rinside',
  'Ünïcødé 茶 🍵',
];

/** Live, changed, deleted and restored products with every kind of name, rating and SKU. */
async function seed(catalog: Catalog): Promise<void> {
  const created = await catalog.products.createMany(
    NAMES.map((name, i) => ({
      name,
      category: ['Kitchen', '=cmd', '@home', "'quoted"][i % 4]!,
      price: i * 10.25,
      rating: i % 3 === 0 ? null : (i % 6) - 0.5 * (i % 2),
      sku: i % 2 === 0 ? null : ['=SKU', "'S", '-1', '+X', 'AB-1'][(i - 1) / 2]!,
    })),
    admin,
  );
  await catalog.products.patch(created[1]!.id, { price: 99 }, admin);
  for (const i of [2, 5, 7]) await catalog.products.delete(created[i]!.id, admin);
  await catalog.products.restore(created[5]!.id, admin);
}

async function everything(catalog: Catalog): Promise<Product[]> {
  const found: Product[] = [];
  for await (const p of catalog.products.iterate({ include_deleted: true }, admin)) found.push(p);
  return found;
}

for (const db of testDatabases()) {
  const d = `[${db.name}]`;
  let source: TestCatalog;
  test.before(async () => {
    source = await createTestCatalog(db);
    await seed(source);
  });
  test.after.always(async () => {
    await source?.destroy();
  });

  for (const format of ['csv', 'ndjson', 'json'] as const) {
    const exportAll = (catalog: TestCatalog, file: string) =>
      cliOn(catalog.url)(['products', 'export', '--include-deleted', '--format', format, '-o', file]);
    test(`export --include-deleted --format ${format}, imported into an empty database and exported again, is byte-identical ${d}`, async (t) => {
      const first = join(dir, `${db.name}-first.${format}`);
      const exported = await exportAll(source, first);
      t.is(exported.code, 0, exported.stderr);
      const target = await createTestCatalog(db);
      try {
        const imported = await cliOn(target.url)(['products', 'import', first]);
        t.is(imported.code, 0, imported.stderr);
        t.regex(imported.stderr, new RegExp(`^imported ${NAMES.length} products from `));
        const second = join(dir, `${db.name}-second.${format}`);
        const again = await exportAll(target, second);
        t.is(again.code, 0, again.stderr);
        t.true((await readFile(second)).equals(await readFile(first)), 'byte-identical');
        t.deepEqual(await everything(target), await everything(source));
        t.deepEqual(await target.dashboard.summary(), await source.dashboard.summary());
        if (format === 'json') {
          const array = JSON.parse(await readFile(first, 'utf8')) as Product[];
          t.is(array.length, NAMES.length);
          t.is(array.filter((p) => p.deleted_at !== null).length, 2);
        }
      } finally {
        await target.destroy();
      }
    });
  }

  test(`CSV cells starting with = + - @ or ' are exported behind a ', in export and list alike; NDJSON unchanged ${d}`, async (t) => {
    const cli = cliOn(source.url);
    const csv = await cli(['products', 'export', '--include-deleted']);
    t.is(csv.code, 0, csv.stderr);
    const records = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    t.is(records.length, NAMES.length);
    for (const record of records) {
      for (const column of ['name', 'category', 'sku']) t.notRegex(record[column]!, /^[=+\-@\t\r]/, column);
    }
    const cells = records.map((r) => r.name).sort();
    t.true(cells.includes(`'=HYPERLINK("http://evil","x")`));
    t.true(cells.includes("'+1+1") && cells.includes("'-2+3") && cells.includes("'@SUM(A1)"));
    t.true(cells.includes("''quoted start") && cells.includes("'''two quotes"));
    t.true(records.some((r) => r.sku === "'=SKU") && records.some((r) => r.category === "'=cmd"));
    t.true(
      records.some((r) => r.name === 'Comma, "quoted" name'),
      'other cells as they are',
    );

    const listed = await cli(['products', 'list', '--format', 'csv', '--search', 'hyperlink']);
    t.is(listed.code, 0, listed.stderr);
    t.regex(listed.stdout, /\n[^,]+,"'=HYPERLINK\(""http:\/\/evil"",""x""\)",/);

    const lines = await cli(['products', 'export', '--format', 'ndjson']);
    t.true(ndjson<Product>(lines.stdout).some((p) => p.name === '=HYPERLINK("http://evil","x")'));
  });

  test(`import of ids already present: error names them by line and writes nothing; skip leaves them; update replaces them ${d}`, async (t) => {
    const file = join(dir, `${db.name}-conflicts.csv`);
    t.is((await cliOn(source.url)(['products', 'export', '--include-deleted', '-o', file])).code, 0);
    const target = await createTestCatalog(db);
    try {
      const cli = cliOn(target.url);
      t.is((await cli(['products', 'import', file])).code, 0);
      const before = await everything(target);
      // One new row first, then the same products again: the ids are present from line 3 on.
      const csv = await readFile(file, 'utf8');
      const header = csv.slice(0, csv.indexOf('\n') + 1);
      const fresh = `,Fresh,Kitchen,1,,,,,,\n`;
      const again = join(dir, `${db.name}-again.csv`);
      await writeFile(again, header + fresh + csv.slice(header.length));

      const refused = await cli(['products', 'import', again]);
      t.is(refused.code, 1);
      const ids = (parse(csv, { columns: true }) as Record<string, string>[]).map((r) => r.id);
      t.true(
        refused.stderr.startsWith(
          `catalog: ${NAMES.length} rows have ids already in the database: line 3 (id ${ids[0]}), line 4 (id ${ids[1]}),`,
        ),
        refused.stderr,
      );
      t.regex(refused.stderr, /and 5 more; nothing was imported \(pass --on-conflict skip or update\)\n$/);
      t.deepEqual(await everything(target), before, 'nothing written');

      const skipped = await cli(['products', 'import', again, '--on-conflict', 'skip']);
      t.is(skipped.code, 0, skipped.stderr);
      t.regex(skipped.stderr, new RegExp(`^imported 1 product .*, skipped ${NAMES.length} present\\n$`));
      t.deepEqual(
        (await everything(target)).filter((p) => p.name !== 'Fresh'),
        before,
      );

      const renamed = join(dir, `${db.name}-renamed.ndjson`);
      const rows = before.map((p) => ({ ...p, name: `${p.name} (restored)`, version: p.version + 1 }));
      await writeFile(renamed, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      const updated = await cli(['products', 'import', renamed, '--on-conflict', 'update']);
      t.is(updated.code, 0, updated.stderr);
      t.regex(updated.stderr, new RegExp(`^imported 0 products .*, updated ${NAMES.length} present\\n$`));
      t.deepEqual(
        (await everything(target)).filter((p) => p.name !== 'Fresh'),
        rows,
      );
      const summary = await target.dashboard.summary();
      t.is(summary.total_products, before.filter((p) => p.deleted_at === null).length + 1);
    } finally {
      await target.destroy();
    }
  });
}
