import { parentPort, workerData } from 'node:worker_threads';
import { SyncSqliteReadConnection } from './sqlite-sync-reader.js';

/*
 * One thread of the scan pool (sqlite-scan-pool.ts): a read-only better-sqlite3 connection of its
 * own, running one statement at a time for the main thread. A long statement blocks this thread,
 * never the event loop of the process. Built as an entry point of its own (tsup.config.ts), so
 * it loads the SQLite driver and nothing else of core.
 */

/** A statement for the worker, or the order to close its connection and end. */
export type ScanRequest = { id: number; sql: string; params: readonly unknown[] } | { id: number; close: true };

/** The rows of a statement, or its failure (`code`: the `SQLITE_*` code that db/failures.ts reads). */
export type ScanReply = { id: number; rows: object[] } | { id: number; error: { message: string; code?: unknown } };

const port = parentPort!;
const path = (workerData as { path: string }).path;
// Opened by the first statement, so that a failure to open is that statement's error (with its
// SQLITE_CANTOPEN code) and the next one tries again.
let connection: SyncSqliteReadConnection | undefined;

port.on('message', async (request: ScanRequest) => {
  if ('close' in request) {
    await connection?.close();
    port.postMessage({ id: request.id, rows: [] } satisfies ScanReply);
    port.close();
    return;
  }
  try {
    connection ??= SyncSqliteReadConnection.open(path);
    const rows = await connection.all(request.sql, request.params);
    port.postMessage({ id: request.id, rows } satisfies ScanReply);
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    port.postMessage({ id: request.id, error: { message: String(message), code } } satisfies ScanReply);
  }
});
