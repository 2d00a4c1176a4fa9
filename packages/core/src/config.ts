import { z } from 'zod';
import { ConfigError } from './errors.js';
import { boolSetting, intSetting, resolveSettings } from './settings.js';

/** Options of `createCatalog()`. Anything left out is read from the environment, then defaulted. */
export interface CatalogOptions {
  /** `sqlite:PATH`, `:memory:` or `postgres://…` (env `CATALOG_DATABASE_URL`; default `sqlite:data/catalog.db`). */
  database?: string;
  /**
   * Create a missing SQLite file (and its directory) instead of throwing `DatabaseMissingError`
   * (default true). Not read from the environment.
   */
  create?: boolean;
  /** HMAC/JWT secret, ≥ 32 characters (env `CATALOG_SECRET`; else generated once and kept in the database). */
  secret?: string;
  /**
   * Where versions before the secret moved into the database kept it (`dataDir/catalog.secret`):
   * the file, when present, is adopted at the first open (env `CATALOG_DATA_DIR`; default `data`).
   */
  dataDir?: string;
  /** bcrypt cost, 4–15 (env `CATALOG_BCRYPT_COST`; default 12). */
  bcryptCost?: number;
  /** Access-token lifetime in seconds (env `CATALOG_ACCESS_TOKEN_TTL`; default 900). */
  accessTokenTtl?: number;
  /** Refresh-token lifetime in seconds (env `CATALOG_REFRESH_TOKEN_TTL`; default 7 days). */
  refreshTokenTtl?: number;
  /** JWT `iss` (env `CATALOG_JWT_ISSUER`; default `catalog`). */
  issuer?: string;
  /** JWT `aud` (env `CATALOG_JWT_AUDIENCE`; default `catalog-api`). */
  audience?: string;
  /** Apply pending migrations when opening (env `CATALOG_MIGRATE`; default true). */
  migrate?: boolean;
  /** Connection pool size for PostgreSQL (env `CATALOG_DB_POOL_MAX`; default 10). */
  poolMax?: number;
  /**
   * PostgreSQL read replicas (`postgres://` URLs; env `CATALOG_DATABASE_REPLICA_URLS`, comma-separated;
   * default none): lag-tolerant reads go to a healthy one (docs/scaling.md). One string is split the same way.
   */
  replicaUrls?: string | readonly string[];
  /**
   * A replica further behind the primary than this (ms) leaves the rotation
   * (env `CATALOG_REPLICA_MAX_LAG_MS`; default 5000).
   */
  replicaMaxLagMs?: number;
  /** Log every SQL statement to stderr (env `CATALOG_DEBUG_SQL`; default false). */
  debugSql?: boolean;
  /**
   * How long a response stored under an Idempotency-Key is replayed, in hours; decimals allowed
   * (env `CATALOG_IDEMPOTENCY_TTL_HOURS`; default 24).
   */
  idempotencyTtlHours?: number;
  /** Days the change feed keeps a change, 1–3650 (env `CATALOG_CHANGES_RETENTION_DAYS`; default 30). */
  changesRetentionDays?: number;
}

export type DatabaseKind = 'sqlite' | 'postgresql';

export interface Config {
  database: { kind: DatabaseKind; url: string; /** SQLite file path or `:memory:`. */ path?: string };
  secret?: string;
  dataDir: string;
  bcryptCost: number;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  issuer: string;
  audience: string;
  migrate: boolean;
  poolMax: number;
  /** Read replicas of the PostgreSQL primary; empty without. */
  replicaUrls: string[];
  replicaMaxLagMs: number;
  debugSql: boolean;
  idempotencyTtlHours: number;
  changesRetentionDays: number;
}

const ENV_NAMES: Record<Exclude<keyof CatalogOptions, 'create'>, string> = {
  database: 'CATALOG_DATABASE_URL',
  secret: 'CATALOG_SECRET',
  dataDir: 'CATALOG_DATA_DIR',
  bcryptCost: 'CATALOG_BCRYPT_COST',
  accessTokenTtl: 'CATALOG_ACCESS_TOKEN_TTL',
  refreshTokenTtl: 'CATALOG_REFRESH_TOKEN_TTL',
  issuer: 'CATALOG_JWT_ISSUER',
  audience: 'CATALOG_JWT_AUDIENCE',
  migrate: 'CATALOG_MIGRATE',
  poolMax: 'CATALOG_DB_POOL_MAX',
  replicaUrls: 'CATALOG_DATABASE_REPLICA_URLS',
  replicaMaxLagMs: 'CATALOG_REPLICA_MAX_LAG_MS',
  debugSql: 'CATALOG_DEBUG_SQL',
  idempotencyTtlHours: 'CATALOG_IDEMPOTENCY_TTL_HOURS',
  changesRetentionDays: 'CATALOG_CHANGES_RETENTION_DAYS',
};

const int = intSetting;
const bool = boolSetting;

const OptionsSchema = z.object({
  database: z.string().trim().min(1, 'must not be empty').default('sqlite:data/catalog.db'),
  secret: z.string().min(32, 'must be at least 32 characters').optional(),
  dataDir: z.string().min(1, 'must not be empty').default('data'),
  bcryptCost: int(4, 15).default(12),
  accessTokenTtl: int(10, 24 * 3600).default(900),
  refreshTokenTtl: int(60, 365 * 24 * 3600).default(7 * 24 * 3600),
  issuer: z.string().min(1, 'must not be empty').default('catalog'),
  audience: z.string().min(1, 'must not be empty').default('catalog-api'),
  migrate: bool.default(true),
  poolMax: int(1, 100).default(10),
  replicaUrls: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (typeof value === 'string' ? value.split(',') : [...value]))
    .transform((urls) => urls.map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be postgres:// URLs, comma-separated')))
    .default([]),
  replicaMaxLagMs: int(100, 3_600_000).default(5000),
  debugSql: bool.default(false),
  // A second at least; decimals so that tests (and cautious operators) can go below an hour.
  idempotencyTtlHours: z.coerce
    .number({ message: 'must be a number' })
    .min(1 / 3600, 'must be at least one second (0.0003 hours)')
    .max(24 * 365, 'must be at most a year (8760 hours)')
    .default(24),
  changesRetentionDays: int(1, 3650).default(30),
});

/** Parses a database URL into its kind and location. Returns a problem message when it is not one. */
export function parseDatabaseUrl(url: string): Config['database'] | string {
  if (url === ':memory:' || url === 'sqlite::memory:') return { kind: 'sqlite', url: ':memory:', path: ':memory:' };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return path ? { kind: 'sqlite', url, path } : 'sqlite: URL needs a file path, e.g. sqlite:data/catalog.db';
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
      return { kind: 'postgresql', url };
    } catch {
      return 'is not a valid postgres:// URL';
    }
  }
  return 'must be sqlite:PATH, :memory: or postgres://USER@HOST:PORT/DB';
}

/**
 * Merges options over the environment, validates everything and reports every bad value at once.
 * @throws {ConfigError} listing each bad value with where it came from.
 */
export function resolveConfig(options: CatalogOptions = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const settings = resolveSettings(OptionsSchema, ENV_NAMES, options, env, ['secret']);
  const database = parseDatabaseUrl(settings.database);
  if (typeof database === 'string') {
    const where = options.database !== undefined ? 'option database' : 'CATALOG_DATABASE_URL';
    throw new ConfigError([`${where}: ${database} (got ${JSON.stringify(settings.database)})`]);
  }
  if (settings.replicaUrls.length > 0 && database.kind !== 'postgresql') {
    const where = options.replicaUrls !== undefined ? 'option replicaUrls' : 'CATALOG_DATABASE_REPLICA_URLS';
    throw new ConfigError([`${where}: read replicas need a postgres:// database`]);
  }
  return { ...settings, database };
}
