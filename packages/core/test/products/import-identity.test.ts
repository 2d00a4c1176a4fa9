import test from 'ava';
import type { Product } from '@catalog/contract';
import { SYSTEM_ACTOR, type Catalog, type CatalogError } from '../../src/index.js';
import { createTestCatalog, testDatabases } from '../../src/testing.js';

const admin = { actor: SYSTEM_ACTOR };

/** Every product, deleted ones included, in the export's order. */
async function everything(catalog: Catalog): Promise<Product[]> {
  const found: Product[] = [];
  for await (const p of catalog.products.iterate({ include_deleted: true }, admin)) found.push(p);
  return found;
}

/** The dashboard must agree with the rows themselves. */
async function totalsOf(catalog: Catalog) {
  const live = (await everything(catalog)).filter((p) => p.deleted_at === null);
  const rated = live.filter((p) => p.rating !== null);
  const summary = await catalog.dashboard.summary();
  const counts = new Map<string, number>();
  for (const p of live) counts.set(p.category.toLowerCase(), (counts.get(p.category.toLowerCase()) ?? 0) + 1);
  return {
    summary: {
      total: summary.total_products,
      average: summary.average_rating,
      categories: summary.categories.map((c) => [c.category.toLowerCase(), c.count]).sort(),
    },
    rows: {
      total: live.length,
      average:
        rated.length === 0
          ? null
          : Math.round((rated.reduce((sum, p) => sum + Math.round(p.rating! * 10), 0) / rated.length) * 10) / 100,
      categories: [...counts.entries()].sort(),
    },
  };
}

/** A catalog with live, changed, deleted and restored products. */
async function seed(catalog: Catalog): Promise<void> {
  const created = await catalog.products.createMany(
    [
      { name: 'Comma, "quoted"', category: 'Kitchen', price: 1.5, rating: 4.5, sku: 'K-1' },
      { name: '=HYPERLINK("http://evil","x")', category: 'kitchen', price: 0, rating: null },
      { name: "'quoted start", category: 'Garden', price: 10, rating: 0, sku: "'S" },
      { name: 'Line\nbreak 茶 🍵', category: '@home', price: 1_000_000_000, rating: 5 },
      { name: '-minus', category: '+plus', price: 2, sku: '=SKU' },
    ],
    admin,
  );
  await catalog.products.patch(created[0]!.id, { price: 2 }, admin);
  await catalog.products.delete(created[1]!.id, admin);
  await catalog.products.delete(created[2]!.id, admin);
  await catalog.products.restore(created[2]!.id, admin);
  await catalog.products.delete(created[4]!.id, admin);
}

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`importMany of an export (deleted included) into an empty catalog reproduces every product and the totals ${d}`, async (t) => {
    const source = await createTestCatalog(db);
    const target = await createTestCatalog(db);
    try {
      await seed(source);
      const exported = await everything(source);
      t.true(exported.some((p) => p.version > 1 && p.deleted_at !== null));
      const result = await target.products.importMany(exported, admin);
      t.deepEqual(result, { read: 5, created: 5, skipped: 0, updated: 0, invalid: 0 });
      t.deepEqual(await everything(target), exported);
      t.deepEqual(await target.dashboard.summary(), await source.dashboard.summary());
      const totals = await totalsOf(target);
      t.deepEqual(totals.summary, totals.rows);
      // A deleted product stays deleted: not found, not listed.
      const deleted = exported.find((p) => p.deleted_at !== null)!;
      await t.throwsAsync(target.products.get(deleted.id), { code: 'not_found' } as never);
    } finally {
      await source.destroy();
      await target.destroy();
    }
  });

  test(`importMany checks the identity fields: UUIDv7 id, ISO timestamps with ms, version ≥ 1, updated_at ≥ created_at ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const base = { name: 'Tea', category: 'drinks', price: 1 };
      const error = await t.throwsAsync<CatalogError>(
        catalog.products.importMany(
          [
            { ...base, id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' },
            { ...base, created_at: '2026-01-02T03:04:05Z' },
            { ...base, version: 0 },
            { ...base, version: 1.5 },
            { ...base, created_at: '2026-01-02T03:04:05.678Z', updated_at: '2026-01-02T03:04:05.677Z' },
            { ...base, deleted_at: 'yesterday' },
          ],
          admin,
        ),
        { code: 'validation_failed' } as never,
      );
      t.deepEqual(
        error!.errors!.map((e) => e.path),
        ['0.id', '1.created_at', '2.version', '3.version', '4.updated_at', '5.deleted_at'],
      );
      t.is((await everything(catalog)).length, 0);
      // What a row does not give is given as to a new product; the rest is kept.
      const id = '01900000-0000-7000-8000-000000000001';
      await catalog.products.importMany(
        [{ ...base, id: id.toUpperCase(), updated_at: '2025-05-05T05:05:05.005Z' }],
        admin,
      );
      t.like(await catalog.products.get(id), {
        id,
        version: 1,
        created_at: '2025-05-05T05:05:05.005Z',
        updated_at: '2025-05-05T05:05:05.005Z',
      });
    } finally {
      await catalog.destroy();
    }
  });

  test(`onConflict: error names the present ids and writes nothing; skip keeps them; update replaces them, totals exact ${d}`, async (t) => {
    const source = await createTestCatalog(db);
    const target = await createTestCatalog(db);
    try {
      await seed(source);
      const exported = await everything(source);
      await target.products.importMany(exported.slice(0, 3), admin);
      const before = await everything(target);

      const fresh = { name: 'New one', category: 'Kitchen', price: 3 };
      const error = await t.throwsAsync<CatalogError>(target.products.importMany([fresh, ...exported], admin), {
        code: 'conflict',
      });
      t.regex(error!.message, /^3 imported products have ids already present: /);
      t.deepEqual(
        error!.errors!.map((e) => e.path),
        ['1.id', '2.id', '3.id'],
      );
      t.true(error!.message.includes(`${exported[0]!.id} (input 1)`));
      t.deepEqual(await everything(target), before, 'nothing written');

      // Skip: the present ones stay as they are, even when the file's row differs.
      const changed = exported.map((p) => ({ ...p, name: `${p.name} v2`, version: p.version + 1 }));
      t.like(await target.products.importMany(changed, { ...admin, onConflict: 'skip' }), {
        created: 2,
        skipped: 3,
        updated: 0,
      });
      t.deepEqual(
        (await everything(target)).filter((p) => before.some((b) => b.id === p.id)),
        before,
      );

      // Update: the file's rows, version and timestamps included; deleted ↔ live moves the totals.
      const flipped = exported.map((p, i) => ({
        ...p,
        category: i % 2 === 0 ? 'Garden' : p.category,
        rating: i === 0 ? null : p.rating,
        version: p.version + 7,
        updated_at: '2030-01-01T00:00:00.000Z',
        deleted_at: p.deleted_at === null ? '2030-01-01T00:00:00.000Z' : null,
      }));
      t.like(await target.products.importMany(flipped, { ...admin, onConflict: 'update' }), {
        created: 0,
        skipped: 0,
        updated: 5,
      });
      const after = await everything(target);
      for (const row of flipped) {
        t.deepEqual(
          after.find((p) => p.id === row.id),
          row,
        );
      }
      const totals = await totalsOf(target);
      t.deepEqual(totals.summary, totals.rows);
      t.true(totals.rows.total > 0);

      // The same id twice in one import: skip keeps the first, update ends with the last.
      const twice = { ...fresh, id: '01900000-0000-7000-8000-0000000000aa' };
      await target.products.importMany([twice, { ...twice, name: 'Second' }], { ...admin, onConflict: 'skip' });
      t.is((await target.products.get(twice.id)).name, 'New one');
      const other = { ...fresh, id: '01900000-0000-7000-8000-0000000000bb' };
      await target.products.importMany([other, { ...other, name: 'Second' }], { ...admin, onConflict: 'update' });
      t.is((await target.products.get(other.id)).name, 'Second');
      t.is((await target.products.list({ search: 'second' })).data.length, 1, 'the search index follows');

      // A SKU taken by another product is a conflict, whatever onConflict says.
      await t.throwsAsync(target.products.importMany([{ ...fresh, sku: 'K-1' }], { ...admin, onConflict: 'skip' }), {
        code: 'conflict',
        message: /SKU/,
      } as never);
      const final = await totalsOf(target);
      t.deepEqual(final.summary, final.rows);
    } finally {
      await source.destroy();
      await target.destroy();
    }
  });
}
