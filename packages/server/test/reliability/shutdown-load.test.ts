import { request, type IncomingMessage } from 'node:http';
import { SYSTEM_ACTOR } from '@catalog/core';
import test from 'ava';
import { testDatabases } from '../helpers.js';
import { PASSWORD, prepareDatabase, reopen, spawnServer } from './support/processes.js';

const IN_FLIGHT = 24;
const LOADERS = 6;
/** Exiting later than this after the last in-flight request finished is a hang. */
const EXIT_BOUND = 15_000;

/** A POST whose body is only half sent: in flight for as long as the test wants. */
function halfSent(
  url: string,
  path: string,
  json: unknown,
  token?: string,
): { response: Promise<IncomingMessage>; finish(): void } {
  const body = JSON.stringify(json);
  const half = Math.floor(body.length / 2);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const req = request(`${url}${path}`, { method: 'POST', headers, agent: false });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  req.write(body.slice(0, half));
  return { response, finish: () => req.end(body.slice(half)) };
}

/** A GET on a new connection: its status, or the connection error's code. */
function freshGet(url: string, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/products?limit=5`,
      { headers: { authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

for (const db of testDatabases()) {
  test(`SIGTERM under load: in-flight requests complete, new connections are refused, exit 0 [${db.name}]`, async (t) => {
    const prepared = await prepareDatabase(db);
    const server = await spawnServer(prepared.url, { CATALOG_SHUTDOWN_TIMEOUT: '60' });
    const token = prepared.admin.access_token;
    try {
      // Background load: reads on new connections until the server stops taking them.
      let stopping = false;
      const outcomes: (number | string)[] = [];
      const loaders = Array.from({ length: LOADERS }, async () => {
        for (;;) {
          const outcome = await freshGet(server.url, token);
          outcomes.push(outcome);
          if (stopping && typeof outcome === 'string') return;
        }
      });

      const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) =>
        i % 2
          ? halfSent(server.url, '/auth/register', { email: `drain-${i}-${db.name}@example.com`, password: PASSWORD })
          : halfSent(server.url, '/products', { name: `drain ${i}`, category: 'drain', price: i }, token),
      );
      // Connections are accepted and read in order: once a later request is answered, the
      // half-sent ones have been read up to their missing halves.
      t.is(await freshGet(server.url, token), 200);

      stopping = true;
      server.child.kill('SIGTERM');
      await server.lineWhere((line) => String(line.msg).startsWith('shutting down'));
      // The listening socket closes on the server's next loop turn; a connection that lands in
      // the backlog just before is reset unread. From then on every new connection is refused.
      for (let i = 0; i < 50 && typeof (await freshGet(server.url, token)) === 'number'; i++);
      for (let i = 0; i < 5; i++)
        t.is(await freshGet(server.url, token), 'ECONNREFUSED', 'a new connection is refused');

      for (const request of inFlight) request.finish();
      const statuses = await Promise.all(
        inFlight.map(async ({ response }) => {
          const answer = await response;
          answer.resume();
          return answer.statusCode;
        }),
      );
      t.deepEqual(statuses, Array<number>(IN_FLIGHT).fill(201), 'every request in flight completed');
      const finished = Date.now();

      const bound = new Promise<'hang'>((resolve) => setTimeout(resolve, EXIT_BOUND, 'hang').unref());
      t.is(await Promise.race([server.exited, bound]), 0, 'exit 0, in bounded time');
      t.true(Date.now() - finished < EXIT_BOUND);
      await Promise.all(loaders);
      const answered = outcomes.filter((o) => typeof o === 'number');
      t.true(answered.length > 0);
      t.deepEqual([...new Set(answered)], [200], 'no answered request failed');
      const errors = new Set(outcomes.filter((o) => typeof o === 'string'));
      t.true(
        [...errors].every((code) => code === 'ECONNREFUSED' || code === 'ECONNRESET'),
        `only refused connections: ${[...errors].join(', ')}`,
      );

      const drained = await reopen(
        prepared.url,
        async (catalog) =>
          (await catalog.products.list({ category: 'drain', limit: 100 }, { actor: SYSTEM_ACTOR })).data.length,
      );
      t.is(drained, IN_FLIGHT / 2, 'the writes finished during shutdown are in the database');
    } finally {
      await server.stop();
      await prepared.drop();
    }
  });
}
