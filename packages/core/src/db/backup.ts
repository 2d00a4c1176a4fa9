import { access } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from './open.js';

/** Pages per backup step: all of them, so the copy is one consistent snapshot taken in one step. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database file at `path` to `destination` (a new file) with SQLite's online
 * backup API, while other connections and processes go on reading and writing: the copy is the
 * database as committed when the copy began. In WAL mode, which Catalog uses, writers are not
 * blocked; the copy is read in one step, so a busy writer cannot make it start over forever.
 *
 * @example
 * await backupSqliteDatabase('data/catalog.db', 'backups/catalog-2026-12-01.db');
 * @returns the pages copied.
 * @throws {Error} when `destination` exists or its directory does not, or `path` is not a database.
 */
export async function backupSqliteDatabase(path: string, destination: string): Promise<{ pages: number }> {
  const exists = await access(destination).then(
    () => true,
    () => false,
  );
  if (exists) throw new Error(`${destination} exists already; remove it or choose another file`);
  // Not opened read-only: a read-only connection cannot open a WAL database whose -shm file is
  // gone (no process has it open), and this one only reads anyway.
  const db = new Database(path, { fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    db.pragma('query_only = on');
    const result = await db.backup(destination, { progress: () => ALL_PAGES });
    return { pages: result.totalPages };
  } catch (error) {
    if (error instanceof TypeError && /directory does not exist/.test(error.message)) {
      throw new Error(`cannot write ${destination}: its directory does not exist`);
    }
    throw error;
  } finally {
    db.close();
  }
}
