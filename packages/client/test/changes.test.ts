import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, TEST_OPTIONS, testDatabases } from '@catalog/core/testing';
import { FEED_END as CONTRACT_FEED_END } from '@catalog/contract';
import test from 'ava';
import getPort from 'get-port';
import { bundledMain } from '../../../test-support/bundle.js';
import { createClient, FEED_END, readEventStream, type Change } from '../src/index.js';
import { rejectsWith, signedInClient, startServer, uniqueEmail } from './support/server.js';

const product = { name: 'Kettle', category: 'Kitchen', price: 20 };
const system = { actor: SYSTEM_ACTOR };
const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url));

/**
 * The standalone server (packages/server/src/main.ts) in a process of its own on `port`: the
 * bundle of it that the server's suite spawns too (test-support/bundle.ts), quicker to start than tsx.
 */
async function spawnServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [await bundledMain(SERVER_DIR)], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      CATALOG_DATABASE_URL: databaseUrl,
      CATALOG_SECRET: TEST_OPTIONS.secret,
      CATALOG_BCRYPT_COST: '4',
      CATALOG_PORT: String(port),
      CATALOG_LOG_LEVEL: 'warn',
      CATALOG_RATE_LIMIT_AUTH_PER_IP: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

test('readEventStream parses fields, comments, multi-line data and CRLF/CR line ends split across chunks', async (t) => {
  const text =
    ': hello\r\nid: 1\r\nevent: a\r\ndata: x\r\ndata:  y\r\n\r\n:c\rid:2\rdata:z\r\r\nid: 3\n\ndata: last\n\n';
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // One byte at a time: every split a network may make.
      for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
      controller.close();
    },
  });
  const events = [];
  for await (const event of readEventStream(body)) events.push(event);
  t.deepEqual(events, [
    { id: '1', event: 'a', data: 'x\n y' },
    { id: '2', event: 'message', data: 'z' },
    { id: undefined, event: 'message', data: 'last' },
  ]);
});

test("the SDK's FEED_END is the contract's", (t) => {
  t.is(FEED_END, CONTRACT_FEED_END);
});

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`changes.list pages the feed and watch follows it live, until aborted ${d}`, async (t) => {
    const live = await startServer(db);
    try {
      const { client } = await signedInClient(live, 'user');
      const first = await live.catalog.products.create({ ...product, name: 'first' }, system);
      const controller = new AbortController();
      const seen: Change[] = [];
      for await (const change of client.changes.watch({ signal: controller.signal, retryMs: 100 })) {
        seen.push(change);
        if (seen.length === 1) await live.catalog.products.patch(first.id, { price: 2 }, system);
        if (seen.length === 2) controller.abort();
      }
      t.deepEqual(
        seen.map((c) => [c.type, c.product.version]),
        [
          ['product.created', 1],
          ['product.updated', 2],
        ],
      );
      const page = await client.changes.list({ limit: 1 });
      t.is(page.data[0]!.id, seen[0]!.id);
      const rest = await client.changes.list({ cursor: page.next_cursor });
      t.deepEqual(
        rest.data.map((c) => c.id),
        [seen[1]!.id],
      );
      await rejectsWith(t, client.changes.list({ cursor: 'x' }), 400, 'invalid_cursor');
      const start = (await client.changes.list({ cursor: rest.next_cursor })).next_cursor;
      t.is(start, rest.next_cursor);
    } finally {
      await live.close();
    }
  });

  test(`watch from FEED_END ('now') follows only the changes written after it ${d}`, async (t) => {
    const live = await startServer(db);
    try {
      const { client } = await signedInClient(live, 'user');
      const before = await live.catalog.products.create({ ...product, name: 'before' }, system);
      // On PostgreSQL a committed change is readable once older transactions ended: wait for it.
      while (!(await client.changes.list({ limit: 100 })).data.some((c) => c.product_id === before.id)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const end = await client.changes.list({ cursor: FEED_END });
      t.deepEqual(end.data, []);
      const controller = new AbortController();
      const seen: Change[] = [];
      const watching = (async () => {
        for await (const change of client.changes.watch({ cursor: FEED_END, signal: controller.signal })) {
          seen.push(change);
          controller.abort();
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await live.catalog.products.patch(before.id, { price: 3 }, system);
      await watching;
      t.deepEqual(
        seen.map((c) => [c.type, c.product_id, c.product.version]),
        [['product.updated', before.id, 2]],
      );
      const after = await client.changes.list({ cursor: end.next_cursor });
      t.deepEqual(
        after.data.map((c) => c.id),
        [seen[0]!.id],
        'the end position of the page is where the watch started',
      );
    } finally {
      await live.close();
    }
  });

  test(`watch resumes by itself after the server is killed and restarted: nothing lost, nothing repeated ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    const port = await getPort({ host: '127.0.0.1' });
    let server = await spawnServer(catalog.url, port);
    const controller = new AbortController();
    try {
      const email = uniqueEmail('watcher');
      await catalog.users.create({ email, password: 'correct horse battery', role: 'user' }, system);
      const client = createClient({ baseUrl: `http://127.0.0.1:${port}` });
      await client.auth.login({ email, password: 'correct horse battery' });
      const written: string[] = [];
      const write = async (name: string) => {
        written.push((await catalog.products.create({ ...product, name }, system)).id);
      };
      await write('before');
      const seen: Change[] = [];
      for await (const change of client.changes.watch({ signal: controller.signal, retryMs: 100 })) {
        seen.push(change);
        if (seen.length === 1) {
          await write('live');
        } else if (seen.length === 2) {
          await kill(server);
          // Written while no server runs: the watcher must get these once it is back.
          await write('while down 1');
          await write('while down 2');
          server = await spawnServer(catalog.url, port);
          await write('after restart');
        }
        if (seen.length === written.length && seen.length === 5) controller.abort();
      }
      t.deepEqual(
        seen.map((c) => c.product_id),
        written,
      );
      t.is(new Set(seen.map((c) => c.id)).size, 5);
    } finally {
      controller.abort();
      await kill(server).catch(() => undefined);
      await catalog.destroy();
    }
  });
}
