import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import getPort from 'get-port';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import test from 'ava';
import { runCli, spawnCli, workersListening } from '../helpers/cli.js';

const run = promisify(execFile);
const BATCHED_ROWS = 6000;
const OTHER_ROWS = 4000;
const HTTP_WRITERS = 4;
let dir: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-writers-'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

async function ndjson(name: string, rows: number): Promise<string> {
  const path = join(dir, `${name}.ndjson`);
  await writeFile(
    path,
    Array.from({ length: rows }, (_, i) =>
      JSON.stringify({ name: `${name} ${i}`, category: name, price: i % 100 }),
    ).join('\n'),
  );
  return path;
}

for (const db of testDatabases()) {
  test(`serve --workers 2 and two CLI imports (batched) writing at once: no client ever sees a failure, and everything is written [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    const port = await getPort({ host: '127.0.0.1' });
    const serve = await spawnCli(['--db', catalog.url, 'serve', '--port', String(port), '--workers', '2']);
    try {
      await catalog.users.create(
        { email: 'writer@example.com', password: 'correct horse battery', role: 'admin' },
        { actor: SYSTEM_ACTOR },
      );
      const { access_token } = await catalog.auth.login({
        email: 'writer@example.com',
        password: 'correct horse battery',
      });
      await workersListening(serve);

      const [batchedFile, otherFile] = await Promise.all([
        ndjson('batched', BATCHED_ROWS),
        ndjson('other', OTHER_ROWS),
      ]);
      let importing = true;
      const imports = Promise.all([
        runCli(['--db', catalog.url, 'products', 'import', batchedFile, '--batch-size', '150']),
        // Batches of at least BULK_MIN_ROWS (core's product-bulk-insert.ts) take the SQLite bulk path.
        runCli(['--db', catalog.url, 'products', 'import', otherFile, '--batch-size', '400']),
      ]).finally(() => (importing = false));

      const failures: string[] = [];
      let created = 0;
      const headers = {
        authorization: `Bearer ${access_token}`,
        'content-type': 'application/json',
        connection: 'close',
      };
      const writer = async (w: number) => {
        // At least a few rounds, then on until both imports are done.
        for (let i = 0; importing || i < 5; i++) {
          const response = await fetch(`http://127.0.0.1:${port}/products`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ name: `http ${w}-${i}`, category: 'http', price: 1 }),
          });
          const body = await response.text();
          if (response.status !== 201) {
            failures.push(`POST ${response.status} ${body}`);
            continue;
          }
          created++;
          const { id } = JSON.parse(body) as { id: string };
          const patch = await fetch(`http://127.0.0.1:${port}/products/${id}`, {
            method: 'PATCH',
            headers,
            body: JSON.stringify({ price: 2 }),
          });
          if (patch.status !== 200) failures.push(`PATCH ${patch.status} ${await patch.text()}`);
        }
      };
      await Promise.all(Array.from({ length: HTTP_WRITERS }, (_, w) => writer(w)));
      const results = await imports;

      t.deepEqual(failures, [], 'every HTTP write succeeded (no SQLITE_BUSY, no 503)');
      for (const result of results) t.is(result.code, 0, result.stderr);
      t.true(created >= HTTP_WRITERS * 5);
      const summary = await catalog.dashboard.summary();
      t.is(summary.total_products, BATCHED_ROWS + OTHER_ROWS + created);
      if (catalog.url.startsWith('sqlite:'))
        t.is(
          (await run('sqlite3', [catalog.url.slice('sqlite:'.length), 'pragma integrity_check'])).stdout.trim(),
          'ok',
        );
    } finally {
      if (serve.exitCode === null && serve.signalCode === null) {
        serve.kill('SIGTERM');
        await once(serve, 'exit');
      }
      await catalog.destroy();
    }
  });
}
