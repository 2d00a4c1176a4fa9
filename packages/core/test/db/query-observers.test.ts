import { AsyncLocalStorage } from 'node:async_hooks';
import test from 'ava';
import { SYSTEM_ACTOR, type QueryKind } from '../../src/index.js';
import { createTestCatalog, testDatabases } from '../../src/testing.js';

/*
 * catalog.observeQueries (db/query-observers.ts): every statement is reported with its duration
 * and the path it took, in the async context of its caller; nothing once the observer is removed.
 */

const admin = { actor: SYSTEM_ACTOR };

for (const db of testDatabases()) {
  test(`reports reads and writes with their kind, in the caller's async context [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const calls: { ms: number; kind: QueryKind; request: string | undefined }[] = [];
    const request = new AsyncLocalStorage<string>();
    const stop = catalog.observeQueries((ms, kind) => calls.push({ ms, kind, request: request.getStore() }));

    const created = await request.run('write', () =>
      catalog.products.create({ name: 'Kettle', category: 'Kitchen', price: 5 }, admin),
    );
    const writes = calls.splice(0);
    t.true(writes.length > 0);
    t.true(writes.every((call) => call.kind === 'orm' && call.request === 'write' && call.ms >= 0));

    await request.run('first read', () => catalog.products.get(created.id, admin));
    await request.run('search', () => catalog.products.list({ search: 'kett' }, admin));
    const reads = calls.splice(0);
    // The SQLite file catalog reads on its own connections; PostgreSQL's bounded reads are its
    // prepared statements, its scans (the search) the ORM's execute.
    const expected: QueryKind[] = db.name === 'sqlite' ? ['read', 'scan'] : ['orm', 'read'];
    t.deepEqual([...new Set(reads.map((call) => call.kind))].sort(), expected);
    t.true(reads.some((call) => call.request === 'first read'));
    t.true(reads.some((call) => call.request === 'search'));
    t.true(reads.every((call) => call.request !== undefined && call.ms >= 0));

    stop();
    await catalog.products.create({ name: 'Teapot', category: 'Kitchen', price: 9 }, admin);
    await catalog.products.list({ search: 'tea' }, admin);
    t.deepEqual(calls, []);
  });
}
