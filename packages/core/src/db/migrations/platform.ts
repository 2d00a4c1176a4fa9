import type { Configuration } from '@mikro-orm/core';

/** Whether a migration runs against PostgreSQL (else SQLite): the two dialects differ in DDL. */
export function isPostgres(config: Configuration): boolean {
  return config.getPlatform().constructor.name.startsWith('PostgreSql');
}
