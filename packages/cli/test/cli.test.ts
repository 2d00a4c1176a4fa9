import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import getPort from 'get-port';
import test from 'ava';
import type { Product } from '@catalog/contract';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import packageJson from '../package.json' with { type: 'json' };
import { CLI_DIR, cliEnv, cliOn, runCli, spawnCli, workersListening } from './helpers/cli.js';

const sqlite = testDatabases().find((db) => db.name === 'sqlite')!;

test('--version prints the package version; --help of a command shows its examples [sqlite]', async (t) => {
  const [version, help] = await Promise.all([runCli(['--version']), runCli(['products', 'import', '--help'])]);
  t.is(version.code, 0);
  t.is(version.stdout, `${packageJson.version}\n`);
  t.is(help.code, 0);
  t.regex(help.stdout, /^Usage: catalog products import \[options\] <file>/);
  t.regex(help.stdout, /Examples:\n {2}\$ catalog products import products\.csv/);
});

test('usage errors exit 2 with one "catalog: …" line on stderr [sqlite]', async (t) => {
  // Migrated up front: two processes opening one brand-new SQLite file race to migrate it.
  const catalog = await createTestCatalog(sqlite);
  try {
    const cli = cliOn(catalog.url);
    const cases: [string[], RegExp][] = [
      [['products', 'list', '--frobnicate'], /^catalog: unknown option '--frobnicate'\n$/],
      [
        ['products', 'list', '--sort-by', 'colour'],
        /^catalog: option '--sort-by <key>' argument 'colour' is invalid\. Allowed choices are created_at, price, rating, name\.\n$/,
      ],
      [['products', 'get'], /^catalog: missing required argument 'id'\n$/],
      [['prodcts'], /^catalog: unknown command 'prodcts' \(Did you mean products\?\)\n$/],
      [
        ['products', 'list', '--limit', '500', '--min-price', 'cheap'],
        /^catalog: invalid input: --min-price: .+; --limit: must be at most 100\n$/,
      ],
      [['products', 'list', '--cursor', 'forged'], /^catalog: Cursor is malformed: .+\n$/],
      [['users', 'create', '--email', 'x@example.com'], /^catalog: no password: pass --password-stdin .+\n$/],
      [
        ['--db', 'mysql://nope', 'dashboard'],
        /^catalog: invalid configuration: option database: must be sqlite:PATH, :memory: or postgres:.+\n$/,
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    runs.forEach((run, i) => {
      t.is(run.code, 2, `${cases[i]![0].join(' ')}: ${run.stderr}`);
      t.regex(run.stderr, cases[i]![1]);
    });
  } finally {
    await catalog.destroy();
  }
});

test('failures exit 1 with one line, and the stack only with --debug [sqlite]', async (t) => {
  const unreachable = 'postgres://nobody@127.0.0.1:1/catalog';
  const [plain, debug] = await Promise.all([
    runCli(['--db', unreachable, 'dashboard']),
    runCli(['--db', unreachable, '--debug', 'dashboard']),
  ]);
  t.is(plain.code, 1);
  t.regex(plain.stderr, /^catalog: [^\n]+\n$/);
  t.is(debug.code, 1);
  t.regex(debug.stderr, /^catalog: [^\n]+\n[\s\S]*\n {4}at /);
});

test('the bin launcher runs the command from the sources when there is no build [sqlite]', async (t) => {
  const child = spawn(
    process.execPath,
    [join(CLI_DIR, 'bin', 'catalog.js'), 'products', 'list', '--db', ':memory:', '--format', 'json'],
    { cwd: CLI_DIR, env: cliEnv() },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const code = await new Promise((resolve) => child.on('close', resolve));
  t.is(code, 0);
  t.deepEqual(JSON.parse(stdout), { data: [], next_cursor: null, prev_cursor: null, has_more: false });
});

test('seed is deterministic: the same seed gives the same products, another seed others [sqlite]', async (t) => {
  const dbs = await Promise.all([sqlite.create(), sqlite.create(), sqlite.create()]);
  try {
    const seeds = ['alpha', 'alpha', 'beta'];
    // Only `db migrate` creates a database; seed, like every other command, needs one.
    for (const db of dbs) t.is((await cliOn(db.url)(['db', 'migrate'])).code, 0);
    const runs = await Promise.all(dbs.map((db, i) => cliOn(db.url)(['seed', '--count', '1500', '--seed', seeds[i]!])));
    for (const run of runs) {
      t.is(run.code, 0, run.stderr);
      t.regex(run.stderr, /^seeded 1500 products \(seed "(alpha|beta)"\) in [\d.]+ s\n$/);
    }
    const exports = await Promise.all(dbs.map((db) => cliOn(db.url)(['products', 'export', '--format', 'ndjson'])));
    const products = exports.map((run) =>
      run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Product)
        .map((p) => JSON.stringify([p.name, p.category, p.price, p.rating]))
        .sort(),
    );
    t.is(products[0]!.length, 1500);
    t.deepEqual(products[0], products[1]);
    t.notDeepEqual(products[0], products[2]);
    const parsed = products[0]!.map((p) => JSON.parse(p) as [string, string, number, number | null]);
    t.true(
      parsed.some(([, , , rating]) => rating === null),
      'some products are unrated',
    );
    t.true(new Set(parsed.map(([, , price]) => price)).size < 1500 / 2, 'many prices are shared (ties)');
    t.true(new Set(parsed.map(([, category]) => category)).size >= 8);
  } finally {
    await Promise.all(dbs.map((db) => db.drop()));
  }
});

/** One request on its own connection (no keep-alive), so the cluster may hand it to any worker. */
test('serve --workers 2: /metrics answers with the sum over both workers, whichever worker is asked [sqlite]', async (t) => {
  const fresh = await sqlite.create();
  const port = await getPort({ host: '127.0.0.1' });
  const child = await spawnCli(['--db', fresh.url, 'serve', '--port', String(port), '--workers', '2']);
  try {
    await workersListening(child);
    const pids = new Set<string>();
    for (let i = 0; i < 8; i++) pids.add(await workerOf(port));
    t.is(pids.size, 2, 'both workers answered /healthz');

    const healthz = /^catalog_http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)$/m;
    const scrapedBy = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const { status, worker, body } = await fetchFresh(port, '/metrics');
      t.is(status, 200);
      scrapedBy.add(worker);
      t.is(healthz.exec(body)?.[1], '8', 'every /healthz request, from both workers');
    }
    t.is(scrapedBy.size, 2, 'both workers answered /metrics');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    await fresh.drop();
  }
});

/** GET `path` on a connection of its own (so that the cluster may hand it to another worker). */
function fetchFresh(port: number, path: string): Promise<{ status: number; worker: string; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, worker: String(response.headers['x-catalog-worker']), body }),
      );
    }).on('error', reject);
  });
}

function workerOf(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(String(response.headers['x-catalog-worker'])));
    }).on('error', reject);
  });
}

test('serve --workers 2 answers from both workers and stops them all on SIGTERM [sqlite]', async (t) => {
  const fresh = await sqlite.create();
  const port = await getPort({ host: '127.0.0.1' });
  const child = await spawnCli(['--db', fresh.url, 'serve', '--port', String(port), '--workers', '2']);
  try {
    const stderr = await workersListening(child);
    t.regex(
      stderr,
      new RegExp(`catalog: 2 workers listening on http://127\\.0\\.0\\.1:${port} \\(primary ${child.pid}\\)`),
    );
    const pids = new Set<string>();
    for (let i = 0; i < 8; i++) pids.add(await workerOf(port));
    t.is(pids.size, 2, `served by ${[...pids].join(', ')}`);
    t.false(pids.has(String(child.pid)), 'the primary itself serves nothing');

    child.kill('SIGTERM');
    const [code] = await new Promise<[number | null]>((resolve) => child.on('close', (c) => resolve([c])));
    t.is(code, 0);
    for (const pid of pids) t.throws(() => process.kill(Number(pid), 0), { code: 'ESRCH' }, `worker ${pid} is gone`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await fresh.drop();
  }
});
