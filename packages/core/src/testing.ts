import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createCatalog, type Catalog } from './catalog.js';
import type { CatalogOptions } from './config.js';

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
}

export interface TestCatalog extends Catalog {
  /** The database URL, for spawning a CLI or server on the same data. */
  readonly url: string;
  /** Closes the catalog and removes its database. */
  destroy(): Promise<void>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-test-'));
    return { url: `sqlite:${join(dir, 'catalog.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
  },
};

function postgres(baseUrl: string): TestDatabase {
  return {
    name: 'postgres',
    async create() {
      const name = `catalog_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async drop() {
          const client = new pg.Client({ connectionString: baseUrl });
          await client.connect();
          try {
            await client.query(`drop database if exists ${name} with (force)`);
          } finally {
            await client.end();
          }
        },
      };
    },
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
  const { url, drop } = await db.create();
  const catalog = await createCatalog({ ...TEST_OPTIONS, ...options, database: url });
  return Object.assign(catalog, {
    url,
    async destroy() {
      await catalog.close();
      await drop();
    },
  });
}
