import test from 'ava';
import { createTestCatalog, type TestCatalog, type TestDatabase } from '@catalog/core/testing';
import { runCli, type CliResult, type RunOptions } from './cli.js';

export interface CatalogWithCli {
  /** The catalog the file's tests of one database share: open from `test.before` to `test.after.always`. */
  readonly catalog: TestCatalog;
  /** Runs `catalog --db <that catalog's URL> ARGS` as a real process. */
  cli(args: readonly string[], options?: RunOptions): Promise<CliResult>;
}

/**
 * Registers the hooks that open one catalog on a fresh `db` before the file's tests and drop it
 * after them, for files whose tests each use their own category (or ids) of one shared catalog.
 *
 * @example
 * for (const db of testDatabases()) {
 *   const shared = catalogWithCli(db);
 *   test(`… [${db.name}]`, async (t) => t.is((await shared.cli(['products', 'list'])).code, 0));
 * }
 */
export function catalogWithCli(db: TestDatabase): CatalogWithCli {
  let catalog: TestCatalog | undefined;
  test.before(async () => {
    catalog = await createTestCatalog(db);
  });
  test.after.always(async () => {
    await catalog?.destroy();
  });
  const opened = (): TestCatalog => {
    if (!catalog) throw new Error('the shared catalog opens in test.before; use it inside tests');
    return catalog;
  };
  return {
    get catalog() {
      return opened();
    },
    cli: (args, options) => runCli(['--db', opened().url, ...args], options),
  };
}
