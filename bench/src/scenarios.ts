import getPort from 'get-port';
import type { BenchArgs } from './args.js';
import { BENCH_SECRET, USER } from './dataset.js';
import { load, type LoadResult } from './load.js';
import { deepCursor, deepOffset, SORTS } from './positions.js';
import type { RawDb } from './raw-db.js';
import { BASELINE } from './reference.js';
import type { Target } from './report.js';
import { startProcess } from './server.js';

/** One measured line of the table. */
export interface Measurement extends LoadResult {
  group: string;
  scenario: string;
  /** What exactly was requested, for the README and the JSON. */
  detail: string;
}

/** A term that matches few names: a whole demo name, in mixed case (search is case-insensitive). */
export const SEARCH_TERM = 'Rustic OAK teapot';
export const FILTER = 'category=Kitchen&min_price=10&max_price=40&sort_by=price&sort_order=asc';

export async function login(url: string, account: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (!response.ok) throw new Error(`login of ${account.email} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** GET `path` once and fail loudly unless it answers 200, so a broken scenario is never timed. */
async function check(url: string, path: string, token: string): Promise<void> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200)
    throw new Error(`GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

/**
 * The HTTP scenarios against one running catalog server: first and deep page for every sort key
 * and direction, filtered listing, name search, get by id, dashboard, login.
 */
export async function httpScenarios(
  url: string,
  db: RawDb,
  args: BenchArgs,
  rows: number,
  serverPid?: number,
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const base = { url, connections: args.connections, duration: args.duration, warmup: args.warmup, serverPid };
  const run = async (scenario: string, paths: string[]): Promise<LoadResult> => {
    // A fresh token per run: a run at 1M rows outlasts the access-token lifetime.
    const token = await login(url, USER);
    await check(url, paths[0]!, token);
    console.error(`  ${scenario} …`);
    return load({ ...base, paths, headers: { authorization: `Bearer ${token}` } });
  };
  const measure = async (scenario: string, paths: string[], detail: string) => {
    results.push({ group: 'http', scenario, detail, ...(await run(scenario, paths)) });
  };

  for (const { sortBy, order } of SORTS) {
    const query = `sort_by=${sortBy}&sort_order=${order}`;
    const cursor = await deepCursor(db, BENCH_SECRET, sortBy, order, deepOffset(rows));
    const first: LoadResult[] = [];
    const deep: LoadResult[] = [];
    for (let round = 1; round <= args.rounds; round++) {
      const of = args.rounds > 1 ? ` (${round}/${args.rounds})` : '';
      first.push(await run(`first page ${sortBy} ${order}${of}`, [`/products?${query}`]));
      deep.push(await run(`deep page ${sortBy} ${order}${of}`, [`/products?${query}&cursor=${cursor}`]));
    }
    const runs = args.rounds > 1 ? `, median of ${args.rounds} runs` : '';
    results.push({
      group: 'http',
      scenario: `first page ${sortBy} ${order}`,
      detail: `GET /products?${query}${runs}`,
      ...medianOf(first),
    });
    results.push({
      group: 'http',
      scenario: `deep page ${sortBy} ${order}`,
      detail: `cursor at row ${deepOffset(rows) + 1} of ${rows}${runs}`,
      ...medianOf(deep),
    });
  }
  await measure('filtered', [`/products?${FILTER}`], `GET /products?${FILTER}`);
  const search = `/products?search=${encodeURIComponent(SEARCH_TERM)}`;
  const [matches] = await db.all(`select count(*) as n from products where deleted_at is null and name_folded like ?`, [
    `%${SEARCH_TERM.toLowerCase()}%`,
  ]);
  await measure(
    'name search',
    [search],
    `search=${SEARCH_TERM} (${Number(matches!.n)} matches, ${((100 * Number(matches!.n)) / rows).toFixed(3)}% of names)`,
  );
  // About 1000 ids spread over the whole table: the last 24 bits of a UUIDv7 are random.
  const threshold = Math.ceil((0x1000000 * 1000) / rows)
    .toString(16)
    .padStart(6, '0');
  const ids = await db.all(
    'select id from products where deleted_at is null and substr(cast(id as text), 31, 6) < ? limit 1000',
    [threshold],
  );
  await measure(
    'get by id',
    ids.map((row) => `/products/${String(row.id)}`),
    `GET /products/{id}, ${ids.length} ids in turn`,
  );
  await measure('dashboard summary', ['/dashboard/summary'], 'GET /dashboard/summary');

  console.error('  login …');
  const body = JSON.stringify({ email: USER.email, password: USER.password });
  results.push({
    group: 'http',
    scenario: 'login',
    detail: 'POST /auth/login (bcrypt cost 12)',
    ...(await load({ ...base, paths: ['/auth/login'], method: 'POST', body })),
  });
  return results;
}

/** Each figure's median over several runs of one scenario (peak RSS: the highest); failures add up. */
export function medianOf(runs: LoadResult[]): LoadResult {
  const median = (pick: (run: LoadResult) => number) => {
    const values = runs.map(pick).sort((a, b) => a - b);
    const middle = Math.floor(values.length / 2);
    return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
  };
  return {
    rps: median((r) => r.rps),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
    ...(runs.every((r) => r.cpuUsPerRequest !== undefined) && { cpuUsPerRequest: median((r) => r.cpuUsPerRequest!) }),
    ...(runs.every((r) => r.peakRssMiB !== undefined) && { peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB!)) }),
  };
}

// ---------------------------------------------------------------------------------------------
// Name search against the baseline's plain ordered LIKE scan (issue 16).

/** The search terms measured, each against Catalog and against the minimal baseline. */
export const SEARCH_CASES = [
  // "monitor": Electronics' Monitor and Office's Monitor Stand, about 3% of the seeded names.
  { scenario: 'search common term', term: 'monitor' },
  { scenario: 'search rare term', term: SEARCH_TERM },
  // No seeded name holds a "q": the whole table is read unless something says so first.
  { scenario: 'search short term, no match', term: 'zq' },
] as const;

/**
 * More distinct rare terms than the catalog remembers candidate lists for (docs/search.md,
 * "Remembered candidates"), so that cycling through them measures searches whose candidates are
 * looked up in the trigram index (two names may still share the trigrams a lookup picks).
 */
const DISTINCT_RARE_TERMS = 2000;

/** DISTINCT_RARE_TERMS whole product names of the dataset (each held by a few dozen products). */
async function distinctNames(db: RawDb): Promise<string[]> {
  const rows = await db.all(`select distinct name from products order by name limit ${DISTINCT_RARE_TERMS}`);
  return rows.map((row) => String(row.name));
}

/**
 * Each search term on the running catalog and on the baseline server (started here, next to the
 * catalog; the two alternate term by term, so load from elsewhere hits both alike). The
 * catalog's line carries the ratio of the two p50s; searchTargets checks them.
 */
export async function searchScenarios(
  catalogUrl: string,
  databaseUrl: string,
  db: RawDb,
  args: BenchArgs,
  rows: number,
  catalogPid: number,
): Promise<Measurement[]> {
  const base = { connections: args.connections, duration: args.duration, warmup: args.warmup };
  const measure = async (scenario: string, paths: string[]): Promise<LoadResult> => {
    const token = await login(catalogUrl, USER);
    await check(catalogUrl, paths[0]!, token);
    console.error(`  ${scenario} …`);
    return load({
      ...base,
      url: catalogUrl,
      paths,
      headers: { authorization: `Bearer ${token}` },
      serverPid: catalogPid,
    });
  };
  const port = await getPort({ host: '127.0.0.1' });
  const env = { ...process.env, BASELINE_DB: databaseUrl, BASELINE_PORT: String(port) };
  const baseline = await startProcess([process.execPath, '--import', 'tsx', BASELINE], env, port, {
    log: 'baseline-search.log',
    readyPath: '/products',
  });
  const results: Measurement[] = [];
  const matchesOf = async (term: string) => {
    const [row] = await db.all('select count(*) as n from products where deleted_at is null and name_folded like ?', [
      `%${term.toLowerCase()}%`,
    ]);
    return Number(row!.n);
  };
  const cases = [
    ...SEARCH_CASES.map(({ scenario, term }) => ({ scenario, terms: [term] })),
    { scenario: 'search rare terms, a new one each request', terms: await distinctNames(db) },
  ];
  try {
    for (const { scenario, terms } of cases) {
      const paths = terms.map((term) => `/products?search=${encodeURIComponent(term)}`);
      const counts = await Promise.all(terms.slice(0, 3).map(matchesOf));
      const share = (n: number) => `${((100 * n) / rows).toFixed(3)}%`;
      const matches =
        terms.length === 1
          ? `${counts[0]} matches, ${share(counts[0]!)} of names`
          : `${terms.length} distinct whole names in turn; the first three match ${counts.join(', ')} (${counts.map(share).join(', ')})`;
      const ours = await measure(scenario, paths);
      console.error(`  baseline ${scenario} …`);
      const theirs = await load({ ...base, url: baseline.url, paths, serverPid: baseline.pid });
      const ratio = theirs.p50 > 0 ? (ours.p50 / theirs.p50).toFixed(2) : '–';
      results.push({
        group: 'http',
        scenario,
        detail: `search=${terms.length === 1 ? terms[0] : '<name>'} (${matches}); p50 × baseline ${ratio}`,
        ...ours,
      });
      results.push({
        group: 'reference',
        scenario: `baseline ${scenario}`,
        detail: `plain name_folded LIKE in created_at desc order, LIMIT 21 (${matches})`,
        ...theirs,
      });
    }
  } finally {
    await baseline.stop();
  }
  return results;
}

/** The search targets, from one run's measurements. */
export function searchTargets(http: Measurement[]): Target[] {
  const p50 = (scenario: string) => http.find((m) => m.scenario === scenario)?.p50;
  const target = (measure: string, value: number | undefined, goal: string, ok: (v: number) => boolean): Target => ({
    measure,
    value,
    target: goal,
    met: value === undefined || !Number.isFinite(value) ? undefined : ok(value),
  });
  const common = p50('search common term');
  const baseline = p50('baseline search common term');
  return [
    target(
      'search common term p50 / baseline p50',
      common !== undefined && baseline ? common / baseline : undefined,
      '≤ 1.5',
      (v) => v <= 1.5,
    ),
    target('search rare term p50 (ms)', p50('search rare term'), '≤ 10', (v) => v <= 10),
    target(
      'search rare terms, a new one each request, p50 (ms)',
      p50('search rare terms, a new one each request'),
      '≤ 10',
      (v) => v <= 10,
    ),
    target('search short term, no match p50 (ms)', p50('search short term, no match'), '≤ 100', (v) => v <= 100),
  ];
}
