import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { BenchArgs } from './args.js';
import { catalogEnv, prepareDataset, type Dataset } from './dataset.js';
import { RESULTS } from './paths.js';
import { runCatalog } from './run-catalog.js';

export interface BulkMeasurement {
  scenario: string;
  rows: number;
  seconds: number;
  peakRssMiB: number;
}

/** Rows of the smaller export that the peak RSS at `rows` is compared with. */
export const EXPORT_REFERENCE_ROWS = 100_000;

function exportFile(rows: number): string {
  return join(RESULTS, `export-${rows}.csv`);
}

async function exportDataset(dataset: Dataset): Promise<BulkMeasurement> {
  console.error(`  export ${dataset.rows} …`);
  const run = await runCatalog(['products', 'export', '--format', 'csv', '-o', exportFile(dataset.rows)], {
    env: catalogEnv(dataset.url),
  });
  return { scenario: 'export (CSV)', rows: dataset.rows, seconds: run.seconds, peakRssMiB: run.peakRssMiB };
}

/** `catalog products export` of the dataset, and of a 100k dataset to compare its peak RSS with. */
export async function exportScenarios(dataset: Dataset, args: BenchArgs): Promise<BulkMeasurement[]> {
  const results = [await exportDataset(dataset)];
  if (dataset.rows !== EXPORT_REFERENCE_ROWS) {
    const reference = await prepareDataset({ ...args, rows: EXPORT_REFERENCE_ROWS, fresh: false });
    results.unshift(await exportDataset(reference));
  }
  return results;
}

/**
 * `catalog products import` of the dataset's CSV export into a fresh database (a new SQLite file,
 * or the PostgreSQL database catalog_bench_import); wall time of the whole command.
 */
export async function importScenario(dataset: Dataset, args: BenchArgs, exported: boolean): Promise<BulkMeasurement> {
  if (!exported) await exportDataset(dataset);
  let target: string;
  if (dataset.kind === 'sqlite') {
    const path = join(RESULTS, `import-${dataset.rows}.db`);
    for (const suffix of ['', '-wal', '-shm']) await rm(`${path}${suffix}`, { force: true });
    target = `sqlite:${path}`;
  } else {
    const client = new pg.Client({ connectionString: args.db });
    await client.connect();
    await client.query('drop database if exists catalog_bench_import with (force)');
    await client.query('create database catalog_bench_import');
    await client.end();
    const url = new URL(args.db);
    url.pathname = '/catalog_bench_import';
    target = url.toString();
  }
  // Migrate first, so that the timed command is the import alone.
  await runCatalog(['db', 'migrate'], { env: catalogEnv(target) });
  console.error(`  import ${dataset.rows} …`);
  const run = await runCatalog(['products', 'import', exportFile(dataset.rows)], { env: catalogEnv(target) });
  return { scenario: 'import (CSV)', rows: dataset.rows, seconds: run.seconds, peakRssMiB: run.peakRssMiB };
}
