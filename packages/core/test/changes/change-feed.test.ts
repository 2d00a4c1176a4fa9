import test, { type ExecutionContext } from 'ava';
import { FEED_END } from '@catalog/contract';
import { ConfigError, resolveConfig, SYSTEM_ACTOR, type Actor, type CatalogError } from '../../src/index.js';
import { createTestCatalog, testDatabases, type TestCatalog } from '../../src/testing.js';
import { readChanges } from '../support/change-feed.js';

const system = { actor: SYSTEM_ACTOR };
const input = { name: 'Kettle', category: 'Kitchen', price: 20 };

for (const db of testDatabases()) {
  const d = `[${db.name}]`;
  const withCatalog =
    (run: (t: ExecutionContext, catalog: TestCatalog) => Promise<void>) => async (t: ExecutionContext) => {
      const catalog = await createTestCatalog(db);
      try {
        await run(t, catalog);
      } finally {
        await catalog.destroy();
      }
    };

  test(
    `every write appends one change with the product after it and its actor ${d}`,
    withCatalog(async (t, catalog) => {
      const user = await catalog.users.create(
        { email: 'a@example.com', password: 'correct horse', role: 'admin' },
        system,
      );
      const admin: Actor = { id: user.id, role: 'admin' };
      const created = await catalog.products.create(input, { actor: admin });
      const patched = await catalog.products.patch(created.id, { price: 21 }, system);
      await catalog.products.delete(created.id, { actor: admin });
      const deleted = await catalog.products.get(created.id, system).catch(() => undefined);
      const restored = await catalog.products.restore(created.id, { actor: admin });
      const { changes } = await readChanges(catalog, 4);
      t.deepEqual(
        changes.map((c) => [c.type, c.product_id, c.product.version, c.actor_id]),
        [
          ['product.created', created.id, 1, user.id],
          ['product.updated', created.id, 2, null],
          ['product.deleted', created.id, 3, user.id],
          ['product.restored', created.id, 4, user.id],
        ],
      );
      t.is(deleted, undefined);
      t.deepEqual(changes[0]!.product, created);
      t.deepEqual(changes[1]!.product, patched);
      t.truthy(changes[2]!.product.deleted_at, 'the deleted product carries its deleted_at');
      t.deepEqual(changes[3]!.product, restored);
      t.is(new Set(changes.map((c) => c.id)).size, 4);
    }),
  );

  test(
    `bulk creates and imports append one change per product, in input order ${d}`,
    withCatalog(async (t, catalog) => {
      const many = Array.from({ length: 450 }, (_, i) => ({ ...input, name: `Bulk ${i}` }));
      const created = await catalog.products.createMany(many, system);
      const imported = Array.from({ length: 1200 }, (_, i) => ({ ...input, name: `Import ${i}` }));
      await catalog.products.importMany(imported, { ...system, batchSize: 700 });
      const { changes } = await readChanges(catalog, 1650);
      t.is(changes.length, 1650);
      t.true(changes.every((c) => c.type === 'product.created' && c.actor_id === null));
      t.deepEqual(
        changes.slice(0, 450).map((c) => c.product),
        created,
      );
      t.deepEqual(
        changes.slice(450).map((c) => c.product.name),
        imported.map((p) => p.name),
      );
    }),
  );

  test(
    `a write that fails appends nothing ${d}`,
    withCatalog(async (t, catalog) => {
      await catalog.products.create({ ...input, sku: 'K-1' }, system);
      await t.throwsAsync(catalog.products.create({ ...input, sku: 'K-1' }, system), { code: 'conflict' });
      await t.throwsAsync(catalog.products.createMany([input, { ...input, sku: 'K-1' }], system), { code: 'conflict' });
      const marker = await catalog.products.create({ ...input, name: 'marker' }, system);
      const { changes } = await readChanges(catalog, 2);
      t.deepEqual(
        changes.map((c) => c.product.name),
        ['Kettle', marker.name],
      );
    }),
  );

  test(
    `next_cursor is never null: a reader at the end polls with it and gets only what is new ${d}`,
    withCatalog(async (t, catalog) => {
      const empty = await catalog.changes.list();
      t.deepEqual(empty.data, []);
      t.is(typeof empty.next_cursor, 'string');
      const first = await catalog.products.create(input, system);
      await readChanges(catalog, 1);
      const page1 = await catalog.changes.list({ cursor: empty.next_cursor });
      t.deepEqual(
        page1.data.map((c) => c.product_id),
        [first.id],
      );
      t.is(page1.next_cursor, page1.data[0]!.id, "a change's id is the cursor after it");
      const idle = await catalog.changes.list({ cursor: page1.next_cursor });
      t.deepEqual(idle.data, []);
      t.is(idle.next_cursor, page1.next_cursor);
      const second = await catalog.products.create(input, system);
      await readChanges(catalog, 1, idle.next_cursor);
      const page2 = await catalog.changes.list({ cursor: idle.next_cursor });
      t.deepEqual(
        page2.data.map((c) => c.product_id),
        [second.id],
      );
    }),
  );

  test(
    `the cursor FEED_END ('now') is an empty page ending at the last change: only later ones follow ${d}`,
    withCatalog(async (t, catalog) => {
      const atStart = await catalog.changes.list({ cursor: FEED_END });
      t.deepEqual(atStart, { data: [], next_cursor: atStart.next_cursor, prev_cursor: null, has_more: false });
      t.is(atStart.next_cursor, (await catalog.changes.list()).next_cursor, 'an empty feed ends where it starts');
      const before = await catalog.products.createMany([input, input], system);
      await readChanges(catalog, 2);
      const now = await catalog.changes.list({ cursor: FEED_END });
      t.deepEqual(now.data, []);
      t.deepEqual((await catalog.changes.list({ cursor: now.next_cursor })).data, [], 'nothing after the end yet');
      const after = await catalog.products.create(input, system);
      const { changes } = await readChanges(catalog, 1, now.next_cursor);
      t.deepEqual(
        changes.map((c) => c.product_id),
        [after.id],
      );
      t.false(changes.some((c) => before.some((p) => p.id === c.product_id)));
      const watched: string[] = [];
      const stop = new AbortController();
      const watching = (async () => {
        for await (const change of catalog.changes.watch({ cursor: FEED_END, signal: stop.signal })) {
          watched.push(change.product_id);
          stop.abort();
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const later = await catalog.products.create(input, system);
      await watching;
      t.deepEqual(watched, [later.id], 'watch from now skips the changes before it');
    }),
  );

  test(
    `type filters the changes; a cursor keeps its position with or without it ${d}`,
    withCatalog(async (t, catalog) => {
      const a = await catalog.products.create(input, system);
      await catalog.products.patch(a.id, { price: 1 }, system);
      await catalog.products.delete(a.id, system);
      await readChanges(catalog, 3);
      const updates = await catalog.changes.list({ type: 'product.updated' });
      t.deepEqual(
        updates.data.map((c) => c.type),
        ['product.updated'],
      );
      const after = await catalog.changes.list({ cursor: updates.next_cursor });
      t.deepEqual(
        after.data.map((c) => c.type),
        ['product.deleted'],
      );
      await t.throwsAsync(catalog.changes.list({ type: 'product.moved' as never }), { code: 'validation_failed' });
      await t.throwsAsync(catalog.changes.list({ cursor: 'nope' }), { code: 'invalid_cursor' });
    }),
  );

  test(
    `pruning deletes changes past the retention; a cursor before them is cursor_expired ${d}`,
    withCatalog(async (t, catalog) => {
      const beginning = (await catalog.changes.list()).next_cursor;
      const old = await catalog.products.create(input, system);
      const { cursor: atFirst } = await readChanges(catalog, 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const cutoff = new Date();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const kept = await catalog.products.patch(old.id, { price: 3 }, system);
      await readChanges(catalog, 1, atFirst);
      t.is(await catalog.changes.prune(cutoff), 1);
      const all = await readChanges(catalog, 1);
      t.deepEqual(
        all.changes.map((c) => c.product),
        [kept],
      );
      t.is((await readChanges(catalog, 1, atFirst)).changes.length, 1, 'a cursor at the pruned position still works');
      const error = await t.throwsAsync<CatalogError>(catalog.changes.list({ cursor: beginning }));
      t.is(error?.code, 'cursor_expired');
      t.is(await catalog.changes.prune(cutoff), 0);
    }),
  );
}

test('CATALOG_CHANGES_RETENTION_DAYS: default 30, read from the environment, refused outside 1–3650', (t) => {
  t.is(resolveConfig({}, {}).changesRetentionDays, 30);
  t.is(resolveConfig({}, { CATALOG_CHANGES_RETENTION_DAYS: '7' }).changesRetentionDays, 7);
  const error = t.throws(() => resolveConfig({}, { CATALOG_CHANGES_RETENTION_DAYS: '0' }), { instanceOf: ConfigError });
  t.regex(error?.message ?? '', /CATALOG_CHANGES_RETENTION_DAYS/);
});
