import { createCatalog, type Catalog } from '@catalog/core';
import { TEST_OPTIONS, type TestCatalog } from '@catalog/core/testing';
import test from 'ava';
import { startPostgresCluster, type PostgresCluster } from '../../../cluster/postgres-cluster.js';
import { createServer, type RunningServer } from '../src/index.js';
import { call, signedIn } from './helpers.js';

/*
 * The HTTP side of read replicas, on a private primary and a streaming replica delayed on purpose:
 * `Catalog-LSN` after a write, `Catalog-Min-LSN` honoured on reads, /readyz listing the databases.
 */

const PORT = 55620;
let cluster: PostgresCluster | undefined;
let catalog: Catalog | undefined;
let running: RunningServer | undefined;

test.before(async () => {
  cluster = await startPostgresCluster({ port: PORT });
  await cluster.createDatabase('server_replicas');
  catalog = await createCatalog({
    ...TEST_OPTIONS,
    database: cluster.primaryUrl('server_replicas'),
    replicaUrls: [cluster.replicaUrl('server_replicas')],
    replicaMaxLagMs: 10_000,
  });
  running = await createServer(catalog, { logger: false, authPerIpLimit: 0, loginFailureLimit: 0, env: {} }).listen(
    0,
    '127.0.0.1',
  );
  const deadline = Date.now() + 20_000;
  while (catalog.replication!.status()[1]!.in_rotation !== true) {
    if (Date.now() > deadline) throw new Error('the replica never came into rotation');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

test.after.always(async () => {
  await running?.close();
  await catalog?.close();
  await cluster?.destroy();
});

test.serial('/readyz lists the primary and the replica', async (t) => {
  const response = await call(running!, 'GET', '/readyz');
  t.is(response.status, 200);
  const body = (await response.json()) as { status: string; databases: { role: string; reachable: boolean }[] };
  t.is(body.status, 'ready');
  t.deepEqual(
    body.databases.map((d) => [d.role, d.reachable]),
    [
      ['primary', true],
      ['replica', true],
    ],
  );
});

test.serial('a write answers Catalog-LSN; a read sending it back sees the write on a delayed replica', async (t) => {
  const admin = await signedIn({ catalog: catalog as TestCatalog }, 'admin');
  await cluster!.setReplicaDelay(2000);
  try {
    const created = await call(running!, 'POST', '/products', {
      token: admin.access_token,
      json: { name: 'Fresh', category: 'c', price: 2 },
    });
    t.is(created.status, 201);
    const position = created.headers.get('Catalog-LSN');
    t.regex(position ?? '', /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/);
    const { id } = (await created.json()) as { id: string };
    // Without the position, the delayed replica answers: the product is not there yet.
    t.is((await call(running!, 'GET', `/products/${id}`, { token: admin.access_token })).status, 404);
    const read = await call(running!, 'GET', `/products/${id}`, {
      token: admin.access_token,
      headers: { 'Catalog-Min-LSN': position! },
    });
    t.is(read.status, 200);
    t.is(read.headers.get('Catalog-LSN'), null, 'reads carry no position');
  } finally {
    await cluster!.setReplicaDelay(0);
  }
});

test.serial('a malformed Catalog-Min-LSN is ignored', async (t) => {
  const admin = await signedIn({ catalog: catalog as TestCatalog }, 'admin');
  const response = await call(running!, 'GET', '/products?limit=1', {
    token: admin.access_token,
    headers: { 'Catalog-Min-LSN': 'nope' },
  });
  t.is(response.status, 200);
});
