import type { BenchArgs } from './args.js';
import { catalogEnv, USER } from './dataset.js';
import { load, type LoadResult } from './load.js';
import { FILTER, login, medianOf, type Measurement } from './scenarios.js';
import { startCatalogServer, type RunningProcess } from './server.js';

/** The first page of the default order: what each cost below is added to. */
const FIRST = '/products';

/**
 * What the optional parts of a listing cost, each against the plain first page on the same
 * server: the list ETag (a conditional GET that matches answers 304), `include_total` (kept
 * totals with no filter or a category alone, a real count under other filters), and the metrics
 * with `Server-Timing` (a second server with `CATALOG_METRICS=false`). The plain first page and
 * each variant run interleaved `--rounds` times and report medians.
 */
export async function costScenarios(databaseUrl: string, args: BenchArgs): Promise<Measurement[]> {
  const metered = await startCatalogServer(catalogEnv(databaseUrl));
  let unmetered: RunningProcess | undefined;
  try {
    unmetered = await startCatalogServer(catalogEnv(databaseUrl, { CATALOG_METRICS: 'false' }), 1, 'server-nometrics');
    const on = await client(metered, args);
    const off = await client(unmetered, args);
    await expectTiming(metered.url, on.token, true);
    await expectTiming(unmetered.url, off.token, false);
    const etag = await currentETag(metered.url, on.token);
    const variants: Variant[] = [
      { scenario: 'first page', detail: `GET ${FIRST} (metrics on, the default)`, target: on, path: FIRST },
      {
        scenario: 'first page, If-None-Match (304)',
        detail: `GET ${FIRST} with the current ETag: 304`,
        target: on,
        path: FIRST,
        ifNoneMatch: etag,
      },
      {
        scenario: 'first page, metrics off',
        detail: `GET ${FIRST} on CATALOG_METRICS=false (no /metrics, no Server-Timing)`,
        target: off,
        path: FIRST,
      },
      {
        scenario: 'first page, include_total',
        detail: `GET ${FIRST}?include_total=true (kept total)`,
        target: on,
        path: `${FIRST}?include_total=true`,
      },
      {
        scenario: 'category, include_total',
        detail: 'GET /products?category=Kitchen&include_total=true (kept per-category total)',
        target: on,
        path: '/products?category=Kitchen&include_total=true',
      },
      { scenario: 'filtered, no total', detail: `GET /products?${FILTER}`, target: on, path: `/products?${FILTER}` },
      {
        scenario: 'filtered, include_total',
        detail: `GET /products?${FILTER}&include_total=true (counted)`,
        target: on,
        path: `/products?${FILTER}&include_total=true`,
      },
    ];
    const runs = new Map<string, LoadResult[]>(variants.map(({ scenario }) => [scenario, []]));
    for (let round = 1; round <= args.rounds; round++) {
      for (const { scenario, target, path, ifNoneMatch } of variants) {
        console.error(`  ${scenario}${args.rounds > 1 ? ` (${round}/${args.rounds})` : ''} …`);
        const headers = {
          ...target.spec.headers,
          ...(ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch }),
        };
        const expectStatus = ifNoneMatch === undefined ? undefined : 304;
        runs
          .get(scenario)!
          .push(await load({ ...target.spec, paths: [path], headers, ...(expectStatus && { expectStatus }) }));
      }
    }
    const median = args.rounds > 1 ? `, median of ${args.rounds} runs` : '';
    return variants.map(({ scenario, detail }) => ({
      group: 'costs',
      scenario,
      detail: `${detail}${median}`,
      ...medianOf(runs.get(scenario)!),
    }));
  } finally {
    await unmetered?.stop();
    await metered.stop();
  }
}

interface Client {
  token: string;
  spec: Parameters<typeof load>[0];
}

/** A signed-in load spec for the first page on `server`. */
async function client(server: RunningProcess, args: BenchArgs): Promise<Client> {
  const token = await login(server.url, USER);
  return {
    token,
    spec: {
      url: server.url,
      paths: [FIRST],
      headers: { authorization: `Bearer ${token}` },
      connections: args.connections,
      duration: args.duration,
      warmup: args.warmup,
      serverPid: server.pid,
    },
  };
}

interface Variant {
  scenario: string;
  detail: string;
  target: Client;
  path: string;
  /** Sent as `If-None-Match`; every response must then be 304. */
  ifNoneMatch?: string;
}

/** Fails unless `Server-Timing` is on the first page exactly when the metrics are on. */
async function expectTiming(url: string, token: string, on: boolean): Promise<void> {
  const response = await fetch(`${url}${FIRST}`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.headers.has('server-timing') !== on)
    throw new Error(`GET ${FIRST} on ${url} ${on ? 'lacks' : 'has'} Server-Timing`);
}

/** The ETag of the first page now; the bench writes nothing, so it stays current for the whole run. */
async function currentETag(url: string, token: string): Promise<string> {
  const response = await fetch(`${url}${FIRST}`, { headers: { authorization: `Bearer ${token}` } });
  const etag = response.headers.get('etag');
  if (response.status !== 200 || etag === null)
    throw new Error(`GET ${FIRST} answered ${response.status} without ETag`);
  const again = await fetch(`${url}${FIRST}`, { headers: { authorization: `Bearer ${token}`, 'if-none-match': etag } });
  if (again.status !== 304)
    throw new Error(`GET ${FIRST} with If-None-Match ${etag} answered ${again.status}, not 304`);
  return etag;
}
