import test from 'ava';
import { startPostgresCluster, type PostgresCluster } from '../../../../cluster/postgres-cluster.js';
import {
  ConfigError,
  createCatalog,
  NotFoundError,
  SYSTEM_ACTOR,
  type Catalog,
  type QueryKind,
} from '../../src/index.js';
import { TEST_OPTIONS } from '../../src/testing.js';

/*
 * Read replicas on a private primary and streaming replica (cluster/postgres-cluster.ts): which
 * reads go where, read-your-writes against a replica delayed on purpose, and a replica that
 * stops or falls behind leaving the rotation and coming back. The tests share the cluster and
 * change its replica's delay, so they run one after another.
 */

const PORT = 55610;
const SYSTEM_ACTOR_OPTIONS = { actor: SYSTEM_ACTOR };
let cluster: PostgresCluster | undefined;
const catalogs: Catalog[] = [];

test.before(async () => {
  cluster = await startPostgresCluster({ port: PORT });
});

test.after.always(async () => {
  await Promise.allSettled(catalogs.map((catalog) => catalog.close()));
  await cluster?.destroy();
});

let databases = 0;

/** A catalog on a fresh database of the cluster, reading from its replica; waits until the replica is in rotation. */
async function openCatalog(replicaMaxLagMs = 10_000): Promise<Catalog> {
  const pg = cluster!;
  const name = `replicas_${++databases}`;
  await pg.setReplicaDelay(0);
  await pg.createDatabase(name);
  const catalog = await createCatalog({
    ...TEST_OPTIONS,
    database: pg.primaryUrl(name),
    replicaUrls: [pg.replicaUrl(name)],
    replicaMaxLagMs,
  });
  catalogs.push(catalog);
  await until(() => catalog.replication!.status()[1]!.in_rotation === true, 'the replica is in rotation');
  return catalog;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Counts the statements `fn` runs by kind: with replicas, `read`/`scan` ran on a replica and `orm` on the primary. */
async function countQueries(catalog: Catalog, fn: () => Promise<unknown>): Promise<Record<QueryKind, number>> {
  const counts: Record<QueryKind, number> = { read: 0, scan: 0, orm: 0 };
  const stop = catalog.observeQueries((_ms, kind) => (counts[kind] += 1));
  try {
    await fn();
  } finally {
    stop();
  }
  return counts;
}

test.serial('replicas need a PostgreSQL database', async (t) => {
  const error = await t.throwsAsync(() => createCatalog({ database: ':memory:', replicaUrls: 'postgres://r/x' }), {
    instanceOf: ConfigError,
  });
  t.regex(error.message, /option replicaUrls: read replicas need a postgres:\/\/ database/);
});

test.serial(
  'list, get, search, dashboard and the change feed read on the replica; writes on the primary',
  async (t) => {
    const catalog = await openCatalog();
    const created = await catalog.products.create(
      { name: 'Replica tea', category: 'drinks', price: 3 },
      SYSTEM_ACTOR_OPTIONS,
    );
    await cluster!.waitForReplay();
    const reads = await countQueries(catalog, async () => {
      await catalog.products.get(created.id);
      await catalog.products.list({ limit: 5 });
      await catalog.products.list({ search: 'replica' });
      await catalog.dashboard.summary(SYSTEM_ACTOR_OPTIONS);
      await catalog.changes.list({ limit: 5 });
    });
    t.true(reads.read + reads.scan >= 5, JSON.stringify(reads));
    // The replica monitor's once-a-second query on the primary may fall in the window; no read does.
    t.true(reads.orm <= 1, JSON.stringify(reads));
    const writes = await countQueries(catalog, () =>
      catalog.products.patch(created.id, { price: 4 }, SYSTEM_ACTOR_OPTIONS),
    );
    t.true(writes.orm > 0);
    const status = catalog.replication!.status();
    t.deepEqual(
      status.map((s) => [s.role, s.name, s.reachable]),
      [
        ['primary', `127.0.0.1:${PORT}/replicas_${databases}`, true],
        ['replica', `127.0.0.1:${PORT + 1}/replicas_${databases}`, true],
      ],
    );
  },
);

test.serial('read-your-writes: a read after a write position skips a replica that has not replayed it', async (t) => {
  const catalog = await openCatalog();
  await cluster!.setReplicaDelay(2000);
  const product = await catalog.products.create({ name: 'Fresh', category: 'c', price: 1 }, SYSTEM_ACTOR_OPTIONS);
  const position = await catalog.replication!.primaryPosition();
  // Without the position the (delayed) replica answers, with the state before the write.
  await t.throwsAsync(() => catalog.products.get(product.id), { instanceOf: NotFoundError });
  // With it, the read goes to the primary until the replica has replayed the write.
  const counts = await countQueries(catalog, async () => {
    const read = await catalog.replication!.readingAfter(position, () => catalog.products.get(product.id));
    t.is(read.id, product.id);
  });
  t.true(counts.orm > 0 && counts.read === 0, JSON.stringify(counts));
  // Once the replica is known to have replayed it, the same read goes to the replica again.
  await until(async () => {
    const later = await countQueries(catalog, () =>
      catalog.replication!.readingAfter(position, () => catalog.products.get(product.id)),
    );
    return later.read > 0 && later.orm === 0;
  }, 'the replica serves the read after replaying the write');
  t.pass();
});

test.serial('a stopped replica leaves the rotation at once and comes back when it answers', async (t) => {
  const catalog = await openCatalog();
  const product = await catalog.products.create({ name: 'Kept', category: 'c', price: 1 }, SYSTEM_ACTOR_OPTIONS);
  await cluster!.waitForReplay();
  await cluster!.stop('replica');
  try {
    // The read that finds the replica gone runs again on the primary: nothing fails.
    for (let i = 0; i < 5; i++) t.is((await catalog.products.get(product.id)).id, product.id);
    await until(() => catalog.replication!.status()[1]!.reachable === false, 'the replica is seen unreachable', 5000);
    t.false(catalog.replication!.status()[1]!.in_rotation);
  } finally {
    await cluster!.start('replica');
  }
  await until(() => catalog.replication!.status()[1]!.in_rotation === true, 'the replica is back', 10_000);
  const counts = await countQueries(catalog, () => catalog.products.get(product.id));
  t.is(counts.read, 1);
});

test.serial('a replica further behind than replicaMaxLagMs leaves the rotation, and returns', async (t) => {
  const catalog = await openCatalog(1000);
  await cluster!.setReplicaDelay(4000);
  const product = await catalog.products.create({ name: 'Late', category: 'c', price: 1 }, SYSTEM_ACTOR_OPTIONS);
  await until(() => catalog.replication!.status()[1]!.in_rotation === false, 'the lagging replica leaves', 5000);
  t.true((catalog.replication!.status()[1]!.lag_ms ?? 0) > 1000);
  // Reads keep answering, from the primary, with the latest state.
  t.is((await catalog.products.get(product.id)).name, 'Late');
  await cluster!.setReplicaDelay(0);
  await until(() => catalog.replication!.status()[1]!.in_rotation === true, 'the replica catches up', 15_000);
  t.is((await catalog.products.get(product.id)).name, 'Late');
});

test.serial('the change feed read on a replica holds every committed change once, in order', async (t) => {
  const catalog = await openCatalog();
  const created = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      catalog.products.create({ name: `Feed ${i}`, category: 'c', price: i + 1 }, SYSTEM_ACTOR_OPTIONS),
    ),
  );
  await cluster!.waitForReplay();
  const seen: string[] = [];
  const counts = await countQueries(catalog, async () => {
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await catalog.changes.list({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((change) => change.product_id));
      cursor = page.next_cursor;
      if (!page.has_more) break;
    }
  });
  t.true(counts.read > 0 && counts.orm <= 1, `read on the replica: ${JSON.stringify(counts)}`);
  t.deepEqual([...seen].sort(), created.map((p) => p.id).sort());
});
