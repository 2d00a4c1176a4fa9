import test from 'ava';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { SYSTEM_ACTOR } from '../../src/index.js';
import { createTestCatalog, testDatabases, type TestCatalog } from '../../src/testing.js';
import { readChanges } from '../support/change-feed.js';

/*
 * A writer whose transaction stays open while a later writer commits: the reader must not move
 * past the open one (it would never see its change), and once it commits the reader gets both,
 * in order, each once.
 */

const system = { actor: SYSTEM_ACTOR };

/** A change row as a writer would append it, for a product that exists only in the feed. */
function heldProduct(now: Date) {
  const at = now.toISOString();
  return {
    id: uuidv7(),
    name: 'Held',
    category: 'Open',
    price: 1,
    rating: null,
    sku: null,
    version: 1,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  };
}

/** An open transaction holding one uncommitted change, on a connection of its own. */
interface HeldWriter {
  productId: string;
  commit(): Promise<void>;
}

async function holdPostgresWriter(url: string): Promise<HeldWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const product = heldProduct(new Date());
  await client.query('begin');
  await client.query('insert into changes (type, product_id, product, actor_id, at) values ($1, $2, $3, null, $4)', [
    'product.created',
    product.id,
    JSON.stringify(product),
    new Date(),
  ]);
  return {
    productId: product.id,
    async commit() {
      await client.query('commit');
      await client.end();
    },
  };
}

/**
 * SQLite's locks are per process (POSIX): a second connection in this process would not be held
 * off by the catalog's connection, so the held writer is a process of its own.
 */
async function holdSqliteWriter(url: string): Promise<HeldWriter> {
  const product = heldProduct(new Date());
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('begin immediate');
    db.prepare('insert into changes (type, product_id, product, actor_id, at) values (?, ?, ?, null, ?)')
      .run('product.created', process.argv[2], process.argv[3], Date.now());
    process.stdout.write('held\\n');
    process.stdin.once('data', () => { db.exec('commit'); db.close(); process.stdout.write('committed\\n'); process.exit(0); });
  `;
  const child = spawn(
    process.execPath,
    ['-e', script, url.slice('sqlite:'.length), product.id, JSON.stringify(product)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const expect = async (line: string) => {
    const next = await lines.next();
    if (next.value !== line) throw new Error(`held writer: expected ${line}, got ${String(next.value)}`);
  };
  await expect('held');
  return {
    productId: product.id,
    async commit() {
      child.stdin!.write('go\n');
      await expect('committed');
    },
  };
}

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`a reader never passes a writer still open; after its commit it sees both writes in order, once ${d}`, async (t) => {
    const catalog: TestCatalog = await createTestCatalog(db);
    try {
      const start = (await catalog.changes.list()).next_cursor;
      const held = db.name === 'postgres' ? await holdPostgresWriter(catalog.url) : await holdSqliteWriter(catalog.url);
      // The later write: on PostgreSQL it commits now; SQLite has one writer, so it waits for the held one.
      const later = catalog.products.create({ name: 'Later', category: 'Closed', price: 2 }, system);
      let laterId: string | undefined;
      if (db.name === 'postgres') {
        laterId = (await later).id;
        // The later write is committed (another connection reads its row) but must not be read before the open one.
        const check = new pg.Client({ connectionString: catalog.url });
        await check.connect();
        const { rows } = await check.query('select count(*)::int as n from changes where product_id = $1', [laterId]);
        await check.end();
        t.is(rows[0].n, 1);
      }
      let cursor = start;
      for (let i = 0; i < 5; i++) {
        const page = await catalog.changes.list({ cursor });
        t.deepEqual(page.data, [], 'nothing is readable while the older writer is open');
        cursor = page.next_cursor;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await held.commit();
      laterId ??= (await later).id;
      const { changes } = await readChanges(catalog, 2, cursor);
      t.deepEqual(
        changes.map((c) => c.product_id),
        [held.productId, laterId],
      );
      const again = await catalog.changes.list({ cursor: changes.at(-1)!.id });
      t.deepEqual(again.data, [], 'each change once');
    } finally {
      await catalog.destroy();
    }
  });
}
