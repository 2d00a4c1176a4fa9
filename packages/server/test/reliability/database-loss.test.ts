import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { call, problemOf, signedIn, startTestServer, testDatabases, type TestServer } from '../helpers.js';

const run = promisify(execFile);
/** A request that has not answered by then is hanging: the server must fail fast instead. */
const HANG = 15_000;
const PRODUCT = { name: 'Lamp', category: 'home', price: 12.5 };

async function timed(
  server: TestServer,
  method: string,
  path: string,
  token?: string,
  json?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (json !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${server.url}${path}`, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
    signal: AbortSignal.timeout(HANG),
  });
}

/** Polls /readyz until it answers 200 (the server reconnected by itself), at most ~10 s. */
async function waitReady(t: ExecutionContext, server: TestServer): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await timed(server, 'GET', '/readyz')).status === 200) return;
    await sleep(100);
  }
  t.fail('/readyz never answered 200 again');
}

async function psql(sql: string): Promise<void> {
  await run('psql', [process.env.CATALOG_TEST_POSTGRES_URL as string, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
}

/** Holds SQLite's write lock from another process (the sqlite3 shell) until released. */
async function holdWriteLock(path: string): Promise<{ release(): Promise<void> }> {
  const shell: ChildProcessWithoutNullStreams = spawn('sqlite3', [path]);
  shell.stdin.write("BEGIN IMMEDIATE; SELECT 'locked';\n");
  let out = '';
  while (!out.includes('locked')) out += String((await once(shell.stdout, 'data'))[0]);
  return {
    async release() {
      shell.stdin.end('ROLLBACK;\n');
      await once(shell, 'exit');
    },
  };
}

for (const db of testDatabases()) {
  if (db.name === 'postgres') {
    test(`database lost: /readyz and requests answer 503 at once, and the server recovers without a restart [${db.name}]`, async (t) => {
      const server = await startTestServer(db);
      const name = new URL(server.catalog.url).pathname.slice(1);
      try {
        const admin = await signedIn(server, 'admin');
        const before = (await (
          await call(server, 'POST', '/products', { token: admin.access_token, json: PRODUCT })
        ).json()) as { id: string };

        // The database goes away: it refuses new connections and every open one is cut.
        await psql(`alter database ${name} allow_connections false`);
        await psql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`);

        await problemOf(t, await timed(server, 'GET', '/readyz'), 503, 'service_unavailable');
        for (const [method, path, json] of [
          ['GET', '/products', undefined],
          ['GET', `/products/${before.id}`, undefined],
          ['POST', '/products', PRODUCT],
          ['GET', '/dashboard/summary', undefined],
        ] as const) {
          const response = await timed(server, method, path, admin.access_token, json);
          const body = await problemOf(t, response, 503, 'service_unavailable');
          t.is(response.headers.get('retry-after'), '1');
          t.notRegex(JSON.stringify(body), /select|insert|pg_|postgres|\n\s+at /i, `${method} ${path} leaks nothing`);
        }

        await psql(`alter database ${name} allow_connections true`);
        await waitReady(t, server);
        t.is((await timed(server, 'GET', `/products/${before.id}`, admin.access_token)).status, 200);
        t.is((await timed(server, 'POST', '/products', admin.access_token, PRODUCT)).status, 201);
      } finally {
        await psql(`alter database ${name} allow_connections true`);
        await server.close();
      }
    });
  } else {
    test(`database locked by another process past the busy timeout: writes answer 503, reads go on, then it recovers [${db.name}]`, async (t) => {
      const server = await startTestServer(db);
      try {
        const admin = await signedIn(server, 'admin');
        const lock = await holdWriteLock(server.catalog.url.replace(/^sqlite:/, ''));
        try {
          // WAL: readers do not wait for the writer.
          t.is((await timed(server, 'GET', '/products', admin.access_token)).status, 200);
          const response = await timed(server, 'POST', '/products', admin.access_token, PRODUCT);
          const body = await problemOf(t, response, 503, 'service_unavailable');
          t.notRegex(JSON.stringify(body), /SQLITE|insert|\n\s+at /i);
        } finally {
          await lock.release();
        }
        await waitReady(t, server);
        t.is((await timed(server, 'POST', '/products', admin.access_token, PRODUCT)).status, 201);
      } finally {
        await server.close();
      }
    });
  }
}
