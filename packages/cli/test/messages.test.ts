import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { cliOn } from './helpers/cli.js';

const sqlite = testDatabases().find((db) => db.name === 'sqlite')!;

test('messages name the flags the user typed, count products in the singular, and never say (root) [sqlite]', async (t) => {
  const catalog = await createTestCatalog(sqlite);
  t.teardown(() => catalog.destroy());
  const cli = cliOn(catalog.url);
  const file = join(catalog.url.slice('sqlite:'.length), '..', 'one.ndjson');
  await writeFile(file, '{"name":"Tea","category":"drinks","price":1}\n');

  const [range, missing, nothing, imported] = await Promise.all([
    cli(['products', 'list', '--min-price', '9', '--max-price', '1']),
    cli(['products', 'create', '--name', 'Tea', '--category', 'drinks', '--price', 'cheap']),
    cli(['products', 'update', '0190a5d0-0000-7000-8000-000000000000']),
    cli(['products', 'import', file]),
  ]);
  t.is(range.code, 2);
  t.is(range.stderr, 'catalog: invalid input: --min-price: must not be greater than --max-price\n');
  t.is(missing.code, 2);
  t.regex(missing.stderr, /^catalog: invalid input: --price: must be a number\n$/);
  t.is(nothing.code, 2);
  t.is(nothing.stderr, 'catalog: invalid input: must change at least one field\n');
  t.is(imported.code, 0, imported.stderr);
  t.regex(imported.stderr, /^imported 1 product from /m);
});
