import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@catalog/client';
import type { Change, TokenResponse } from '@catalog/contract';
import { createCatalog, SYSTEM_ACTOR } from '@catalog/core';
import { haproxyConfig } from './haproxy.js';
import { runLoad, type LoadResult } from './load.js';
import { createNetwork, NETWORK, removeNetwork, type Host } from './network.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { startHaproxy, startServerHost, waitReady, type Running } from './processes.js';

/*
 * npm run test:cluster: Catalog as a team would run it past one machine, on this machine — two
 * hosts (network namespaces) each running `catalog serve --workers 2`, HAProxy in front with
 * health checks on /readyz, a PostgreSQL primary and a streaming replica. Named steps with
 * assertions; a short report at the end (docs/scaling.md quotes it). Everything it makes is
 * removed at the end, failure or not.
 */

const PG_PORT = 55432;
const LB_PORT = 58080;
const HOST_COUNT = 2;
const PASSWORD = 'cluster-password-1';
const MAX_LAG_MS = 3000;
const LOGIN_FAILURE_LIMIT = 5;

interface StepReport {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

const report: StepReport[] = [];
const figures: string[] = [];

async function step(name: string, fn: () => Promise<string>): Promise<void> {
  const started = performance.now();
  process.stdout.write(`-- ${name}\n`);
  try {
    const detail = await fn();
    report.push({ name, ok: true, ms: Math.round(performance.now() - started), detail });
    process.stdout.write(`   ok: ${detail}\n`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    report.push({ name, ok: false, ms: Math.round(performance.now() - started), detail });
    throw error;
  }
}

const lb = `http://127.0.0.1:${LB_PORT}`;
const lbOne = `http://127.0.0.1:${LB_PORT + 1}`;
const direct = (host: Host) => `http://${host.address}:8000`;

function summary(load: LoadResult): string {
  return `${load.ok + load.failed} requests in ${load.durationMs} ms (${load.rps} req/s), ${load.failed} failed, by host ${JSON.stringify(load.servedBy)}`;
}

interface Readiness {
  databases: { role: string; reachable: boolean; in_rotation?: boolean; lag_ms?: number | null }[];
}

async function readiness(base: string): Promise<Readiness | undefined> {
  const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
  return response?.ok ? ((await response.json()) as Readiness) : undefined;
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return Math.round(performance.now() - start);
    if (performance.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

/** One run at a time: a second would tear down the first one's namespaces and ports. */
const LOCK = join(tmpdir(), 'catalog-cluster.lock');

function takeLock(): void {
  try {
    const holder = Number(readFileSync(LOCK, 'utf8'));
    process.kill(holder, 0);
    throw new Error(`another cluster run (pid ${holder}) is in progress`);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('another')) throw error;
    // no lock, or its process is gone
  }
  writeFileSync(LOCK, String(process.pid));
}

async function main(): Promise<void> {
  assert.equal(process.getuid?.(), 0, 'the cluster harness runs as root (network namespaces, runuser postgres)');
  takeLock();
  const dir = mkdtempSync(join(tmpdir(), 'catalog-cluster-'));
  let pg: PostgresCluster | undefined;
  const hosts: Host[] = [];
  const servers = new Map<string, Running>();
  let haproxy: Running | undefined;
  const cleanup = async () => {
    await haproxy?.kill('SIGKILL');
    await Promise.all([...servers.values()].map((server) => server.kill('SIGKILL')));
    await pg?.destroy();
    removeNetwork(HOST_COUNT);
    rmSync(dir, { recursive: true, force: true });
    rmSync(LOCK, { force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const hostEnv = () => ({
    CATALOG_DATABASE_URL: pg!.primaryUrl('catalog', NETWORK.gateway),
    CATALOG_DATABASE_REPLICA_URLS: pg!.replicaUrl('catalog', NETWORK.gateway),
    CATALOG_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
    CATALOG_TRUST_PROXY: 'true',
    CATALOG_LOG_LEVEL: 'warn',
    CATALOG_BCRYPT_COST: '4',
    CATALOG_RATE_LIMIT_AUTH_PER_IP: '100000',
    CATALOG_RATE_LIMIT_LOGIN_FAILURES: String(LOGIN_FAILURE_LIMIT),
  });
  const startHost = async (host: Host) => {
    const server = startServerHost(host, hostEnv(), dir);
    servers.set(host.name, server);
    await waitReady(`${direct(host)}/readyz`, server, 90_000);
  };

  let adminEmail = '';
  const seeded: string[] = [];
  try {
    await step('topology: primary + replica, two hosts, HAProxy', async () => {
      hosts.push(...createNetwork(HOST_COUNT));
      pg = await startPostgresCluster({
        port: PG_PORT,
        addresses: ['127.0.0.1', NETWORK.gateway],
        clients: ['127.0.0.1/32', `${NETWORK.gateway.replace(/\.1$/, '.0')}/${NETWORK.prefix}`],
      });
      await pg.createDatabase('catalog');
      // Migrations, an admin and 600 products, through the library on the primary, before the hosts start.
      const setup = await createCatalog({ database: pg.primaryUrl('catalog'), bcryptCost: 4 });
      adminEmail = `admin-${randomUUID().slice(0, 8)}@example.com`;
      await setup.users.create({ email: adminEmail, password: PASSWORD, role: 'admin' }, { actor: SYSTEM_ACTOR });
      for (let batch = 0; batch < 6; batch++) {
        const products = await setup.products.createMany(
          Array.from({ length: 100 }, (_, i) => ({
            name: `Seed ${batch * 100 + i}`,
            category: `c${i % 7}`,
            price: 1 + ((batch * 100 + i) % 97),
          })),
          { actor: SYSTEM_ACTOR },
        );
        seeded.push(...products.map((p) => p.id));
      }
      await setup.close();
      await pg.waitForReplay();
      // Migrated and with its secret already (the setup above): the hosts start side by side.
      await Promise.all(hosts.map((host) => startHost(host)));
      haproxy = startHaproxy(haproxyConfig(hosts, LB_PORT), dir);
      await waitReady(`${lb}/readyz`, haproxy);
      const seen = new Set<string>();
      await until('both hosts answer through the balancer', 15_000, async () => {
        const response = await fetch(`${lb}/readyz`);
        seen.add(response.headers.get('x-served-by') ?? '');
        return hosts.every((h) => seen.has(h.name));
      });
      // Each host measures the replica's lag on its own schedule; the first measurement may find
      // it behind its bound (a loaded machine), and the next one in rotation.
      const h1 = direct(hosts[0]!);
      await until('h1 has the replica in rotation', 10_000, async () => {
        return (await readiness(h1))?.databases[1]?.in_rotation === true;
      }).catch(() => undefined);
      const ready = await readiness(h1);
      assert.deepEqual(
        ready?.databases.map((d) => [d.role, d.reachable, d.in_rotation ?? null]),
        [
          ['primary', true, null],
          ['replica', true, true],
        ],
        'h1 /readyz lists both databases, the replica in rotation',
      );
      process.stdout.write(`   h1 /readyz: ${JSON.stringify(ready)}\n`);
      return `primary :${PG_PORT}, replica :${PG_PORT + 1} (pg_basebackup -R), hosts ${hosts.map((h) => `${h.name}=${h.address}`).join(', ')}, HAProxy 127.0.0.1:${LB_PORT}; ${seeded.length} products`;
    });

    const token = await login(lb, adminEmail);
    const auth = { authorization: `Bearer ${token.access_token}` };

    await step('throughput: GET /products through the balancer, 1 host vs 2 hosts', async () => {
      const measure = (base: string) =>
        runLoad({
          concurrency: 8,
          durationMs: 6000,
          maxRequests: 50_000,
          send: (i) => fetch(`${base}/products?limit=20&category=c${i % 7}`, { headers: auth }),
        });
      await measure(lbOne); // warm-up of both paths' connections and JIT
      const one = await measure(lbOne);
      const two = await measure(lb);
      assert.equal(one.failed + two.failed, 0, `failures: ${JSON.stringify([one.failures, two.failures])}`);
      figures.push(`1 host: ${one.rps} req/s; 2 hosts: ${two.rps} req/s (ratio ${(two.rps / one.rps).toFixed(2)})`);
      return `1 host ${summary(one)}; 2 hosts ${summary(two)}`;
    });

    await step('pagination walks under concurrent writes: no duplicates, no skips', async () => {
      const writer = createClient({ baseUrl: lb, retries: 0 });
      await writer.auth.login({ email: adminEmail, password: PASSWORD });
      let writes = 0;
      let writing = true;
      const writeLoop = async (n: number) => {
        while (writing && writes < 2000) {
          writes++;
          if (writes % 2 === 0)
            await writer.products.create({ name: `Walk-time ${n}-${writes}`, category: 'w', price: 5 });
          else await writer.products.patch(seeded[writes % seeded.length]!, { name: `Renamed ${writes}` });
        }
      };
      const writers = [writeLoop(1), writeLoop(2)];
      while (writes < 10) await sleep(50);
      const walk = async (sortBy: 'created_at' | 'price') => {
        const reader = createClient({ baseUrl: lb, retries: 0 });
        reader.setTokens({ ...token, expires_at: Date.now() + token.expires_in * 1000 });
        const ids: string[] = [];
        for await (const product of reader.products.iterate({ sort_by: sortBy, sort_order: 'asc', limit: 10 })) {
          ids.push(product.id);
          if (ids.length > 20_000) break;
        }
        return ids;
      };
      const walks = await Promise.all([walk('created_at'), walk('price')]);
      const writesDuringWalks = writes - 10;
      writing = false;
      await Promise.all(writers);
      assert.ok(writesDuringWalks > 0, 'no write ran during the walks');
      for (const ids of walks) {
        assert.equal(new Set(ids).size, ids.length, 'a walk returned a product twice');
        const got = new Set(ids);
        const missing = seeded.filter((id) => !got.has(id));
        assert.equal(missing.length, 0, `a walk skipped ${missing.length} products that existed throughout`);
      }
      return `2 walks (created_at, price) of ${walks[0]!.length} and ${walks[1]!.length} products (pages of 10) during ${writesDuringWalks} writes: every seeded product once, no duplicate`;
    });

    await step('read-your-writes after every write, replica delayed by 1 s', async () => {
      await pg!.setReplicaDelay(1000);
      const client = createClient({ baseUrl: lb, retries: 0 });
      await client.auth.login({ email: adminEmail, password: PASSWORD });
      let staleWithoutHeader = 0;
      const rounds = 25;
      for (let i = 0; i < rounds; i++) {
        const created = await client.products.create({ name: `RYW ${i}`, category: 'ryw', price: 10 });
        assert.ok(client.writePosition, 'the write was answered with Catalog-LSN');
        // The same read without the position, as a client without read-your-writes would send it.
        const blind = await fetch(`${lb}/products/${created.id}`, { headers: auth });
        if (blind.status === 404) staleWithoutHeader++;
        const read = await client.products.get(created.id);
        assert.equal(read.name, `RYW ${i}`);
        const patched = await client.products.patch(created.id, { price: 20 + i });
        assert.equal((await client.products.get(created.id)).price, patched.price);
      }
      await pg!.setReplicaDelay(0);
      assert.ok(staleWithoutHeader > 0, 'the delayed replica served no stale read: the check proves nothing');
      figures.push(
        `read-your-writes: ${rounds * 2} reads after writes all current; ${staleWithoutHeader}/${rounds} stale without the header`,
      );
      return `${rounds * 2} reads right after writes all saw them; without Catalog-Min-LSN ${staleWithoutHeader}/${rounds} reads were stale (404)`;
    });

    await step('an idempotent retry lands on the other host and is replayed', async () => {
      const key = randomUUID();
      const name = `Idempotent ${key}`;
      const post = (base: string) =>
        fetch(`${base}/products`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ name, category: 'idem', price: 3 }),
        });
      const first = await post(direct(hosts[0]!));
      assert.equal(first.status, 201);
      const retry = await post(direct(hosts[1]!));
      assert.equal(retry.status, 201);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true', 'the retry on h2 was replayed');
      const [a, b] = [(await first.json()) as { id: string }, (await retry.json()) as { id: string }];
      assert.equal(a.id, b.id);
      const viaLb = await Promise.all([post(lb), post(lb)]);
      assert.deepEqual(
        viaLb.map((r) => r.headers.get('idempotent-replayed')),
        ['true', 'true'],
      );
      const found = await fetch(`${lb}/products?search=${encodeURIComponent(key)}`, { headers: auth });
      const page = (await found.json()) as { data: unknown[] };
      assert.equal(page.data.length, 1, 'one product for four requests');
      return 'POST on h1, same key on h2 → replayed (same id); twice more through the balancer → replayed; 1 product';
    });

    await step('secret, refresh families and rate limits are shared by the hosts', async () => {
      const [h1, h2] = [direct(hosts[0]!), direct(hosts[1]!)];
      const signedIn = await login(h1, adminEmail);
      const me = await fetch(`${h2}/auth/me`, { headers: { authorization: `Bearer ${signedIn.access_token}` } });
      assert.equal(me.status, 200, 'a token signed on h1 is accepted on h2');
      const refresh = (base: string, refreshToken: string) =>
        fetch(`${base}/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: refreshToken }),
        });
      const rotated = await refresh(h2, signedIn.refresh_token);
      assert.equal(rotated.status, 200, 'h2 rotates a refresh token issued on h1');
      const next = (await rotated.json()) as TokenResponse;
      assert.equal((await refresh(h1, signedIn.refresh_token)).status, 401, 'reusing the old token on h1 is refused');
      assert.equal((await refresh(h2, next.refresh_token)).status, 401, 'the reuse revoked the whole family');
      const victim = `nobody-${randomUUID().slice(0, 8)}@example.com`;
      const statuses: number[] = [];
      for (let i = 0; i <= LOGIN_FAILURE_LIMIT; i++) {
        const response = await fetch(`${i % 2 === 0 ? h1 : h2}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: victim, password: 'wrong-password-1' }),
        });
        statuses.push(response.status);
      }
      assert.deepEqual(statuses, [...Array<number>(LOGIN_FAILURE_LIMIT).fill(401), 429], 'one failed-login count');
      return `token from h1 accepted on h2; refresh rotated on h2, reuse on h1 revoked the family; failed logins alternating h1/h2: ${statuses.join(' ')}`;
    });

    await step('the change feed streamed from h1 delivers writes made on h2', async () => {
      const [h1, h2] = [direct(hosts[0]!), direct(hosts[1]!)];
      const watcher = createClient({ baseUrl: h1, retries: 0 });
      watcher.setTokens({ ...token, expires_at: Date.now() + token.expires_in * 1000 });
      let cursor: string | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await watcher.changes.list({ limit: 100, ...(cursor ? { cursor } : {}) });
        cursor = page.next_cursor;
        if (!page.has_more) break;
      }
      const abort = new AbortController();
      const received: Change[] = [];
      const count = 20;
      const watching = (async () => {
        for await (const change of watcher.changes.watch({ cursor: cursor ?? null, signal: abort.signal })) {
          received.push(change);
          if (received.length >= count) break;
        }
      })();
      const writer = createClient({ baseUrl: h2, retries: 0 });
      writer.setTokens({ ...token, expires_at: Date.now() + token.expires_in * 1000 });
      const written: string[] = [];
      const started = performance.now();
      for (let i = 0; i < count; i++)
        written.push((await writer.products.create({ name: `Feed ${i}`, category: 'f', price: 1 })).id);
      const timer = setTimeout(() => abort.abort(), 15_000);
      await watching;
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      assert.deepEqual(
        received.map((c) => c.product_id),
        written,
        'the stream delivered every write, once, in order',
      );
      return `${count} creates on h2 arrived in order on h1's SSE stream (${ms} ms from the first write to the last event)`;
    });

    /** Bounded listing reads through the balancer, four at a time. */
    const readLoad = (durationMs: number, maxRequests: number) =>
      runLoad({
        concurrency: 4,
        durationMs,
        maxRequests,
        send: (i) => fetch(`${lb}/products?limit=20&category=c${i % 7}`, { headers: auth }),
      });
    /** Whether every host's /readyz has the replica in rotation (or out of it). */
    const replicaEverywhere = (inRotation: boolean) => async () => {
      const all = await Promise.all(hosts.map((h) => readiness(direct(h))));
      return all.every((r) => r?.databases[1]?.in_rotation === inRotation);
    };

    await step('the replica stops: reads continue; it comes back into rotation after restarting', async () => {
      const load = readLoad(6000, 20_000);
      await sleep(1000);
      await pg!.stop('replica');
      const out = await until('every host sees the replica out of rotation', 10_000, replicaEverywhere(false));
      const result = await load;
      assert.equal(result.failed, 0, `reads failed while the replica was down: ${JSON.stringify(result.statuses)}`);
      await pg!.start('replica');
      const back = await until('every host has the replica back in rotation', 20_000, replicaEverywhere(true));
      figures.push(`replica stop: out of rotation on both hosts after ${out} ms, back ${back} ms after restart`);
      return `${summary(result)}; out of rotation on both hosts ${out} ms after the stop; back in rotation ${back} ms after the start`;
    });

    await step('the primary restarts: 503 fast during the gap, recovery without restarting the servers', async () => {
      const load = readLoad(20_000, 100_000);
      await sleep(1000);
      const stopping = performance.now();
      await pg!.stop('primary');
      await sleep(3000);
      await pg!.start('primary');
      const down = Math.round(performance.now() - stopping);
      const recovered = await until('a write succeeds through the balancer', 30_000, async () => {
        const response = await fetch(`${lb}/products`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'After restart', category: 'r', price: 1 }),
        });
        return response.status === 201;
      });
      const result = await load;
      const bad = result.failures.filter((f) => f.status !== '503');
      assert.equal(bad.length, 0, `failures other than 503: ${JSON.stringify(bad.slice(0, 5))}`);
      const slowest = Math.max(0, ...result.failures.map((f) => f.ms));
      assert.ok(slowest < 6000, `a 503 took ${slowest} ms`);
      figures.push(
        `primary restart: ${result.failed} × 503 (slowest ${slowest} ms); writes again ${recovered} ms after the start`,
      );
      return `${summary(result)}; every failure a 503, slowest ${slowest} ms; primary down ${down} ms; a write succeeded ${recovered} ms after it started, servers not restarted`;
    });

    await step(
      'a server host is killed mid-load: only requests in flight on it fail, the balancer drains it',
      async () => {
        const concurrency = 8;
        const loadStart = performance.now();
        const load = runLoad({
          concurrency,
          durationMs: 8000,
          maxRequests: 100_000,
          send: (i) =>
            i % 10 === 0
              ? fetch(`${lb}/products`, {
                  method: 'POST',
                  headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
                  body: JSON.stringify({ name: `Load ${i}`, category: 'l', price: 2 }),
                })
              : fetch(`${lb}/products?limit=20&category=c${i % 7}`, { headers: auth }),
        });
        await sleep(2000);
        const killedAt = Math.round(performance.now() - loadStart);
        await servers.get(hosts[1]!.name)!.kill('SIGKILL');
        const result = await load;
        // In flight on h2 = sent before HAProxy had taken it out: two failed health checks 500 ms
        // apart, plus slack for a loaded machine. Nothing sent later may fail.
        const drainMs = 2500;
        const late = result.failures.filter((f) => f.at > killedAt + drainMs);
        assert.equal(late.length, 0, `requests sent after h2 was drained failed: ${JSON.stringify(late)}`);
        const drained = await until('HAProxy sends nothing more to h2', 5000, async () => {
          const answers = await Promise.all([1, 2, 3, 4].map(() => fetch(`${lb}/readyz`)));
          return answers.every((r) => r.headers.get('x-served-by') === hosts[0]!.name);
        });
        const worst = Math.max(0, ...result.failures.map((f) => f.at - killedAt));
        figures.push(
          `host killed: ${result.failed} failed of ${result.ok + result.failed}, all sent ≤ ${worst} ms after the kill`,
        );
        const sentAt = result.failures.map((f) => f.at).join(', ');
        return `${summary(result)}; ${JSON.stringify(result.statuses)}; the failed ones were sent at ${sentAt} ms, the kill at ${killedAt} ms, none after the drain window; h2 drained (${drained} ms after the load)`;
      },
    );
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function login(base: string, email: string): Promise<TokenResponse> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(response.status, 200, `login through ${base}`);
  return (await response.json()) as TokenResponse;
}

function printReport(): void {
  process.stdout.write('\n== cluster report\n');
  for (const r of report)
    process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name} (${(r.ms / 1000).toFixed(1)} s)\n`);
  if (figures.length) process.stdout.write(`\n${figures.map((f) => `- ${f}`).join('\n')}\n`);
}

const started = performance.now();
main().then(
  () => {
    printReport();
    process.stdout.write(`\ncluster: all steps passed in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  },
  (error: unknown) => {
    printReport();
    process.stderr.write(
      `\ncluster: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
