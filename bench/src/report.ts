import type { BulkMeasurement } from './bulk.js';
import { EXPORT_REFERENCE_ROWS } from './bulk.js';
import { SORTS } from './positions.js';
import { searchTargets, type Measurement } from './scenarios.js';

export interface Target {
  measure: string;
  value: number | undefined;
  target: string;
  met: boolean | undefined;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

const ratioOf = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? undefined : a / b;

/** The baseline scenario whose CPU per request a catalog scenario is compared with: the first rule that matches. */
const BASELINE_OF: [RegExp, string][] = [
  [/^deep page /, 'baseline deep page'],
  [/./, 'baseline first page'],
];

/** Server CPU per request of `m` over that of its baseline scenario (undefined for the reference points). */
export function cpuVsBaseline(m: Measurement, http: Measurement[]): number | undefined {
  if (m.group === 'reference') return undefined;
  const name = BASELINE_OF.find(([pattern]) => pattern.test(m.scenario))?.[1];
  const baseline = http.find((b) => b.group === 'reference' && b.scenario === name);
  return ratioOf(m.cpuUsPerRequest, baseline?.cpuUsPerRequest);
}

/** The targets, computed from one run's measurements (undefined where not measured). */
export function targets(http: Measurement[], bulk: BulkMeasurement[], rows: number): Target[] {
  const find = (scenario: string) => http.find((m) => m.scenario === scenario);
  const ratio = ratioOf;
  const list: Target[] = [];
  const at = (measure: string, value: number | undefined, target: string, ok: (v: number) => boolean) =>
    list.push({ measure, value, target, met: value === undefined || !Number.isFinite(value) ? undefined : ok(value) });

  const deepRatios = SORTS.map(({ sortBy, order }) =>
    ratio(find(`deep page ${sortBy} ${order}`)?.p50, find(`first page ${sortBy} ${order}`)?.p50),
  );
  const worst = deepRatios.every((r) => r !== undefined) ? Math.max(...(deepRatios as number[])) : undefined;
  at('deep page p50 / first page p50, worst sort key and direction', worst, '≤ 1.2', (v) => v <= 1.2);
  const first = find('first page created_at desc');
  at(
    'GET /products first page req/s / baseline req/s',
    ratio(first?.rps, find('baseline first page')?.rps),
    '≥ 0.6',
    (v) => v >= 0.6,
  );
  at('server CPU µs per first page request / baseline', first && cpuVsBaseline(first, http), '≤ 1.6', (v) => v <= 1.6);
  at(
    'first page req/s, metrics + Server-Timing on / off',
    ratio(find('first page')?.rps, find('first page, metrics off')?.rps),
    '≥ 0.95',
    (v) => v >= 0.95,
  );
  // One serving process: the baseline is not Catalog, and --workers 2 sums three processes.
  const served = http
    .filter((m) => m.group !== 'reference' && m.group !== 'workers' && m.peakRssMiB !== undefined)
    .map((m) => m.peakRssMiB!);
  at(
    'serve peak RSS under load, one process (MiB)',
    served.length > 0 ? Math.max(...served) : undefined,
    '≤ 150 at 1M',
    (v) => v <= 150,
  );
  at('filtered p50 / first page p50', ratio(find('filtered')?.p50, first?.p50), '≤ 1.5', (v) => v <= 1.5);
  at('name search p50 (ms)', find('name search')?.p50, '≤ 20', (v) => v <= 20);
  list.push(...searchTargets(http));
  at('dashboard summary p50 (ms)', find('dashboard summary')?.p50, '≤ 10', (v) => v <= 10);
  const imported = bulk.find((b) => b.scenario === 'import (CSV)');
  at(`import ${imported?.rows ?? rows} rows from CSV (s)`, imported?.seconds, '≤ 30 at 1M', (v) => v <= 30);
  const big = bulk.find((b) => b.scenario === 'export (CSV)' && b.rows === rows);
  const small = bulk.find((b) => b.scenario === 'export (CSV)' && b.rows === EXPORT_REFERENCE_ROWS);
  at(
    `export peak RSS at ${rows} / at ${EXPORT_REFERENCE_ROWS}`,
    ratio(big?.peakRssMiB, small?.peakRssMiB),
    '≤ 1.2',
    (v) => v <= 1.2,
  );
  at(`export peak RSS at ${rows} (MiB)`, big?.peakRssMiB, '≤ 150', (v) => v <= 150);
  at(
    '--workers 2 / --workers 1 req/s',
    ratio(find('first page, --workers 2')?.rps, find('first page, --workers 1')?.rps),
    '≥ 1.4',
    (v) => v >= 1.4,
  );
  const busy = http.find((m) => m.group === 'login' && m.scenario.includes('logins running'));
  at(
    'first page p99 with 20 logins running / idle p99',
    ratio(busy?.p99, find('first page, idle')?.p99),
    '≤ 3',
    (v) => v <= 3,
  );
  list.push({
    measure: 'OFFSET deep page p50 / keyset deep page p50 (baseline)',
    value: ratio(find('OFFSET deep page')?.p50, find('baseline deep page')?.p50),
    target: 'contrast',
    met: undefined,
  });
  return list;
}

/** The run as markdown: the load table, the bulk table and the targets. */
export function markdown(title: string, http: Measurement[], bulk: BulkMeasurement[], goals: Target[]): string {
  const lines = [
    `### ${title}`,
    '',
    '| group | scenario | req/s | p50 ms | p99 ms | failed | CPU µs/req | CPU × baseline | peak RSS MiB | what |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const m of http) {
    const load = `${fmt(m.rps)} | ${fmt(m.p50, 2)} | ${fmt(m.p99, 2)} | ${m.failures}`;
    const usage = `${fmt(m.cpuUsPerRequest, 0)} | ${fmt(cpuVsBaseline(m, http), 2)} | ${fmt(m.peakRssMiB, 0)}`;
    lines.push(`| ${m.group} | ${m.scenario} | ${load} | ${usage} | ${m.detail} |`);
  }
  if (bulk.length > 0) {
    lines.push('', '| bulk | rows | seconds | peak RSS MiB |', '|---|---:|---:|---:|');
    for (const b of bulk) lines.push(`| ${b.scenario} | ${b.rows} | ${fmt(b.seconds)} | ${fmt(b.peakRssMiB)} |`);
  }
  lines.push('', '| target | measured | target | met |', '|---|---:|---|---|');
  for (const g of goals)
    lines.push(
      `| ${g.measure} | ${fmt(g.value, 2)} | ${g.target} | ${g.met === undefined ? '–' : g.met ? 'yes' : '**no**'} |`,
    );
  return lines.join('\n');
}
