import { existsSync } from 'node:fs';
import { AuthService } from './auth/auth-service.js';
import { schedulePruning } from './changes/change-retention.js';
import { ChangeService } from './changes/change-service.js';
import { openChangeWake } from './changes/change-watch.js';
import { resolveConfig, type CatalogOptions, type Config } from './config.js';
import type { ServiceContext } from './context.js';
import { DatabaseMissingError } from './errors.js';
import { createCursorCodec } from './cursor/index.js';
import { DashboardService } from './dashboard/dashboard-service.js';
import { migrateUp } from './db/migrate.js';
import { openDatabase, type Orm } from './db/open.js';
import { QueryObservers, type QueryObserver } from './db/query-observers.js';
import { RateLimitCounters } from './db/rate-limit-counters.js';
import { ReplicaSet, type Replication } from './db/replica-set.js';
import { ormRowReader, openRowReaders } from './db/row-reader.js';
import { startExpirySweeper } from './idempotency/expiry-sweeper.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { ProductService } from './products/product-service.js';
import { resolveSecret } from './secret.js';
import { UserService } from './users/user-service.js';

/** How often expired idempotency keys are swept at most (more often when the TTL is shorter). */
const SWEEP_INTERVAL_MS = 60_000;

/** Names of the shipped migrations, and applying the pending ones. */
export interface Migrations {
  /** Applied migrations, oldest first. */
  executed(): Promise<string[]>;
  /** Migrations not applied yet, in the order they will run. */
  pending(): Promise<string[]>;
  /** Applies every pending migration in one transaction; returns their names. */
  up(): Promise<string[]>;
}

/** A running Catalog: the services over one open database. */
export interface Catalog {
  readonly auth: AuthService;
  readonly users: UserService;
  readonly products: ProductService;
  readonly dashboard: DashboardService;
  /** The change feed: every product write, in order (list, watch, prune). */
  readonly changes: ChangeService;
  /** Rate-limit counters in the database, shared by every process on it (the server's limits use them). */
  readonly rateLimits: RateLimitCounters;
  /**
   * Responses stored under clients' Idempotency-Keys, shared by every process on the database
   * (the server's Idempotency-Key middleware uses it). Expired keys are deleted in the background.
   */
  readonly idempotency: IdempotencyStore;
  /** The validated configuration (the secret is not included). */
  readonly config: Readonly<Omit<Config, 'secret'>>;
  /** The shipped migrations: applied at open unless `migrate: false`, or on demand here. */
  readonly migrations: Migrations;
  /**
   * Calls `observer` with the duration of every database statement this catalog runs from now on
   * (in the async context that ran it, so a server can attribute it to a request); returns the
   * function that stops it. Without observers nothing is timed.
   *
   * @example
   * const stop = catalog.observeQueries((ms, kind) => histogram.observe({ kind }, ms / 1000));
   */
  observeQueries(observer: QueryObserver): () => void;
  /**
   * The read replicas, when `replicaUrls` are configured (PostgreSQL): their health, the primary's
   * log position after a write, and reads that must see it (read-your-writes; docs/scaling.md).
   * Undefined without replicas.
   */
  readonly replication: Replication | undefined;
  /** Resolves when the database (the primary) answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes the database. The catalog cannot be used afterwards. */
  close(): Promise<void>;
}

/** What the services need beside the ORM: the signing secret (kept in the database) and the readers. */
async function openServices(config: Config, orm: Orm, queryObservers: QueryObservers) {
  const secret = await resolveSecret(config, orm);
  const replicas = config.replicaUrls.length > 0 ? await ReplicaSet.open(orm, config) : undefined;
  try {
    return { secret, replicas, readers: await openRowReaders(config, orm, queryObservers, replicas) };
  } catch (error) {
    await replicas?.close();
    throw error;
  }
}

/**
 * Opens (and migrates) the database and returns the Catalog services.
 *
 * @example
 * const catalog = await createCatalog({ database: ':memory:' });
 * const admin = await catalog.users.create({ email: 'a@example.com', password: 'correct horse', role: 'admin' });
 * await catalog.products.create({ name: 'Tea', category: 'drinks', price: 3.5 }, { actor: admin });
 * await catalog.close();
 * @throws {ConfigError} when an option or environment variable is invalid (every bad value listed).
 * @throws {DatabaseMissingError} with `create: false`, when the SQLite file does not exist.
 */
export async function createCatalog(options: CatalogOptions = {}): Promise<Catalog> {
  const config = resolveConfig(options);
  const path = config.database.path;
  if (options.create === false && path !== undefined && path !== ':memory:' && !existsSync(path))
    throw new DatabaseMissingError(path);
  const orm = await openDatabase(config);
  const queryObservers = new QueryObservers(() => orm.em.getKnex());
  const { secret, replicas, readers } = await openServices(config, orm, queryObservers).catch(
    async (error: unknown) => {
      await orm.close(true);
      throw error;
    },
  );
  const context: ServiceContext = {
    orm,
    config,
    secret,
    cursors: createCursorCodec(secret),
    read: readers.read,
    scan: readers.scan,
    ...(replicas ? { primary: ormRowReader(orm) } : {}),
    rateLimits: new RateLimitCounters(orm),
  };
  const wake = openChangeWake(config, readers.read);
  const pruning = schedulePruning(context);
  const { secret: _omitted, ...publicConfig } = config;
  const ttlMs = config.idempotencyTtlHours * 3_600_000;
  const idempotency = new IdempotencyStore(orm, { ttlMs });
  const sweeper = startExpirySweeper(idempotency, Math.min(ttlMs, SWEEP_INTERVAL_MS));
  let closed: Promise<void> | undefined;
  return {
    auth: new AuthService(context),
    users: new UserService(context),
    products: new ProductService(context),
    dashboard: new DashboardService(context),
    changes: new ChangeService(context, wake),
    rateLimits: context.rateLimits,
    idempotency,
    config: Object.freeze(publicConfig),
    migrations: {
      executed: async () => (await orm.getMigrator().getExecutedMigrations()).map((m) => m.name),
      pending: async () => (await orm.getMigrator().getPendingMigrations()).map((m) => m.name),
      up: () => migrateUp(orm),
    },
    replication: replicas,
    observeQueries: (observer) => queryObservers.add(observer),
    async ping() {
      await orm.em.getConnection().execute('select 1');
    },
    close() {
      closed ??= Promise.allSettled([sweeper.stop(), pruning.stop(), wake.close(), replicas?.close()])
        .then(() => readers.close())
        .finally(() => orm.close(true));
      return closed;
    },
  };
}
