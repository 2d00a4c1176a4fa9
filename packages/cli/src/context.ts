import type { Command } from 'commander';
import { createCatalog, type Catalog, type CatalogOptions } from '@catalog/core';

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
 * runs `work` and closes the catalog whatever happens.
 *
 * @example
 * await withCatalog(command, (catalog) => catalog.dashboard.summary());
 * @throws {ConfigError} when `--db` or the environment is invalid.
 */
export async function withCatalog<T>(command: Command, work: (catalog: Catalog) => Promise<T>, options: CatalogOptions = {}): Promise<T> {
  const { db } = globalOptions(command);
  const catalog = await createCatalog({ ...options, ...(db === undefined ? {} : { database: db }) });
  try {
    return await work(catalog);
  } finally {
    await catalog.close();
  }
}
