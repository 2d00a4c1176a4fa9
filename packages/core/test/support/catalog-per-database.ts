import test from 'ava';
import { createTestCatalog, testDatabases, type TestCatalog, type TestDatabase } from '../../src/testing.js';

/**
 * For each test database, one catalog shared by the tests `define` declares: opened before them
 * on a fresh database, destroyed (with its database) after them.
 *
 * @example
 * forEachTestCatalog((db, catalog) => {
 *   test(`lists nothing at first [${db.name}]`, async (t) => t.deepEqual((await catalog().products.list()).data, []));
 * });
 */
export function forEachTestCatalog(define: (db: TestDatabase, catalog: () => TestCatalog) => void): void {
  for (const db of testDatabases()) {
    let catalog: TestCatalog | undefined;
    test.before(async () => {
      catalog = await createTestCatalog(db);
    });
    test.after.always(async () => {
      await catalog?.destroy();
    });
    define(db, () => {
      if (!catalog) throw new Error('the test catalog is not open yet');
      return catalog;
    });
  }
}
