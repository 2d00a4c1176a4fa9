import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import getPort from 'get-port';
import type { Api } from '../api.js';
import { startContainer, waitForHealthy } from '../container.js';
import { docker } from '../docker.js';
import { ok } from '../report.js';
import type { Resources } from '../resources.js';
import { checkCli, createAdmin, stopWithinGrace } from './shared.js';
import { checkVolumeBackup } from './volume-backup.js';

const ADMIN = { email: 'admin@example.com', password: 'docker test password' };
/** Registered while `docker stop` runs: found again in the restored backup. */
const LATE = { email: 'late@example.com', password: 'late password 1' };

/**
 * The default deployment: SQLite in a named volume. The container serves, turns healthy, runs as
 * uid 1000; what it wrote (the database, with the secret that signs cursors and tokens) is in the volume
 * and still serves a new container after `docker rm`; `docker stop` lets an in-flight request finish;
 * the volume's backup restores into a new volume (checkVolumeBackup).
 */
export async function checkSqliteVolume(run: string, resources: Resources): Promise<void> {
  const volume = `catalog-test-data-${run}`;
  const first = resources.container(`catalog-test-sqlite-${run}`);
  const second = resources.container(`catalog-test-sqlite-${run}-2`);
  await docker(['volume', 'create', volume]);
  resources.onRelease(() => docker(['volume', 'rm', volume]));
  const port = await getPort({ host: '127.0.0.1' });
  let api = await startContainer({ name: first, port, volume });
  await checkProbes(api, first);
  await checkUser(first);
  await createAdmin(first, ADMIN);
  let token = await api.login(ADMIN.email, ADMIN.password);
  const created = [];
  for (const name of ['Teapot', 'Kettle', 'Mug']) {
    created.push(await api.createProduct(token, { name, category: 'Kitchen', price: 12.5 }));
  }
  const page = await api.listProducts(token, { sort_by: 'name', sort_order: 'asc', limit: '2' });
  assert.deepEqual(
    page.data.map((p) => p.name),
    ['Kettle', 'Mug'],
  );
  assert.ok(page.next_cursor, 'the first page has a next_cursor');
  // A search and a filter are read on core's scan worker threads (a file of their own in dist/).
  const found = await api.listProducts(token, { search: 'TEAPOT' });
  const filtered = await api.listProducts(token, {
    category: 'Kitchen',
    min_price: '10',
    sort_by: 'name',
    sort_order: 'asc',
  });
  assert.deepEqual(
    [found.data.map((p) => p.name), filtered.data.map((p) => p.name)],
    [['Teapot'], ['Kettle', 'Mug', 'Teapot']],
  );
  ok('admin created with the CLI, signed in over HTTP, 3 products created, a next_cursor issued, search and filter');
  await checkCli(first, created.map((p) => p.id).sort());

  const mountpoint = await docker(['volume', 'inspect', '-f', '{{.Mountpoint}}', volume]);
  assert.ok(existsSync(join(mountpoint, 'catalog.db')), `catalog.db in the volume (${mountpoint})`);
  ok(`the SQLite database is in the volume (${mountpoint}/catalog.db)`);
  await stopWithinGrace(first);
  await docker(['rm', first]);

  // A heavier bcrypt cost makes registration slow enough to be in flight when SIGTERM comes.
  api = await startContainer({ name: second, port, volume, env: { CATALOG_BCRYPT_COST: '13' } });
  token = await api.login(ADMIN.email, ADMIN.password);
  const teapot = await api.getProduct(token, created[0]!.id);
  assert.equal(teapot.name, 'Teapot');
  const next = await api.listProducts(token, {
    sort_by: 'name',
    sort_order: 'asc',
    limit: '2',
    cursor: page.next_cursor,
  });
  assert.deepEqual(
    next.data.map((p) => p.name),
    ['Teapot'],
  );
  ok('after docker rm, a new container on the volume: same admin, same products, the old cursor still works');

  await checkInFlightStop(api, second);
  const productIds = created.map((p) => p.id).sort();
  await checkVolumeBackup(run, resources, { volume, port, users: [ADMIN, LATE], productIds });
}

async function checkProbes(api: Api, name: string): Promise<void> {
  assert.equal(await api.status('/healthz'), 200);
  assert.equal(await api.status('/readyz'), 200);
  ok('/healthz and /readyz answer 200');
  await waitForHealthy(name);
  ok('docker inspect: health status healthy (the Dockerfile HEALTHCHECK)');
}

async function checkUser(name: string): Promise<void> {
  const status = await docker(['exec', name, 'cat', '/proc/1/status']);
  const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/);
  assert.deepEqual(uids, ['1000', '1000', '1000', '1000'], 'PID 1 runs as uid 1000 (real, effective, saved, fs)');
  const command = await docker(['exec', name, 'cat', '/proc/1/cmdline']);
  assert.match(command, /^node\0packages\/server\/dist\/main\.js/, 'PID 1 is the node server itself');
  ok('the server is PID 1 and runs as uid 1000 (node), not root');
}

async function checkInFlightStop(api: Api, name: string): Promise<void> {
  const registration = api.register(LATE.email, LATE.password);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await stopWithinGrace(name);
  assert.equal(await registration, 201, 'the request in flight at docker stop completed');
  ok('a request in flight when docker stop was sent completed with 201');
}
