import type { Change } from '@catalog/contract';
import test from 'ava';
import { createCatalog, SYSTEM_ACTOR } from '../../src/index.js';
import { createTestCatalog, TEST_OPTIONS, testDatabases } from '../../src/testing.js';

const system = { actor: SYSTEM_ACTOR };
const input = { name: 'Kettle', category: 'Kitchen', price: 20 };

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`watch yields what is there, then writes of another catalog on the database as they commit, until aborted ${d}`, async (t) => {
    const reader = await createTestCatalog(db);
    const writer = await createCatalog({ ...TEST_OPTIONS, database: reader.url });
    const controller = new AbortController();
    try {
      const first = await writer.products.create({ ...input, name: 'first' }, system);
      const seen: Change[] = [];
      const watching = (async () => {
        for await (const change of reader.changes.watch({ signal: controller.signal })) {
          seen.push(change);
          if (seen.length === 3) controller.abort();
        }
      })();
      const waitFor = async (n: number) => {
        const deadline = Date.now() + 20_000;
        while (seen.length < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      };
      await waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await writer.products.patch(first.id, { price: 1 }, system);
      await waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.products.delete(first.id, system);
      await watching;
      t.deepEqual(
        seen.map((c) => [c.type, c.product.version]),
        [
          ['product.created', 1],
          ['product.updated', 2],
          ['product.deleted', 3],
        ],
      );
      t.deepEqual(seen[1]!.product, second);
      t.true(controller.signal.aborted);
    } finally {
      controller.abort();
      await writer.close();
      await reader.destroy();
    }
  });

  test(`watch resumes after a change's id with the changes after it only ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    const controller = new AbortController();
    try {
      const a = await catalog.products.create({ ...input, name: 'a' }, system);
      const b = await catalog.products.create({ ...input, name: 'b' }, system);
      const names: string[] = [];
      let resumeAt: string | undefined;
      for await (const change of catalog.changes.watch({ signal: controller.signal })) {
        resumeAt = change.id;
        break;
      }
      const c = await catalog.products.create({ ...input, name: 'c' }, system);
      for await (const change of catalog.changes.watch({ cursor: resumeAt, signal: controller.signal })) {
        names.push(change.product.name);
        if (names.length === 2) break;
      }
      t.deepEqual(names, [b.name, c.name]);
      t.is(a.name, 'a');
    } finally {
      controller.abort();
      await catalog.destroy();
    }
  });
}
