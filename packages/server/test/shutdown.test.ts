import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import test from 'ava';
import { PASSWORD, email, startTestServer, testDatabases } from './helpers.js';
import { spawnServer } from './reliability/support/processes.js';

/**
 * Starts a registration whose body is only half sent, so the request is in flight (the server is
 * reading it) for as long as the test wants. `finish()` sends the rest.
 */
function halfSentRegistration(url: string): { response: Promise<IncomingMessage>; finish(): void } {
  const body = JSON.stringify({ email: email('inflight'), password: PASSWORD });
  const half = Math.floor(body.length / 2);
  const req = request(`${url}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  req.write(body.slice(0, half));
  return { response, finish: () => req.end(body.slice(half)) };
}

async function readAll(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return text;
}

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`close() refuses new connections and finishes the request in flight ${tag}`, async (t) => {
    const server = await startTestServer(db);
    const { running } = server;
    const arrived = once(running.server, 'request');
    const inflight = halfSentRegistration(server.url);
    await arrived;

    let closed = false;
    const closing = running.close().then(() => (closed = true));
    await t.throwsAsync(fetch(`${server.url}/healthz`), undefined, 'new connections are refused');
    t.false(closed, 'close() waits for the request in flight');

    inflight.finish();
    const response = await inflight.response;
    t.is(response.statusCode, 201);
    t.is(response.headers.connection, 'close');
    t.like(JSON.parse(await readAll(response)), { role: 'user' });
    await closing;
    t.true(closed);
    await server.catalog.destroy();
  });

  test(`the standalone server shuts down on SIGTERM after finishing in-flight work, exit 0 ${tag}`, async (t) => {
    const database = await db.create();
    const server = await spawnServer(database.url);
    try {
      const { url, lineWhere } = server;
      t.regex(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      t.true(String((await lineWhere((line) => line.url === url)).msg).includes(`${url}/docs`), 'logs the /docs URL');

      const ready = await fetch(`${url}/readyz`);
      t.is(ready.status, 200);
      // Lines are awaited, not looked up: stdout is read asynchronously from the responses.
      await lineWhere((line) =>
        String(line.msg).includes('npx catalog users create --email you@example.com --role admin'),
      );
      await lineWhere((line) => String(line.msg).includes('npx catalog seed --count 1000'));
      const logged = await lineWhere((line) => line.path === '/readyz');
      t.like(logged, { method: 'GET', status: 200, request_id: ready.headers.get('x-request-id') });
      t.is(typeof logged.ms, 'number');

      const inflight = halfSentRegistration(url);
      // The server accepts and reads connections in order, so once a probe sent afterwards on
      // another connection is answered, the half-sent request has been read: it is in flight.
      await fetch(`${url}/healthz`);
      server.child.kill('SIGTERM');
      await lineWhere((line) => String(line.msg).startsWith('shutting down'));
      inflight.finish();
      const response = await inflight.response;
      t.is(response.statusCode, 201);
      await readAll(response);
      t.is(await server.exited, 0);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
}
