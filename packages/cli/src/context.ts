import type { Command } from 'commander';
import type { CallOptions, Catalog, CatalogOptions } from '@catalog/core';
import { CommandFailed } from './errors.js';
import { inFlagTerms } from './flag-errors.js';

/** Options every command accepts (declared on the program). */
export interface GlobalOptions {
  db?: string;
  debug?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/**
 * Opens the catalog named by `--db` (else `CATALOG_DATABASE_URL`, else the default SQLite file),
 * runs `work` and closes the catalog whatever happens. `work` also receives the call options of
 * the CLI's operator (`SYSTEM_ACTOR`, an admin), for writes and admin reads.
 *
 * A missing SQLite file is an error (a typo in `--db` must not leave an empty database behind)
 * unless `options.create` is true: only `db migrate` and `serve` create a database.
 *
 * @example
 * await withCatalog(command, (catalog, admin) => catalog.products.delete(id, admin));
 * @throws {ConfigError} when `--db` or the environment is invalid.
 * @throws {CommandFailed} when the SQLite file does not exist and `options.create` is not true.
 */
export async function withCatalog<T>(
  command: Command,
  work: (catalog: Catalog, admin: CallOptions) => Promise<T>,
  options: CatalogOptions = {},
): Promise<T> {
  const { db } = globalOptions(command);
  // Loaded on demand: `--help`, `--version` and usage errors answer without loading the ORM.
  const { createCatalog, SYSTEM_ACTOR } = await import('@catalog/core');
  const catalog = await createCatalog({
    create: false,
    ...options,
    ...(db === undefined ? {} : { database: db }),
  }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== 'database_missing') throw error;
    const { path } = error as { path: string };
    throw new CommandFailed(
      `no database at ${path}: check --db (or CATALOG_DATABASE_URL), or create it with \`catalog db migrate\``,
    );
  });
  try {
    return await work(catalog, { actor: SYSTEM_ACTOR });
  } catch (error) {
    throw inFlagTerms(error, command);
  } finally {
    await closeWithin(catalog, CLOSE_TIMEOUT_MS);
  }
}

/** How long a finished command waits for the database pool to shut down before exiting anyway. */
const CLOSE_TIMEOUT_MS = 3000;

/**
 * Closes the catalog, giving up after `ms`: the command's work is done (and committed) by then,
 * and a pool that never finishes shutting down must not keep a script waiting forever.
 */
async function closeWithin(catalog: Catalog, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      if (process.argv.includes('--debug'))
        process.stderr.write(`catalog: the database did not close within ${ms} ms; exiting anyway\n`);
      resolve();
    }, ms);
    timer.unref();
  });
  try {
    await Promise.race([catalog.close(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
