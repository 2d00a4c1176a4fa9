/*
 * Settings of every SQLite connection, in a module that imports nothing: the scan worker
 * (sqlite-scan-worker.ts) loads it, and must not load the ORM with it.
 */

/** How long a SQLite writer waits for another process's lock before giving up (ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Page cache of each SQLite connection, in KiB. */
export const SQLITE_CACHE_KIB = 16 * 1024;
