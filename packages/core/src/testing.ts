import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createCatalog, type Catalog } from './catalog.js';
import { resolveConfig, type CatalogOptions } from './config.js';
import { openDatabase } from './db/open.js';

/**
 * Test support shared by every package's suites (`@catalog/core/testing`): each suite runs once
 * per database — SQLite always, PostgreSQL when `CATALOG_TEST_POSTGRES_URL` is set — each time on
 * a fresh, empty database that is dropped afterwards. Not for production use.
 */
export interface TestDatabase {
  /** `sqlite` or `postgres`: append it to test titles so failures say where they happened. */
  readonly name: 'sqlite' | 'postgres';
  /** Creates a fresh empty database and returns its URL and a function that removes it. */
  create(): Promise<{ url: string; drop(): Promise<void> }>;
  /**
   * Like `create`, but the shipped migrations are already applied: the database is a copy of a
   * template migrated once per process, which costs a fraction of migrating every database.
   */
  createMigrated(): Promise<{ url: string; drop(): Promise<void> }>;
}

export interface TestCatalog extends Catalog {
  /** The database URL, for spawning a CLI or server on the same data. */
  readonly url: string;
  /** Closes the catalog and removes its database. */
  destroy(): Promise<void>;
}

/** Applies the shipped migrations to the (new) database at `url`, and nothing else. */
async function migrateFresh(url: string): Promise<void> {
  const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: url }, {}));
  await orm.close(true);
}

let sqliteTemplate: Promise<string> | undefined;

/** The path of this process's migrated SQLite file, removed when the process exits. */
function migratedSqliteFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-template-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'catalog.db');
    await migrateFresh(`sqlite:${path}`);
    // Closing the only connection checkpoints the WAL into the file: the file alone is the database.
    if (existsSync(`${path}-wal`)) throw new Error(`${path}-wal is left after closing the template`);
    return path;
  })();
  return sqliteTemplate;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-test-'));
    return { url: `sqlite:${join(dir, 'catalog.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
  },
  async createMigrated() {
    const [template, created] = await Promise.all([migratedSqliteFile(), sqlite.create()]);
    await copyFile(template, created.url.slice('sqlite:'.length));
    return created;
  },
};

/** Runs `sql` on the PostgreSQL server of `baseUrl`, through its own connection. */
async function adminQuery(baseUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** `baseUrl` pointing at the database `name` of the same server. */
function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

/*
 * Dropping the template when the process exits has to be synchronous, so a short child process
 * does it (an exit handler cannot wait for a connection).
 */
const PG_PATH = createRequire(import.meta.url).resolve('pg');
const DROP_SCRIPT = `const pg = require(${JSON.stringify(PG_PATH)});
const [url, name] = process.argv.slice(1);
const client = new pg.Client({ connectionString: url });
client.connect()
  .then(() => client.query('drop database if exists ' + name + ' with (force)'))
  .finally(() => client.end());`;

const pgTemplates = new Map<string, Promise<string>>();

/** The name of this process's migrated PostgreSQL template database, dropped when the process exits. */
function migratedPgTemplate(baseUrl: string): Promise<string> {
  let template = pgTemplates.get(baseUrl);
  if (!template) {
    template = (async () => {
      const name = uniqueName('catalog_tpl');
      await adminQuery(baseUrl, `create database ${name}`);
      process.once('exit', () => {
        spawnSync(process.execPath, ['-e', DROP_SCRIPT, baseUrl, name], { stdio: 'ignore', timeout: 30_000 });
      });
      await migrateFresh(databaseUrl(baseUrl, name));
      return name;
    })();
    pgTemplates.set(baseUrl, template);
  }
  return template;
}

function postgres(baseUrl: string): TestDatabase {
  const createFrom = async (template: string | undefined) => {
    const name = uniqueName('catalog_t');
    await adminQuery(baseUrl, `create database ${name}${template ? ` template ${template}` : ''}`);
    return {
      url: databaseUrl(baseUrl, name),
      drop: () => adminQuery(baseUrl, `drop database if exists ${name} with (force)`),
    };
  };
  return {
    name: 'postgres',
    create: () => createFrom(undefined),
    createMigrated: async () => createFrom(await migratedPgTemplate(baseUrl)),
  };
}

/** The databases this run tests against: SQLite, plus PostgreSQL when `CATALOG_TEST_POSTGRES_URL` is set. */
export function testDatabases(env: NodeJS.ProcessEnv = process.env): TestDatabase[] {
  const pgUrl = env.CATALOG_TEST_POSTGRES_URL;
  return pgUrl ? [sqlite, postgres(pgUrl)] : [sqlite];
}

/** Test-friendly defaults: fast bcrypt, a fixed secret, no environment leaking in. */
export const TEST_OPTIONS: CatalogOptions = {
  secret: 'test-secret-test-secret-test-secret-0123456789',
  bcryptCost: 4,
};

/** Opens a catalog on a fresh database of `db`; `destroy()` closes it and drops the database. */
export async function createTestCatalog(db: TestDatabase, options: CatalogOptions = {}): Promise<TestCatalog> {
  const { url, drop } = await (options.migrate === false ? db.create() : db.createMigrated());
  const catalog = await createCatalog({ ...TEST_OPTIONS, ...options, database: url });
  return Object.assign(catalog, {
    url,
    async destroy() {
      await catalog.close();
      await drop();
    },
  });
}
