import type { Command } from 'commander';
import type { CallOptions, Catalog, CatalogOptions } from '@catalog/core';

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
 * @example
 * await withCatalog(command, (catalog, admin) => catalog.products.delete(id, admin));
 * @throws {ConfigError} when `--db` or the environment is invalid.
 */
export async function withCatalog<T>(
  command: Command,
  work: (catalog: Catalog, admin: CallOptions) => Promise<T>,
  options: CatalogOptions = {},
): Promise<T> {
  const { db } = globalOptions(command);
  // Loaded on demand: `--help`, `--version` and usage errors answer without loading the ORM.
  const { createCatalog, SYSTEM_ACTOR } = await import('@catalog/core');
  const catalog = await createCatalog({ ...options, ...(db === undefined ? {} : { database: db }) });
  try {
    return await work(catalog, { actor: SYSTEM_ACTOR });
  } finally {
    await catalog.close();
  }
}
