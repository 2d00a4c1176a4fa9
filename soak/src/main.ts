import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { createCatalog, SYSTEM_ACTOR } from '@catalog/core';
import { ROOT } from './paths.js';
import { startServer } from './server-process.js';
import { drive } from './traffic.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '60' },
    connections: { type: 'string', default: '10' },
    db: { type: 'string' },
    'max-rss-growth': { type: 'string', default: '150' },
  },
});
const count = Number(values.count);
const seconds = Number(values.seconds);
const maxGrowth = Number(values['max-rss-growth']);
const secret = 'soak-secret-soak-secret-soak-secret-0123456789';
const env = { CATALOG_SECRET: secret, CATALOG_BCRYPT_COST: '10' };
const PASSWORD = 'soak password 1';

const dir = await mkdtemp(join(tmpdir(), 'catalog-soak-'));
const database = values.db ?? `sqlite:${join(dir, 'soak.db')}`;
const log = (message: string) => console.log(`soak: ${message}`);
try {
  log(`seeding ${count} products into ${database}`);
  let started = Date.now();
  // Only `db migrate` (and serve) create a database; seed refuses a missing file.
  await run('npx', ['catalog', '--db', database, 'db', 'migrate'], { cwd: ROOT, env: { ...process.env, ...env } });
  await run('npx', ['catalog', '--db', database, 'seed', '--count', String(count), '--seed', 'soak'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 1 << 24,
  });
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const catalog = await createCatalog({ database, secret, bcryptCost: 10 });
  const admin = { email: `soak-admin-${Date.now()}@example.com`, password: PASSWORD };
  const user = { email: `soak-user-${Date.now()}@example.com`, password: PASSWORD };
  await catalog.users.create({ ...admin, role: 'admin' }, { actor: SYSTEM_ACTOR });
  await catalog.users.create(user, { actor: SYSTEM_ACTOR });
  const adminToken = (await catalog.auth.login(admin)).access_token;
  const userToken = (await catalog.auth.login(user)).access_token;
  const ids: string[] = [];
  for await (const product of catalog.products.iterate({ sort_by: 'price' }, { actor: SYSTEM_ACTOR })) {
    ids.push(product.id);
    if (ids.length >= 6000) break;
  }
  await catalog.close();

  const server = await startServer(database, env);
  const spec = {
    url: server.url,
    seconds,
    connections: Number(values.connections),
    userToken,
    adminToken,
    ids: ids.slice(0, 1000),
    deletable: ids.slice(1000),
    login: admin,
  };
  log(`warming up 5 s on ${server.url}`);
  await drive({ ...spec, seconds: 5 });
  const rssBefore = await server.rssMiB();
  const samples: number[] = [];
  const sampler = setInterval(
    () =>
      void server.rssMiB().then(
        (mib) => samples.push(mib),
        () => {},
      ),
    2000,
  );
  log(`driving ${spec.connections} connections of mixed reads and admin writes for ${seconds} s`);
  started = Date.now();
  const result = await drive(spec);
  clearInterval(sampler);
  const rssAfter = await server.rssMiB();
  const exitCode = await server.stop();

  const { stdout } = database.startsWith('sqlite:')
    ? await run('sqlite3', [database.slice('sqlite:'.length), 'pragma integrity_check'])
    : { stdout: 'n/a (PostgreSQL)' };
  const integrity = stdout.trim();
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const byStatus = Object.entries(codes)
    .map(([code, { count: n }]) => `${code}: ${n}`)
    .join(', ');
  const unexpected = Object.entries(codes)
    .filter(([code]) => !code.startsWith('2') && code !== '429')
    .reduce((sum, [, { count: n }]) => sum + n, 0);
  const limited = codes['429']?.count ?? 0;
  const growth = rssAfter - rssBefore;
  const peak = Math.max(rssAfter, ...samples);

  console.log(`
Catalog soak — ${count} products, ${seconds} s, ${spec.connections} connections, ${database.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL'}
  requests             ${result.requests.total} (${result.requests.average.toFixed(0)} req/s), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms
  statuses             ${byStatus}
  non-2xx              ${result.non2xx} (429 rate-limited logins: ${limited}; any other: ${unexpected})
  errors / timeouts    ${result.errors} / ${result.timeouts}
  server RSS (MiB)     ${rssBefore.toFixed(0)} after warm-up → ${rssAfter.toFixed(0)} at the end (peak ${peak.toFixed(0)}; growth ${growth.toFixed(0)}, bound ${maxGrowth})
  shutdown exit code   ${exitCode}
  integrity_check      ${integrity}
`);
  const failed =
    unexpected > 0 ||
    result.errors > 0 ||
    result.timeouts > 0 ||
    growth > maxGrowth ||
    (integrity !== 'ok' && !integrity.startsWith('n/a')) ||
    exitCode !== 0;
  log(failed ? 'FAILED' : 'passed');
  process.exitCode = failed ? 1 : 0;
} finally {
  await rm(dir, { recursive: true, force: true });
}
