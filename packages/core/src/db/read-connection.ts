import { SQLITE_CACHE_KIB } from './sqlite-settings.js';

/** A read-only SQLite connection of db/row-reader.ts. */
export interface ReadConnection {
  all<R extends object>(sql: string, params: readonly unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** Prepared statements kept per read connection; statement texts repeat (one per listing shape). */
export const STATEMENTS_PER_CONNECTION = 128;

/**
 * Page cache of each read connection, in KiB (a quarter of the ORM connection's): enough for the
 * upper levels of the hot indexes, which is what a keyset page reads again and again (the OS page
 * cache holds the rest). A full export reads every page through these, and its peak memory must
 * not grow with the catalog (a larger cache each measured over the export's memory target;
 * bench/README.md).
 */
export const READ_CACHE_KIB = SQLITE_CACHE_KIB / 4;

/** Longer statements (a search's inline candidate list) are prepared, run and dropped. */
export const CACHEABLE_SQL_LENGTH = 2000;
