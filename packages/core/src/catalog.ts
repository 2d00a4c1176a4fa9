import { AuthService } from './auth/auth-service.js';
import { schedulePruning } from './changes/change-retention.js';
import { ChangeService } from './changes/change-service.js';
import { openChangeWake } from './changes/change-watch.js';
import { resolveConfig, type CatalogOptions, type Config } from './config.js';
import type { ServiceContext } from './context.js';
import { createCursorCodec } from './cursor/index.js';
import { DashboardService } from './dashboard/dashboard-service.js';
import { migrateUp } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { RateLimitCounters } from './db/rate-limit-counters.js';
import { openRowReaders } from './db/row-reader.js';
import { ProductService } from './products/product-service.js';
import { resolveSecret } from './secret.js';
import { UserService } from './users/user-service.js';

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
  /** The validated configuration (the secret is not included). */
  readonly config: Readonly<Omit<Config, 'secret'>>;
  /** The shipped migrations: applied at open unless `migrate: false`, or on demand here. */
  readonly migrations: Migrations;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes the database. The catalog cannot be used afterwards. */
  close(): Promise<void>;
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
 */
export async function createCatalog(options: CatalogOptions = {}): Promise<Catalog> {
  const config = resolveConfig(options);
  const secret = await resolveSecret(config);
  const orm = await openDatabase(config);
  const readers = await openRowReaders(config, orm).catch(async (error: unknown) => {
    await orm.close(true);
    throw error;
  });
  const context: ServiceContext = {
    orm,
    config,
    secret,
    cursors: createCursorCodec(secret),
    read: readers.read,
    scan: readers.scan,
    rateLimits: new RateLimitCounters(orm),
  };
  const wake = openChangeWake(config, readers.read);
  const pruning = schedulePruning(context);
  const { secret: _omitted, ...publicConfig } = config;
  let closed: Promise<void> | undefined;
  return {
    auth: new AuthService(context),
    users: new UserService(context),
    products: new ProductService(context),
    dashboard: new DashboardService(context),
    changes: new ChangeService(context, wake),
    rateLimits: context.rateLimits,
    config: Object.freeze(publicConfig),
    migrations: {
      executed: async () => (await orm.getMigrator().getExecutedMigrations()).map((m) => m.name),
      pending: async () => (await orm.getMigrator().getPendingMigrations()).map((m) => m.name),
      up: () => migrateUp(orm),
    },
    async ping() {
      await orm.em.getConnection().execute('select 1');
    },
    close() {
      closed ??= Promise.allSettled([pruning.stop(), wake.close()])
        .then(() => readers.close())
        .finally(() => orm.close(true));
      return closed;
    },
  };
}
