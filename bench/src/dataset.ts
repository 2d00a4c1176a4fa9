import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { BenchArgs } from './args.js';
import { RESULTS } from './paths.js';
import { openRaw } from './raw-db.js';
import { runCatalog } from './run-catalog.js';

/** Fixed so that every process of a run (CLI, servers, baseline) signs and verifies alike. */
export const BENCH_SECRET = 'catalog-bench-secret-not-for-production-0123456789';
export const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };
export const USER = { email: 'bench-user@example.com', password: 'bench-user-password' };
const SEED = 'bench';

export interface Dataset {
  /** Database URL as the catalog takes it. */
  url: string;
  kind: 'sqlite' | 'postgres';
  rows: number;
  /** Seconds the seed took, when this run seeded. */
  seededSeconds?: number;
}

/** Environment of every catalog process of the benchmark. */
export function catalogEnv(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CATALOG_DATABASE_URL: url,
    CATALOG_SECRET: BENCH_SECRET,
    CATALOG_DATA_DIR: RESULTS,
    // The login scenario logs in thousands of times from one address.
    CATALOG_RATE_LIMIT_AUTH_PER_IP: '0',
    CATALOG_RATE_LIMIT_LOGIN_FAILURES: '0',
    ...extra,
  };
}

/**
 * The dataset of `args.rows` products with the two bench accounts, seeded through the CLI
 * (`catalog seed`) into bench/results/sqlite-N.db (or the PostgreSQL database catalog_bench_N)
 * unless a complete one from an earlier run exists (its marker file is written last).
 */
export async function prepareDataset(args: BenchArgs): Promise<Dataset> {
  await mkdir(RESULTS, { recursive: true });
  const kind = args.db === 'sqlite' ? 'sqlite' : 'postgres';
  const marker = join(RESULTS, `${kind}-${args.rows}.json`);
  const url =
    kind === 'sqlite'
      ? `sqlite:${join(RESULTS, `sqlite-${args.rows}.db`)}`
      : await postgresDatabase(args.db, `catalog_bench_${args.rows}`, args.fresh);
  const dataset: Dataset = { url, kind, rows: args.rows };
  if (!args.fresh && existsSync(marker) && (await liveCount(url)) === args.rows) {
    await analyze(dataset);
    return dataset;
  }

  if (kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) await rm(`${url.slice('sqlite:'.length)}${suffix}`, { force: true });
  } else {
    await postgresDatabase(args.db, `catalog_bench_${args.rows}`, true);
  }
  await rm(marker, { force: true });
  console.error(`seeding ${args.rows} products into ${url} (catalog seed) …`);
  const env = catalogEnv(url);
  // Only `db migrate` (and serve) create a database; seed refuses a missing file.
  await runCatalog(['db', 'migrate'], { env });
  const seed = await runCatalog(['seed', '--count', String(args.rows), '--seed', SEED], { env });
  dataset.seededSeconds = seed.seconds;
  for (const [account, role] of [
    [ADMIN, 'admin'],
    [USER, 'user'],
  ] as const) {
    await runCatalog(['users', 'create', '--email', account.email, '--role', role, '--password-stdin'], {
      env,
      stdin: account.password,
    });
  }
  await analyze(dataset);
  await writeFile(
    marker,
    JSON.stringify(
      { rows: args.rows, seed: SEED, seeded_at: new Date().toISOString(), seed_seconds: seed.seconds },
      null,
      2,
    ),
  );
  return dataset;
}

/**
 * PostgreSQL plans from table statistics, and a freshly seeded table has none until autovacuum
 * (if it runs at all) gets to it: without them the planner guessed a handful of rows and sorted
 * bitmap scans instead of reading the sort index in order (`--explain`). Every run analyzes first.
 */
async function analyze(dataset: Dataset): Promise<void> {
  if (dataset.kind !== 'postgres') return;
  const db = await openRaw(dataset.url);
  try {
    await db.all('analyze');
  } finally {
    await db.close();
  }
}

async function liveCount(url: string): Promise<number | undefined> {
  if (url.startsWith('sqlite:') && !existsSync(url.slice('sqlite:'.length))) return undefined;
  const db = await openRaw(url);
  try {
    const [row] = await db.all('select live_count from product_stats where id = 1');
    return row ? Number(row.live_count) : undefined;
  } catch {
    return undefined;
  } finally {
    await db.close();
  }
}

/** The URL of database `name` on the server of `baseUrl`, created (or re-created when `recreate`). */
async function postgresDatabase(baseUrl: string, name: string, recreate: boolean): Promise<string> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    if (recreate) await client.query(`drop database if exists ${name} with (force)`);
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Reads a dataset marker (for the report). */
export async function readMarker(kind: string, rows: number): Promise<unknown> {
  return JSON.parse(await readFile(join(RESULTS, `${kind}-${rows}.json`), 'utf8'));
}
