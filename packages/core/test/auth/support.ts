import { randomBytes } from 'node:crypto';
import type { Role } from '@catalog/contract';
import { createTestCatalog, testDatabases, type TestCatalog, type TestDatabase } from '@catalog/core/testing';
import test from 'ava';
import { SYSTEM_ACTOR, type Actor } from '../../src/actor.js';
import { resolveConfig } from '../../src/config.js';
import { openDatabase, type Orm } from '../../src/db/open.js';

export const PASSWORD = 'correct horse battery';

/** A fresh address per call, so tests sharing one catalog never collide. */
export function uniqueEmail(tag: string): string {
  return `${tag}-${randomBytes(5).toString('hex')}@example.com`;
}

export interface Fixture {
  catalog: TestCatalog;
  /** A second connection to the same database, to look at or age rows the services hide. */
  orm: Orm;
}

/**
 * Registers one catalog (and a side connection) per test database for this test file, created
 * (then given to `setup`, e.g. to seed rows) before its tests and destroyed after them, and
 * calls `define` once per database.
 */
export function forEachDatabase(
  define: (db: TestDatabase, fixture: () => Fixture) => void,
  setup?: (fixture: Fixture, db: TestDatabase) => Promise<void>,
): void {
  for (const db of testDatabases()) {
    let fixture: Fixture | undefined;
    test.before(async () => {
      const catalog = await createTestCatalog(db);
      const orm = await openDatabase(resolveConfig({ database: catalog.url, migrate: false }, {}));
      const ready = { catalog, orm };
      await setup?.(ready, db);
      fixture = ready;
    });
    test.after.always(async () => {
      await fixture?.orm.close(true);
      await fixture?.catalog.destroy();
    });
    define(db, () => {
      if (!fixture) throw new Error('fixture not ready');
      return fixture;
    });
  }
}

/** Creates a user with `role` (through the admin path) and returns it as an actor. */
export async function createActor(
  catalog: TestCatalog,
  role: Role,
  tag: string = role,
): Promise<Actor & { email: string }> {
  const email = uniqueEmail(tag);
  const user = await catalog.users.create({ email, password: PASSWORD, role }, { actor: SYSTEM_ACTOR });
  return { id: user.id, role: user.role, email };
}
