import { fileURLToPath } from 'node:url';
import type { BenchArgs } from './args.js';
import { load } from './load.js';
import { deepOffset, orderBySql } from './positions.js';
import type { RawDb } from './raw-db.js';
import type { Measurement } from './scenarios.js';
import getPort from 'get-port';
import { startProcess } from './server.js';

export const BASELINE = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));

/**
 * The two reference points: the minimal baseline (node:http + prepared raw SQL) for the first
 * page and the deep keyset page of the default order, and the same deep page with OFFSET.
 */
export async function referenceScenarios(
  url: string,
  db: RawDb,
  args: BenchArgs,
  rows: number,
): Promise<Measurement[]> {
  const port = await getPort({ host: '127.0.0.1' });
  const env = { ...process.env, BASELINE_DB: url, BASELINE_PORT: String(port) };
  const server = await startProcess([process.execPath, '--import', 'tsx', BASELINE], env, port, {
    log: 'baseline.log',
    readyPath: '/products',
  });
  try {
    const depth = deepOffset(rows);
    const [row] = await db.all(
      `select created_at, id from products where deleted_at is null order by ${orderBySql('created_at', 'desc')} limit 1 offset ?`,
      [depth],
    );
    const ms = row!.created_at instanceof Date ? row!.created_at.getTime() : Number(row!.created_at);
    const base = {
      url: server.url,
      connections: args.connections,
      duration: args.duration,
      warmup: args.warmup,
      serverPid: server.pid,
    };
    const scenarios: [string, string, string][] = [
      ['baseline first page', '/products', 'node:http + prepared keyset SQL, created_at desc'],
      ['baseline deep page', `/products?k=${ms}&id=${String(row!.id)}`, `same, keyset from row ${depth + 1}`],
      ['OFFSET deep page', `/offset?offset=${depth + 1}`, `same, LIMIT 21 OFFSET ${depth + 1} in raw SQL`],
    ];
    const results: Measurement[] = [];
    for (const [scenario, path, detail] of scenarios) {
      console.error(`  ${scenario} …`);
      results.push({ group: 'reference', scenario, detail, ...(await load({ ...base, paths: [path] })) });
    }
    return results;
  } finally {
    await server.stop();
  }
}
