import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseBenchArgs, type BenchArgs } from './args.js';
import { buildCatalog } from './build.js';
import { explainScenarios } from './explain.js';
import { exportScenarios, importScenario, type BulkMeasurement } from './bulk.js';
import { loginUnderLoad, workerScaling } from './contention.js';
import { costScenarios } from './costs.js';
import { catalogEnv, prepareDataset } from './dataset.js';
import { RESULTS } from './paths.js';
import { openRaw } from './raw-db.js';
import { referenceScenarios } from './reference.js';
import { markdown, targets } from './report.js';
import { httpScenarios, searchScenarios, type Measurement } from './scenarios.js';
import { startCatalogServer } from './server.js';

async function main(args: BenchArgs): Promise<void> {
  const wants = (group: string) => args.only === undefined || args.only.has(group);
  const started = new Date();
  const dataset = await prepareDataset(args);
  console.error(`dataset: ${dataset.rows} products in ${dataset.url}`);
  if (args.explain) {
    const raw = await openRaw(dataset.url);
    try {
      console.log(await explainScenarios(raw, dataset.rows));
    } finally {
      await raw.close();
    }
    return;
  }
  const http: Measurement[] = [];
  const bulk: BulkMeasurement[] = [];
  const db = await openRaw(dataset.url);
  try {
    if (wants('http')) {
      console.error('http scenarios (catalog serve):');
      const server = await startCatalogServer(catalogEnv(dataset.url));
      try {
        http.push(...(await httpScenarios(server.url, db, args, dataset.rows, server.pid)));
        http.push(...(await searchScenarios(server.url, dataset.url, db, args, dataset.rows, server.pid)));
      } finally {
        await server.stop();
      }
    }
    if (wants('reference')) {
      console.error('reference points:');
      http.push(...(await referenceScenarios(dataset.url, db, args, dataset.rows)));
    }
    if (wants('costs')) {
      console.error('costs of ETag, include_total and metrics:');
      http.push(...(await costScenarios(dataset.url, args)));
    }
    if (wants('login')) {
      console.error('login under load:');
      http.push(...(await loginUnderLoad(dataset.url, args)));
    }
    if (wants('workers')) {
      console.error('workers:');
      http.push(...(await workerScaling(dataset.url, args)));
    }
  } finally {
    await db.close();
  }
  if (wants('export')) {
    console.error('export:');
    bulk.push(...(await exportScenarios(dataset, args)));
  }
  if (wants('import')) {
    console.error('import:');
    bulk.push(await importScenario(dataset, args, wants('export')));
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')} at the end`;
  const title = `${dataset.kind}, ${dataset.rows} products, ${args.connections} connections, ${args.duration} s (+${args.warmup} s warm-up) — ${started.toISOString().slice(0, 16)}Z`;
  const goals = targets(http, bulk, dataset.rows);
  const table = markdown(title, http, bulk, goals);
  const file = join(
    RESULTS,
    `bench-${dataset.kind}-${dataset.rows}-${started.toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await writeFile(
    file,
    JSON.stringify(
      {
        started: started.toISOString(),
        machine,
        node: process.version,
        args: { ...args, only: args.only && [...args.only] },
        dataset,
        http,
        bulk,
        targets: goals,
      },
      null,
      2,
    ),
  );
  console.log(`${table}\n\nMachine: ${machine}; Node ${process.version}.\nJSON: ${file}`);
}

const args = parseBenchArgs(process.argv.slice(2));
const cleanup = await buildCatalog();
try {
  await main(args);
} finally {
  await cleanup();
}
