import { setTimeout as sleep } from 'node:timers/promises';
import test, { type ExecutionContext } from 'ava';
import { createCatalog } from '../../src/catalog.js';
import { resolveConfig } from '../../src/config.js';
import { openDatabase, type Orm } from '../../src/db/open.js';
import { IdempotencyStore, type IdempotencyRequest } from '../../src/idempotency/idempotency-store.js';
import { testDatabases, TEST_OPTIONS } from '../../src/testing.js';

/*
 * The idempotency store (idempotency/idempotency-store.ts) on a real database: claims, replays,
 * reuse, release, lease takeover, expiry and the background cleanup. Two ORMs on one database
 * stand for two processes.
 */

const HOUR = 3_600_000;
const response = (text: string) => ({
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', location: '/products/1' },
  body: Buffer.from(text),
});

for (const db of testDatabases()) {
  const open = async (t: ExecutionContext, processes = 1) => {
    const { url, drop } = await db.create();
    const orms: Orm[] = [];
    for (let i = 0; i < processes; i++)
      orms.push(await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: url })));
    t.teardown(async () => {
      for (const orm of orms) await orm.close(true);
      await drop();
    });
    let now = Date.UTC(2026, 0, 1);
    const clock = {
      advance: (ms: number) => (now += ms),
      stores: orms.map((orm) => new IdempotencyStore(orm, { ttlMs: HOUR, leaseMs: 60_000, now: () => now })),
    };
    return { url, ...clock, store: clock.stores[0]! };
  };
  let n = 0;
  const request = (fingerprint = 'f1'): IdempotencyRequest => ({ principal: 'user:a', key: `k${++n}`, fingerprint });

  test(`the first claim wins; a second sees it in flight, then replays the stored response byte for byte [${db.name}]`, async (t) => {
    const { store } = await open(t);
    const req = request();
    const first = await store.claim(req);
    if (first.kind !== 'claimed') return t.fail(first.kind);
    t.deepEqual(await store.claim(req), { kind: 'in_flight' });
    const body = '{"name":"Tea","price":3.5,"note":"ünïcode ✓"}';
    t.true(await store.complete(req, first.claim, response(body)));
    const again = await store.claim(req);
    if (again.kind !== 'replay') return t.fail(again.kind);
    t.is(again.response.status, 201);
    t.deepEqual(again.response.headers, response(body).headers);
    t.true(again.response.body.equals(Buffer.from(body)));
  });

  test(`the same key with another fingerprint is reused, in flight or completed [${db.name}]`, async (t) => {
    const { store } = await open(t);
    const req = request('f1');
    const first = await store.claim(req);
    if (first.kind !== 'claimed') return t.fail(first.kind);
    t.deepEqual(await store.claim({ ...req, fingerprint: 'f2' }), { kind: 'reused' });
    await store.complete(req, first.claim, response('{}'));
    t.deepEqual(await store.claim({ ...req, fingerprint: 'f2' }), { kind: 'reused' });
  });

  test(`keys belong to their principal: the same key of two principals is two keys [${db.name}]`, async (t) => {
    const { store } = await open(t);
    const req = request();
    t.is((await store.claim(req)).kind, 'claimed');
    t.is((await store.claim({ ...req, principal: 'user:b', fingerprint: 'other' })).kind, 'claimed');
  });

  test(`a released key runs anew; a release by a stale claim does nothing [${db.name}]`, async (t) => {
    const { store } = await open(t);
    const req = request();
    const first = await store.claim(req);
    if (first.kind !== 'claimed') return t.fail(first.kind);
    await store.release(req, first.claim);
    const second = await store.claim(req);
    if (second.kind !== 'claimed') return t.fail(second.kind);
    await store.release(req, first.claim);
    t.deepEqual(await store.claim(req), { kind: 'in_flight' });
  });

  test(`an unfinished claim past its lease is taken over by the same request; the old claim can no longer complete [${db.name}]`, async (t) => {
    const { store, advance } = await open(t);
    const req = request();
    const crashed = await store.claim(req);
    if (crashed.kind !== 'claimed') return t.fail(crashed.kind);
    advance(59_000);
    t.deepEqual(await store.claim(req), { kind: 'in_flight' });
    advance(1_000);
    t.deepEqual(await store.claim({ ...req, fingerprint: 'other' }), { kind: 'reused' });
    const taken = await store.claim(req);
    if (taken.kind !== 'claimed') return t.fail(taken.kind);
    t.false(await store.complete(req, crashed.claim, response('"late"')));
    t.true(await store.complete(req, taken.claim, response('"new"')));
    const replay = await store.claim(req);
    t.is(replay.kind === 'replay' && replay.response.body.toString(), '"new"');
  });

  test(`an expired key counts as absent, for any request [${db.name}]`, async (t) => {
    const { store, advance } = await open(t);
    const req = request();
    const first = await store.claim(req);
    if (first.kind !== 'claimed') return t.fail(first.kind);
    await store.complete(req, first.claim, response('{}'));
    advance(HOUR - 1);
    t.is((await store.claim(req)).kind, 'replay');
    advance(1);
    t.is((await store.claim({ ...req, fingerprint: 'other' })).kind, 'claimed');
  });

  test(`deleteExpired removes expired keys only, at most the limit per call [${db.name}]`, async (t) => {
    const { store, advance } = await open(t);
    const old = [request(), request(), request()];
    for (const req of old) await store.claim(req);
    advance(HOUR);
    const fresh = request();
    await store.claim(fresh);
    t.is(await store.deleteExpired(2), 2);
    t.is(await store.deleteExpired(2), 1);
    t.is(await store.deleteExpired(2), 0);
    t.deepEqual(await store.claim(fresh), { kind: 'in_flight' });
  });

  test(`of many concurrent claims from two processes exactly one wins [${db.name}]`, async (t) => {
    const { stores } = await open(t, 2);
    const req = request();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.claim(req)));
    t.is(outcomes.filter((o) => o.kind === 'claimed').length, 1);
    t.is(outcomes.filter((o) => o.kind === 'in_flight').length, 19);
  });

  test(`the catalog sweeps expired keys in the background (CATALOG_IDEMPOTENCY_TTL_HOURS) [${db.name}]`, async (t) => {
    const { url, drop } = await db.create();
    // A TTL of 1.8 s: the sweep runs as often as the TTL when it is under a minute.
    const catalog = await createCatalog({ ...TEST_OPTIONS, database: url, idempotencyTtlHours: 0.0005 });
    t.teardown(async () => {
      await catalog.close();
      await drop();
    });
    const req = request();
    const claimed = await catalog.idempotency.claim(req);
    if (claimed.kind !== 'claimed') return t.fail(claimed.kind);
    await catalog.idempotency.complete(req, claimed.claim, response('{}'));
    const count = () => catalog.idempotency.count();
    t.is(await count(), 1);
    for (let waited = 0; waited < 15_000 && (await count()) > 0; waited += 250) await sleep(250);
    t.is(await count(), 0);
  });
}
