import { MikroORM, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { Config } from '../config.js';
import { ENTITIES } from './entities.js';
import { migrateUp } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_CACHE_KIB } from './sqlite-settings.js';

/** The ORM over either database; both drivers are SQL drivers, so the query builder is always there. */
export type Orm = MikroORM<AbstractSqlDriver>;

export { SQLITE_BUSY_TIMEOUT_MS, SQLITE_CACHE_KIB };

interface SqliteConnectionHandle {
  exec(sql: string, callback: (error: Error | null) => void): void;
}

function sqliteOptions(path: string): Options<AbstractSqlDriver> {
  return {
    driver: SqliteDriver,
    dbName: path,
    pool: {
      // One connection: SQLite serialises writers anyway, and `:memory:` lives in its connection.
      min: 1,
      max: 1,
      idleTimeoutMillis: Number.MAX_SAFE_INTEGER,
      afterCreate(connection: SqliteConnectionHandle, done: (error: Error | null, connection: unknown) => void) {
        // WAL lets readers in other processes (CLI, workers) proceed while one writes; NORMAL
        // sync is durable against process crashes in WAL mode.
        const pragmas = [
          `pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
          path === ':memory:' ? '' : 'pragma journal_mode = wal',
          'pragma synchronous = normal',
          'pragma foreign_keys = on',
          // 16 MB of page cache (SQLite's default is 2 MB): the hot upper levels of the sort
          // indexes stay in memory, and a full export still runs in a fixed amount of memory.
          `pragma cache_size = -${SQLITE_CACHE_KIB}`,
        ].filter(Boolean);
        connection.exec(pragmas.join('; '), (error) => done(error, connection));
      },
    },
  };
}

function postgresOptions({ database, poolMax, replicaUrls }: Config): Options<AbstractSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: database.url,
    // MikroORM's read replicas (each with the primary's pool and driver options). The ORM itself
    // never reads from them: only the row readers do, through ReplicaSet (db/replica-set.ts),
    // which knows lag and health, so that entity reads inside services stay on the primary.
    replicas: replicaUrls.map((clientUrl) => ({ clientUrl })),
    preferReadReplicas: false,
    pool: { min: 0, max: poolMax },
    // Answer fast when the database is gone instead of waiting in the pool.
    driverOptions: { connection: { connectionTimeoutMillis: 5000 }, acquireConnectionTimeout: 5000 },
  };
}

/**
 * Opens the database described by `config` and, unless `config.migrate` is false, applies the
 * pending shipped migrations.
 */
export async function openDatabase(config: Config): Promise<Orm> {
  const base: Options<AbstractSqlDriver> =
    config.database.kind === 'sqlite' ? sqliteOptions(config.database.path ?? ':memory:') : postgresOptions(config);
  const orm = await MikroORM.init<AbstractSqlDriver>({
    ...base,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      tableName: 'catalog_migrations',
      silent: true,
    },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: config.debugSql,
    ensureDatabase: false,
  });
  if (config.migrate) await migrateUp(orm);
  return orm;
}
