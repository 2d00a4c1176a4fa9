import type { Change, ChangePage } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import test from 'ava';
import { call, problemOf, signedIn, startTestServer, subjectOf, testDatabases, type TestServer } from './helpers.js';
import { streamMessages, type StreamMessage } from './support-event-stream.js';

const product = { name: 'Kettle', category: 'Kitchen', price: 20 };

/** Reads messages until `done` says so (the iterator stays open for more). */
async function collect(
  messages: AsyncGenerator<StreamMessage>,
  done: (seen: StreamMessage[]) => boolean,
): Promise<StreamMessage[]> {
  const seen: StreamMessage[] = [];
  // next(), not for-await: breaking out of a for-await would close the stream.
  for (let next = await messages.next(); !next.done; next = await messages.next()) {
    seen.push(next.value);
    if (done(seen)) break;
  }
  return seen;
}

const changesIn = (seen: StreamMessage[]) => seen.filter((m) => m.id !== undefined);

async function openStream(server: TestServer, token: string, headers: Record<string, string> = {}, query = '') {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/changes/stream${query}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  return { response, messages: streamMessages(response.body!), controller };
}

/** Reads GET /changes after `cursor` until `count` changes came (on PostgreSQL a commit may take a moment to show). */
async function pagesUntil(server: TestServer, token: string, count: number, cursor?: string): Promise<ChangePage> {
  const data: Change[] = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await call(server, 'GET', `/changes?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
    const page = (await response.json()) as ChangePage;
    data.push(...page.data);
    cursor = page.next_cursor;
    if (page.has_more) continue;
    if (data.length >= count || Date.now() > deadline) return { ...page, data };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const db of testDatabases()) {
  const d = `[${db.name}]`;

  test(`GET /changes pages the writes made over the API, with their actor; polling with next_cursor gets what is new ${d}`, async (t) => {
    const server = await startTestServer(db);
    try {
      const admin = await signedIn(server, 'admin');
      const user = await signedIn(server, 'user');
      await problemOf(t, await call(server, 'GET', '/changes'), 401, 'unauthorized');
      const created = (await (
        await call(server, 'POST', '/products', { token: admin.access_token, json: product })
      ).json()) as { id: string };
      await call(server, 'PATCH', `/products/${created.id}`, { token: admin.access_token, json: { price: 5 } });
      const page = await pagesUntil(server, user.access_token, 2);
      t.deepEqual(
        page.data.map((c) => [c.type, c.product_id, c.product.version]),
        [
          ['product.created', created.id, 1],
          ['product.updated', created.id, 2],
        ],
      );
      t.true(page.data.every((c) => c.actor_id === subjectOf(admin.access_token)));
      const idle = await call(server, 'GET', `/changes?cursor=${page.next_cursor}`, { token: user.access_token });
      t.is(idle.status, 200);
      t.is(idle.headers.get('cache-control'), 'no-store');
      const idlePage = (await idle.json()) as ChangePage;
      t.deepEqual(idlePage.data, []);
      t.is(idlePage.next_cursor, page.next_cursor);
      const deleted = await call(server, 'DELETE', `/products/${created.id}`, { token: admin.access_token });
      t.is(deleted.status, 204);
      const next = await pagesUntil(server, user.access_token, 1, idlePage.next_cursor);
      t.deepEqual(
        next.data.map((c) => c.type),
        ['product.deleted'],
      );
      const end = (await (
        await call(server, 'GET', '/changes?cursor=now', { token: user.access_token })
      ).json()) as ChangePage;
      t.deepEqual([end.data, end.has_more, end.prev_cursor], [[], false, null]);
      const afterEnd = await call(server, 'GET', `/changes?cursor=${end.next_cursor}`, { token: user.access_token });
      t.deepEqual(((await afterEnd.json()) as ChangePage).data, [], 'cursor=now ends after the last change');
      const typed = (await (
        await call(server, 'GET', '/changes?type=product.updated', { token: user.access_token })
      ).json()) as ChangePage;
      t.deepEqual(
        typed.data.map((c) => c.type),
        ['product.updated'],
      );
    } finally {
      await server.close();
    }
  });

  test(`GET /changes refuses a bad type (422), a bad cursor (400) and a pruned position (410 cursor_expired) ${d}`, async (t) => {
    const server = await startTestServer(db);
    try {
      const user = await signedIn(server, 'user');
      await problemOf(
        t,
        await call(server, 'GET', '/changes?type=product.moved', { token: user.access_token }),
        422,
        'validation_failed',
      );
      await problemOf(
        t,
        await call(server, 'GET', '/changes?cursor=abc', { token: user.access_token }),
        400,
        'invalid_cursor',
      );
      const start = ((await (await call(server, 'GET', '/changes', { token: user.access_token })).json()) as ChangePage)
        .next_cursor;
      await server.catalog.products.create(product, { actor: SYSTEM_ACTOR });
      await pagesUntil(server, user.access_token, 1);
      t.is(await server.catalog.changes.prune(new Date(Date.now() + 1000)), 1);
      await problemOf(
        t,
        await call(server, 'GET', `/changes?cursor=${start}`, { token: user.access_token }),
        410,
        'cursor_expired',
      );
      await problemOf(
        t,
        await call(server, 'GET', '/changes/stream', { token: user.access_token, headers: { 'last-event-id': start } }),
        410,
        'cursor_expired',
      );
    } finally {
      await server.close();
    }
  });

  test(`GET /changes/stream sends what is there, then new writes, as id/event/data; resumes after Last-Event-ID; heartbeats ${d}`, async (t) => {
    const server = await startTestServer(db, { changesHeartbeatMs: 50 });
    try {
      const user = await signedIn(server, 'user');
      const first = await server.catalog.products.create({ ...product, name: 'first' }, { actor: SYSTEM_ACTOR });
      const { response, messages, controller } = await openStream(server, user.access_token);
      t.is(response.status, 200);
      t.is(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const before = await collect(messages, (seen) => changesIn(seen).length === 1);
      const [event] = changesIn(before);
      const change = JSON.parse(event!.data!) as Change;
      t.is(event!.event, 'product.created');
      t.is(event!.id, change.id);
      t.deepEqual(change.product, { ...first });
      const second = await server.catalog.products.patch(first.id, { price: 1 }, { actor: SYSTEM_ACTOR });
      const after = await collect(
        messages,
        (seen) => changesIn(seen).length === 1 && seen.some((m) => m.comment === 'heartbeat'),
      );
      t.deepEqual((JSON.parse(changesIn(after)[0]!.data!) as Change).product, second);
      controller.abort();

      const resumed = await openStream(server, user.access_token, { 'last-event-id': event!.id! });
      const again = await collect(resumed.messages, (seen) => changesIn(seen).length === 1);
      t.is(changesIn(again)[0]!.id, changesIn(after)[0]!.id, 'resumes with the change after the last one received');
      resumed.controller.abort();
      const byQuery = await openStream(server, user.access_token, {}, `?cursor=${event!.id!}&type=product.updated`);
      const viaQuery = await collect(byQuery.messages, (seen) => changesIn(seen).length === 1);
      t.is(changesIn(viaQuery)[0]!.event, 'product.updated');
      byQuery.controller.abort();
      await pagesUntil(server, user.access_token, 2);
      const fromNow = await openStream(server, user.access_token, {}, '?cursor=now');
      // The stream's first read marks the end (at once); two heartbeats later it is surely following.
      await collect(fromNow.messages, (seen) => seen.filter((m) => m.comment === 'heartbeat').length === 2);
      const third = await server.catalog.products.patch(first.id, { price: 2 }, { actor: SYSTEM_ACTOR });
      const live = await collect(fromNow.messages, (seen) => changesIn(seen).length === 1);
      t.deepEqual((JSON.parse(changesIn(live)[0]!.data!) as Change).product, third, '?cursor=now skips what was there');
      fromNow.controller.abort();
      // A disconnected client leaves no connection behind.
      const deadline = Date.now() + 10_000;
      let open = Infinity;
      while (open > 0 && Date.now() < deadline) {
        open = await new Promise<number>((resolve) => server.running.server.getConnections((_, n) => resolve(n)));
        if (open > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      t.is(open, 0);
    } finally {
      await server.close();
    }
  });

  test(`closing the server ends open streams instead of waiting for its shutdown timeout ${d}`, async (t) => {
    // A shutdown timeout far beyond the test's own timeout: if the stream held shutdown, the test would fail.
    const server = await startTestServer(db, { shutdownTimeout: 3600 });
    const user = await signedIn(server, 'user');
    const { messages } = await openStream(server, user.access_token);
    await collect(messages, (seen) => seen.some((m) => m.comment === 'connected'));
    const ended = (async () => {
      for await (const _ of messages) void _;
      return true;
    })();
    await server.running.close();
    t.true(await ended);
    await server.catalog.destroy();
  });
}
