import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases, type TestCatalog } from '@catalog/core/testing';
import test from 'ava';
import { runCli, spawnCli } from '../helpers/cli.js';

const run = promisify(execFile);
/** Enough rows that the insert transaction lasts long enough to be caught in the act. */
const ROWS = 20_000;
let dir: string;
let file: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-import-kill-'));
  file = join(dir, 'products.ndjson');
  const lines = Array.from({ length: ROWS }, (_, i) =>
    JSON.stringify({
      name: `Imported ${i}`,
      category: `cat ${i % 7}`,
      price: (i % 500) + 0.99,
      rating: i % 4 ? (i % 5) + 0.5 : null,
    }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

/** True while another process holds the database's write transaction open (the import is writing). */
async function importIsWriting(catalog: TestCatalog): Promise<boolean> {
  if (catalog.url.startsWith('sqlite:')) {
    // BEGIN IMMEDIATE takes the write lock, which only the import can be holding.
    const probe = await run('sqlite3', [
      '-cmd',
      '.timeout 0',
      catalog.url.slice('sqlite:'.length),
      'begin immediate; rollback;',
    ]).catch((error: { stderr?: string }) => error);
    return 'stderr' in probe && /locked|busy/i.test(String(probe.stderr));
  }
  const name = new URL(catalog.url).pathname.slice(1);
  const { stdout } = await run('psql', [
    process.env.CATALOG_TEST_POSTGRES_URL as string,
    '-tAc',
    `select count(*) from pg_stat_activity where datname = '${name}' and backend_xid is not null`,
  ]);
  return Number(stdout.trim()) > 0;
}

async function state(catalog: TestCatalog): Promise<{ integrity: string; walked: number; total: number }> {
  const integrity = catalog.url.startsWith('sqlite:')
    ? (await run('sqlite3', [catalog.url.slice('sqlite:'.length), 'pragma integrity_check'])).stdout.trim()
    : 'ok';
  let walked = 0;
  for await (const _ of catalog.products.iterate({}, { actor: SYSTEM_ACTOR })) walked++;
  return { integrity, walked, total: (await catalog.dashboard.summary()).total_products };
}

for (const db of testDatabases()) {
  test(`products import killed with SIGKILL while writing leaves none of its rows and a sound database; run again, all of them [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    try {
      const child = await spawnCli(['--db', catalog.url, 'products', 'import', file]);
      const exited = once(child, 'exit');
      let caught = false;
      for (let i = 0; i < 1200 && child.exitCode === null && !caught; i++) {
        caught = await importIsWriting(catalog);
        if (!caught) await sleep(25);
      }
      t.true(caught, 'the import was caught inside its write transaction');
      child.kill('SIGKILL');
      const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      t.is(signal, 'SIGKILL');

      t.deepEqual(await state(catalog), { integrity: 'ok', walked: 0, total: 0 }, 'none of the import is visible');
      // The bulk path swaps the per-row triggers inside the transaction: they must be back.
      await catalog.products.create({ name: 'After the crash', category: 'x', price: 1 }, { actor: SYSTEM_ACTOR });
      t.like(await state(catalog), { walked: 1, total: 1 });

      const again = await runCli(['--db', catalog.url, 'products', 'import', file]);
      t.is(again.code, 0, again.stderr);
      t.deepEqual(await state(catalog), { integrity: 'ok', walked: ROWS + 1, total: ROWS + 1 }, 'all of it, once');
    } finally {
      await catalog.destroy();
    }
  });
}
