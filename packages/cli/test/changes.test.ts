import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Change, ChangePage } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import test from 'ava';
import { cliOn, spawnCli } from './helpers/cli.js';

const product = { name: 'Kettle', category: 'Kitchen', price: 20 };

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`changes list pages the feed as json, ndjson and a table ending with the cursor that continues ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const cli = cliOn(catalog.url);
      const created = await cli([
        'products',
        'create',
        '--name',
        'Kettle',
        '--category',
        'Kitchen',
        '--price',
        '20',
        '--format',
        'json',
      ]);
      t.is(created.code, 0, created.stderr);
      const id = (JSON.parse(created.stdout) as { id: string }).id;
      await catalog.products.delete(id, { actor: SYSTEM_ACTOR });
      let page: ChangePage | undefined;
      const deadline = Date.now() + 20_000;
      do {
        const listed = await cli(['changes', 'list', '--format', 'json']);
        t.is(listed.code, 0, listed.stderr);
        page = JSON.parse(listed.stdout) as ChangePage;
      } while (page.data.length < 2 && Date.now() < deadline);
      t.deepEqual(
        page.data.map((c) => [c.type, c.product_id, c.actor_id]),
        [
          ['product.created', id, null],
          ['product.deleted', id, null],
        ],
      );
      const deletes = await cli(['changes', 'list', '--type', 'product.deleted', '--format', 'ndjson']);
      const lines = deletes.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Change);
      t.deepEqual(
        lines.map((c) => c.type),
        ['product.deleted'],
      );
      t.regex(deletes.stderr, /next_cursor: \S+/);
      const table = await cli(['changes', 'list', '--limit', '1', '--format', 'table']);
      t.is(table.code, 0, table.stderr);
      t.regex(table.stdout, /product\.created/);
      const next = /next_cursor: (\S+)/.exec(table.stdout)?.[1];
      t.truthy(next);
      const rest = await cli(['changes', 'list', '--cursor', next!, '--format', 'json']);
      t.deepEqual(
        (JSON.parse(rest.stdout) as ChangePage).data.map((c) => c.type),
        ['product.deleted'],
      );
      const end = await cli(['changes', 'list', '--cursor', 'now', '--format', 'json']);
      const endPage = JSON.parse(end.stdout) as ChangePage;
      t.deepEqual(endPage.data, [], '--cursor now: the end of the feed');
      const afterEnd = await catalog.changes.list({ cursor: endPage.next_cursor });
      t.deepEqual(afterEnd.data, []);
      const bad = await cli(['changes', 'list', '--cursor', 'nope']);
      t.is(bad.code, 2, 'a bad cursor is a usage error');
      t.regex(bad.stderr, /cursor/i);
    } finally {
      await catalog.destroy();
    }
  });

  test(`changes watch prints each change as an NDJSON line as it is committed, and exits 0 on SIGTERM ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const first = await catalog.products.create({ ...product, name: 'first' }, { actor: SYSTEM_ACTOR });
      const child = await spawnCli(['--db', catalog.url, 'changes', 'watch', '--format', 'ndjson']);
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const nextChange = async () => JSON.parse((await lines.next()).value as string) as Change;
      t.is((await nextChange()).product_id, first.id);
      const second = await catalog.products.patch(first.id, { price: 3 }, { actor: SYSTEM_ACTOR });
      const change = await nextChange();
      t.is(change.type, 'product.updated');
      t.deepEqual(change.product, second);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      t.is(code, 0);
    } finally {
      await catalog.destroy();
    }
  });
}
