import test from 'ava';
import { parse } from 'csv-parse/sync';
import type { Page, Product, ProductInput } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { catalogWithCli } from './helpers/catalog-with-cli.js';
import { ndjson, runCli, shellSplit } from './helpers/cli.js';

const admin = { actor: SYSTEM_ACTOR };

for (const db of testDatabases()) {
  const shared = catalogWithCli(db);
  const { cli } = shared;

  const addProducts = (category: string, prices: (number | null)[][]) =>
    shared.catalog.products.createMany(
      prices.map(([price, rating], i): ProductInput => ({
        name: `${category} item ${i}`,
        category,
        price: price!,
        rating: rating ?? null,
      })),
      admin,
    );

  test(`products list --format json prints the REST page and --cursor continues from next_cursor [${db.name}]`, async (t) => {
    await addProducts('json-walk', [
      [5, 4],
      [5, null],
      [5, 3.5],
      [2, 1],
      [9, null],
      [9, 5],
      [1, 2],
    ]);
    const args = [
      'products',
      'list',
      '--category',
      'json-walk',
      '--sort-by',
      'price',
      '--sort-order',
      'asc',
      '--limit',
      '3',
      '--format',
      'json',
    ];
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const run = await cli([...args, ...(cursor ? ['--cursor', cursor] : [])]);
      t.is(run.code, 0, run.stderr);
      const page = JSON.parse(run.stdout) as Page<Product>;
      t.deepEqual(Object.keys(page), ['data', 'next_cursor', 'prev_cursor', 'has_more']);
      t.is(page.prev_cursor === null, pages === 0);
      seen.push(...page.data.map((p) => p.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    const expected: string[] = [];
    for await (const p of shared.catalog.products.iterate({
      category: 'json-walk',
      sort_by: 'price',
      sort_order: 'asc',
    }))
      expected.push(p.id);
    t.is(pages, 3);
    t.deepEqual(seen, expected);
  });

  test(`products list table ends with the next_cursor and the exact command of the next page [${db.name}]`, async (t) => {
    await addProducts('Tea Room', [
      [3, 4],
      [4, 4],
      [5, 4],
    ]);
    const first = await cli([
      'products',
      'list',
      '--category',
      'tea room',
      '--sort-by',
      'price',
      '--limit',
      '2',
      '--format',
      'table',
    ]);
    t.is(first.code, 0, first.stderr);
    const lines = first.stdout.trimEnd().split('\n');
    t.regex(first.stdout, /Tea Room item 2/);
    t.regex(lines.at(-3)!, /^2 products, more after this page$/);
    const cursor = /^next_cursor: (\S+)$/.exec(lines.at(-2)!)?.[1];
    t.truthy(cursor);
    const command = /^next page: +(.+)$/.exec(lines.at(-1)!)![1]!;
    t.true(command.endsWith(`--cursor ${cursor}`));
    t.true(command.includes("--category 'tea room'"));
    const [program, ...args] = shellSplit(command);
    t.is(program, 'catalog');
    const second = await runCli(args);
    t.is(second.code, 0, second.stderr);
    t.regex(second.stdout, /Tea Room item 0/);
    t.notRegex(second.stdout, /Tea Room item [12]/);
    t.regex(second.stdout, /^1 product$/m);
    t.regex(second.stdout, /^prev page: +catalog .*--cursor \S+$/m);
    t.notRegex(second.stdout, /next_cursor/);
  });

  test(`products list: ndjson in a pipe with next_cursor on stderr, --all streams every page as ndjson, csv and json [${db.name}]`, async (t) => {
    await addProducts('stream', [
      [1, 1],
      [2, null],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    const [page, all, csv, json] = await Promise.all([
      cli(['products', 'list', '--category', 'stream', '--limit', '2']),
      cli(['products', 'list', '--category', 'stream', '--all', '--sort-by', 'price']),
      cli(['products', 'list', '--category', 'stream', '--all', '--format', 'csv', '--sort-by', 'price']),
      cli([
        'products',
        'list',
        '--category',
        'stream',
        '--all',
        '--format',
        'json',
        '--sort-by',
        'rating',
        '--sort-order',
        'asc',
      ]),
    ]);
    t.is(ndjson(page.stdout).length, 2);
    t.regex(page.stderr, /^next_cursor: \S+\n$/);
    const streamed = ndjson<Product>(all.stdout);
    t.deepEqual(
      streamed.map((p) => p.price),
      [5, 4, 3, 2, 1],
    );
    t.is(all.stderr, '');
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    t.deepEqual(Object.keys(rows[0]!), [
      'id',
      'name',
      'category',
      'price',
      'rating',
      'sku',
      'version',
      'created_at',
      'updated_at',
    ]);
    t.deepEqual(
      rows.map((r) => [r.price, r.rating]),
      [
        ['5', '5'],
        ['4', '4'],
        ['3', '3'],
        ['2', ''],
        ['1', '1'],
      ],
    );
    // NULL ratings sort last in both directions.
    t.deepEqual(
      (JSON.parse(json.stdout) as Product[]).map((p) => p.rating),
      [1, 3, 4, 5, null],
    );
  });

  test(`products create, update, delete, get and restore print the product [${db.name}]`, async (t) => {
    const created = await cli([
      'products',
      'create',
      '--name',
      'Green tea',
      '--category',
      'drinks',
      '--price',
      '3.5',
      '--rating',
      '4.2',
      '--format',
      'json',
    ]);
    t.is(created.code, 0, created.stderr);
    const product = JSON.parse(created.stdout) as Product;
    t.like(product, { name: 'Green tea', category: 'drinks', price: 3.5, rating: 4.2 });

    const updated = await cli([
      'products',
      'update',
      product.id,
      '--price',
      '4.25',
      '--rating',
      'none',
      '--format',
      'json',
    ]);
    t.is(updated.code, 0, updated.stderr);
    t.like(JSON.parse(updated.stdout), { id: product.id, name: 'Green tea', price: 4.25, rating: null });

    const deleted = await cli(['products', 'delete', product.id]);
    t.is(deleted.code, 0, deleted.stderr);
    t.is(deleted.stdout, '');
    const missing = await cli(['products', 'get', product.id]);
    t.is(missing.code, 1);
    t.is(missing.stderr, `catalog: Product ${product.id} not found\n`);

    const restored = await cli(['products', 'restore', product.id, '--format', 'json']);
    t.is(restored.code, 0, restored.stderr);
    const got = await cli(['products', 'get', product.id, '--format', 'table']);
    t.is(got.code, 0, got.stderr);
    t.regex(got.stdout, /│ price +│ 4\.25 +│/);
    t.regex(got.stdout, /│ rating +│ - +│/);
  });

  test(`products create lists every bad field and exits 2 [${db.name}]`, async (t) => {
    const run = await cli([
      'products',
      'create',
      '--name',
      ' ',
      '--category',
      'x',
      '--price',
      '-1',
      '--rating',
      'lots',
    ]);
    t.is(run.code, 2);
    t.is(run.stdout, '');
    t.is(
      run.stderr,
      'catalog: invalid input: --name: must not be empty; --price: must be at least 0; --rating: must be a number or null\n',
    );
  });
}
