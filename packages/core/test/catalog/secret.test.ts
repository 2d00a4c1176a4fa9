import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalog, SYSTEM_ACTOR, type Catalog } from '../../src/index.js';
import { testDatabases, TEST_OPTIONS } from '../../src/testing.js';

const admin = { actor: SYSTEM_ACTOR };
/** The test options without their fixed secret: these tests are about the generated one. */
const { secret: _fixed, ...NO_SECRET } = TEST_OPTIONS;

async function tempDir(t: { teardown(fn: () => Promise<void>): void }, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A cursor issued by `from` for its first page of one product. */
async function firstCursor(from: Catalog): Promise<string> {
  const page = await from.products.list({ limit: 1 }, admin);
  return page.next_cursor!;
}

for (const db of testDatabases()) {
  test(`without CATALOG_SECRET the generated secret is kept in the database: catalogs started from other directories accept each other's cursors [${db.name}]`, async (t) => {
    const { url, drop } = await db.create();
    t.teardown(drop);
    const [dirA, dirB] = await Promise.all([tempDir(t, 'catalog-a-'), tempDir(t, 'catalog-b-')]);
    const first = await createCatalog({ ...NO_SECRET, database: url, dataDir: dirA });
    const second = await createCatalog({ ...NO_SECRET, database: url, dataDir: dirB });
    t.teardown(() => Promise.all([first.close(), second.close()]).then(() => undefined));
    for (const name of ['Tea', 'Coffee']) await first.products.create({ name, category: 'drinks', price: 1 }, admin);
    const page = await second.products.list({ limit: 1, cursor: await firstCursor(first) }, admin);
    t.is(page.data.length, 1);
    // Nothing is written beside the process any more.
    await t.throwsAsync(readFile(join(dirA, 'catalog.secret')), { code: 'ENOENT' });
  });

  test(`catalogs opening a new database at once agree on one generated secret [${db.name}]`, async (t) => {
    const { url, drop } = await db.create();
    t.teardown(drop);
    // Migrated first: this is about the secret, not about racing migrations.
    await (await createCatalog({ ...NO_SECRET, secret: 'm'.repeat(32), database: url, migrate: true })).close();
    const catalogs = await Promise.all([1, 2, 3].map(() => createCatalog({ ...NO_SECRET, database: url })));
    t.teardown(() => Promise.all(catalogs.map((c) => c.close())).then(() => undefined));
    for (const name of ['Tea', 'Coffee']) await catalogs[0]!.products.create({ name, category: 'x', price: 1 }, admin);
    for (const catalog of catalogs) {
      const cursor = await firstCursor(catalog);
      for (const other of catalogs) t.is((await other.products.list({ limit: 1, cursor }, admin)).data.length, 1);
    }
  });
}

test('an existing data/catalog.secret is adopted, so cursors signed with it stay valid [sqlite]', async (t) => {
  const dir = await tempDir(t, 'catalog-adopt-');
  const legacy = 'legacy-secret-legacy-secret-legacy-secret-42';
  await writeFile(join(dir, 'catalog.secret'), `${legacy}\n`, { mode: 0o600 });
  const database = `sqlite:${join(dir, 'c.db')}`;
  // A process still configured with the old secret signs a cursor...
  const old = await createCatalog({ ...NO_SECRET, database, secret: legacy });
  for (const name of ['Tea', 'Coffee']) await old.products.create({ name, category: 'drinks', price: 1 }, admin);
  const cursor = await firstCursor(old);
  await old.close();
  // ...which the catalog that adopts the file accepts, and so does one started elsewhere later.
  const adopting = await createCatalog({ ...NO_SECRET, database, dataDir: dir });
  t.is((await adopting.products.list({ limit: 1, cursor }, admin)).data.length, 1);
  await adopting.close();
  const elsewhere = await createCatalog({ ...NO_SECRET, database, dataDir: await tempDir(t, 'catalog-else-') });
  t.teardown(() => elsewhere.close());
  t.is((await elsewhere.products.list({ limit: 1, cursor }, admin)).data.length, 1);
});

test('CATALOG_SECRET still overrides the stored secret [sqlite]', async (t) => {
  const dir = await tempDir(t, 'catalog-override-');
  const database = `sqlite:${join(dir, 'c.db')}`;
  const generated = await createCatalog({ ...NO_SECRET, database });
  for (const name of ['Tea', 'Coffee']) await generated.products.create({ name, category: 'x', price: 1 }, admin);
  const cursor = await firstCursor(generated);
  await generated.close();
  const configured = await createCatalog({ ...NO_SECRET, database, secret: 'c'.repeat(32) });
  t.teardown(() => configured.close());
  await t.throwsAsync(configured.products.list({ limit: 1, cursor }, admin), { code: 'invalid_cursor' });
});
