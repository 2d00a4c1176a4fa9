import test from 'ava';
import type { Product } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { catalogWithCli } from './helpers/catalog-with-cli.js';

const admin = { actor: SYSTEM_ACTOR };

for (const db of testDatabases()) {
  const shared = catalogWithCli(db);
  const { cli } = shared;

  test(`update, delete and restore with --if-version: the current version writes, a stale one fails and writes nothing [${db.name}]`, async (t) => {
    const product = await shared.catalog.products.create({ name: 'Versioned', category: 'cli-if', price: 1 }, admin);
    const updated = await cli([
      'products',
      'update',
      product.id,
      '--price',
      '2',
      '--if-version',
      '1',
      '--format',
      'json',
    ]);
    t.is(updated.code, 0, updated.stderr);
    t.like(JSON.parse(updated.stdout) as Product, { price: 2, version: 2 });

    const stale = await cli(['products', 'update', product.id, '--price', '3', '--if-version', '1']);
    t.is(stale.code, 1);
    t.regex(stale.stderr, /is at version 2, not 1/);
    const staleDelete = await cli(['products', 'delete', product.id, '--if-version', '1']);
    t.is(staleDelete.code, 1);
    t.like(await shared.catalog.products.get(product.id), { price: 2, version: 2 });

    t.is((await cli(['products', 'delete', product.id, '--if-version', '2'])).code, 0);
    const staleRestore = await cli(['products', 'restore', product.id, '--if-version', '2']);
    t.is(staleRestore.code, 1);
    t.regex(staleRestore.stderr, /is at version 3, not 2/);
    const restored = await cli(['products', 'restore', product.id, '--if-version', '3', '--format', 'json']);
    t.is(restored.code, 0, restored.stderr);
    t.like(JSON.parse(restored.stdout) as Product, { version: 4 });
  });

  test(`--if-version must be a version: a usage error otherwise [${db.name}]`, async (t) => {
    const product = await shared.catalog.products.create({ name: 'Versioned', category: 'cli-if', price: 1 }, admin);
    for (const value of ['0', 'two', '-1', '1.5']) {
      const result = await cli(['products', 'update', product.id, '--price', '2', `--if-version=${value}`]);
      t.is(result.code, 2, value);
      t.regex(result.stderr, /--if-version must be a version/);
    }
    t.like(await shared.catalog.products.get(product.id), { version: 1 });
  });

  test(`products list --total prints the number of matching products in every format [${db.name}]`, async (t) => {
    const created = await shared.catalog.products.createMany(
      Array.from({ length: 7 }, (_, i) => ({ name: `Counted ${i}`, category: 'cli-total', price: i })),
      admin,
    );
    await shared.catalog.products.delete(created[0]!.id, admin);
    const table = await cli([
      'products',
      'list',
      '--category',
      'cli-total',
      '--limit',
      '2',
      '--total',
      '--format',
      'table',
    ]);
    t.is(table.code, 0, table.stderr);
    t.regex(table.stdout, /^total: {7}6$/m);
    t.regex(table.stdout, /next page: .* --total/);
    const json = await cli([
      'products',
      'list',
      '--category',
      'cli-total',
      '--min-price',
      '3',
      '--total',
      '--format',
      'json',
    ]);
    t.is((JSON.parse(json.stdout) as { total: number }).total, 4);
    const csv = await cli([
      'products',
      'list',
      '--category',
      'cli-total',
      '--total',
      '--include-deleted',
      '--format',
      'csv',
    ]);
    t.regex(csv.stderr, /^total: 7$/m);
    const without = await cli(['products', 'list', '--category', 'cli-total', '--format', 'json']);
    t.false('total' in (JSON.parse(without.stdout) as object));
  });
}
