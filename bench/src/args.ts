import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Products in the dataset. */
  rows: number;
  /** `sqlite` (a file under bench/results/) or a `postgres://` URL (a database created per row count). */
  db: string;
  /** Concurrent connections of each autocannon run. */
  connections: number;
  /** Seconds of each measured run (after `warmup` seconds of warm-up). */
  duration: number;
  warmup: number;
  /**
   * Runs of each first page / deep page pair, interleaved (first, deep, first, deep, …); each
   * reports the median of its runs, so a few seconds of load from elsewhere skew one run, not the ratio.
   */
  rounds: number;
  /** Scenario groups to run (default all). */
  only: Set<string> | undefined;
  /** Re-seed even when an up-to-date dataset exists. */
  fresh: boolean;
  /** Print the query plan of each listing scenario's statements instead of running the scenarios. */
  explain: boolean;
}

export const GROUPS = ['http', 'reference', 'costs', 'login', 'workers', 'import', 'export'] as const;

const USAGE = `npm run bench -- [--rows N] [--db sqlite|postgres://…] [--connections C] [--duration S] [--warmup S] [--rounds R] [--only ${GROUPS.join(',')}] [--fresh] [--explain]`;

/** Parses the command line of `npm run bench`. @throws {Error} with the usage on a bad flag. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '100000' },
      db: { type: 'string', default: 'sqlite' },
      connections: { type: 'string', default: '10' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number ≥ ${min} (got ${value})\nusage: ${USAGE}`);
    return n;
  };
  const only = values.only === undefined ? undefined : new Set(values.only.split(',').map((s) => s.trim()));
  for (const group of only ?? []) {
    if (!(GROUPS as readonly string[]).includes(group))
      throw new Error(`--only: unknown group ${group}\nusage: ${USAGE}`);
  }
  if (values.db !== 'sqlite' && !/^postgres(ql)?:\/\//.test(values.db))
    throw new Error(`--db must be sqlite or a postgres:// URL\nusage: ${USAGE}`);
  return {
    rows: int('rows', values.rows, 100),
    db: values.db,
    connections: int('connections', values.connections, 1),
    duration: int('duration', values.duration, 1),
    warmup: int('warmup', values.warmup, 0),
    rounds: int('rounds', values.rounds, 1),
    only,
    fresh: values.fresh,
    explain: values.explain,
  };
}
