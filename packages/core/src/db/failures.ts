import { ServiceUnavailableError } from '../errors.js';

/**
 * Error fields the drivers set: node-postgres (`code` = SQLSTATE or a socket errno), sqlite3
 * (`code` = `SQLITE_*`), knex (`name`).
 */
interface DriverErrorFields {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Socket-level failures: the database host or process is not reachable. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs meaning "the server cannot serve you right now" rather than "your query is
 * wrong": class 08 (connection exception), 57P01–57P03 (shut down / terminated / starting up),
 * 53300 (too many connections), 3D000 (the database is gone), 55000 when the database refuses
 * connections (`ALTER DATABASE … ALLOW_CONNECTIONS false`).
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300|3D000)$/;

/** sqlite3 codes for a database file that cannot be used: locked past the busy timeout, unreadable, full, gone. */
const SQLITE_UNAVAILABLE = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_PROTOCOL',
]);

/** Messages of node-postgres and knex that carry no code. */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /timeout acquiring a connection/i,
  /not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /client has encountered a connection error/i,
  /connection (is )?closed/i,
  /database is locked/i,
];

function fieldsOf(error: unknown): DriverErrorFields | undefined {
  return typeof error === 'object' && error !== null ? (error as DriverErrorFields) : undefined;
}

function isUnavailableHere(fields: DriverErrorFields): boolean {
  const code = typeof fields.code === 'string' ? fields.code : '';
  if (SOCKET_CODES.has(code) || PG_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.has(code)) return true;
  if (code === '55000' && typeof fields.message === 'string' && /accepting connections/i.test(fields.message))
    return true;
  if (
    fields.name === 'KnexTimeoutError' ||
    fields.name === 'ConnectionException' ||
    fields.name === 'LockWaitTimeoutException'
  )
    return true;
  const message = typeof fields.message === 'string' ? fields.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * True when `error` (or one of its causes) says the database cannot be reached or used right now —
 * a lost connection, a refused or timed-out connect, a database that is shutting down or gone, a
 * SQLite file locked past the busy timeout — as opposed to a bug or a bad query. Such a failure
 * is the client's `503 service_unavailable` (retry later), not a `500 internal`.
 *
 * @example
 * try { await catalog.products.list() } catch (e) { if (isDatabaseUnavailable(e)) retryLater() }
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current: unknown = error; current !== undefined && !seen.has(current);) {
    seen.add(current);
    const fields = fieldsOf(current);
    if (!fields) return false;
    if (isUnavailableHere(fields)) return true;
    current = fields.cause;
  }
  return false;
}

/**
 * Returns `ServiceUnavailableError` for a database-availability failure (keeping the driver
 * error as `cause`, for logs only), else `error` unchanged.
 *
 * @example
 * throw asServiceUnavailable(error); // 503 when the database is down, the original otherwise
 */
export function asServiceUnavailable(error: unknown): unknown {
  if (error instanceof ServiceUnavailableError || !isDatabaseUnavailable(error)) return error;
  return new ServiceUnavailableError('The database is unavailable; retry later', { cause: error });
}

/**
 * True when `error` is a unique-constraint violation on `column`: PostgreSQL SQLSTATE 23505 naming
 * the column's index, or SQLite's "UNIQUE constraint failed: table.column".
 */
export function isUniqueViolation(error: unknown, column: string): boolean {
  const fields = fieldsOf(error);
  if (!fields) return false;
  const message = typeof fields.message === 'string' ? fields.message : '';
  const detail =
    typeof (error as { constraint?: unknown }).constraint === 'string'
      ? (error as { constraint: string }).constraint
      : '';
  if (fields.code === '23505') return detail.includes(column) || message.includes(column);
  return /UNIQUE constraint failed/.test(message) && new RegExp(`\\.${column}\\b`).test(message);
}
