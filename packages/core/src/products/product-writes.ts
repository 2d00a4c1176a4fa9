import type { EntityManager } from '@mikro-orm/knex';
import type { Actor } from '../actor.js';
import { appendChanges, changeActorId, changeTypeOf } from '../changes/change-store.js';
import type { DatabaseKind } from '../config.js';
import { isUniqueViolation } from '../db/failures.js';
import { statementPipeline } from '../db/statement-pipeline.js';
import { transactionSql, type TransactionSql } from '../db/transaction-sql.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors.js';
import { StatsDelta } from './product-stats.js';
import {
  fromDb,
  insertParameter,
  insertSql,
  replaceStatement,
  updateStatement,
  toProduct,
  type ProductDbRow,
  type ProductRow,
} from '../db/product-table.js';
import { openSqliteBulkWriter } from './sqlite-bulk-writer.js';

/*
 * The one way product rows are written. Every insert and update goes through here, inside the
 * caller's transaction, and keeps what depends on the rows in the same transaction: the
 * dashboard totals (product-stats.ts), the change feed (changes/change-store.ts: one change per
 * row written, with the product as it is after the write) and, on SQLite, the name-search index.
 */

/** Who writes: recorded with each change (null for the system actor). */
export interface WriterOptions {
  actor?: Actor | null | undefined;
}

/**
 * Writes product rows inside the caller's transaction. `add` may be called any number of times;
 * `finish` must be called once, still inside the transaction, before it commits; `release` once,
 * finished or not (`finally`). Rows not yet finished are rolled back with the transaction.
 */
export interface ProductWriter {
  /** Hands rows over; they may still be being written when it resolves (`settle`). */
  add(rows: readonly ProductRow[]): Promise<void>;
  /**
   * Resolves once every statement of the rows handed over so far has run, so a statement sent
   * after it sees them (rows the SQLite bulk writer holds back to fill a statement excepted).
   */
  settle(): Promise<void>;
  finish(): Promise<void>;
  release(): Promise<void>;
}

/**
 * From this many rows on, an insert takes the SQLite bulk path (sqlite-bulk-writer.ts). Below it
 * the per-row search-index trigger costs less than the bulk path's fixed statements.
 */
export const BULK_MIN_ROWS = 200;

/** Rows per INSERT statement. */
export const ROWS_PER_STATEMENT = 500;

/**
 * A writer for rows inside the transaction of `em`. `bulk` (SQLite; a stream of unknown length
 * or at least BULK_MIN_ROWS rows) takes the bulk path, whose first statement is a write: the
 * transaction holds the write lock from then on and cannot later fail busy.
 */
export async function openProductWriter(
  em: EntityManager,
  database: DatabaseKind,
  options: WriterOptions & { bulk: boolean },
): Promise<ProductWriter> {
  const sql = transactionSql(em);
  const record = recordCreated(sql, database, changeActorId(options.actor));
  const writer =
    database === 'sqlite' && options.bulk
      ? await openSqliteBulkWriter(sql, record)
      : statementWriter(sql, database, record);
  return withConflicts(writer);
}

/** Appends the changes of a group of rows just inserted, in the writer's transaction. */
export type RecordCreated = (rows: readonly ProductRow[]) => Promise<void>;

function recordCreated(sql: TransactionSql, database: DatabaseKind, actorId: string | null): RecordCreated {
  return (rows) =>
    appendChanges(
      sql,
      database,
      'product.created',
      rows.map((row) => toProduct(row, true)),
      actorId,
      new Date(),
    );
}

/** Inserts `rows` in the transaction of `em` (the caller's `em.transactional`). */
export async function insertProducts(
  em: EntityManager,
  database: DatabaseKind,
  rows: readonly ProductRow[],
  options: WriterOptions = {},
): Promise<void> {
  const writer = await openProductWriter(em, database, { ...options, bulk: rows.length >= BULK_MIN_ROWS });
  try {
    await writer.add(rows);
    await writer.finish();
  } finally {
    await writer.release();
  }
}

/**
 * On SQLite, the first statement of updateProduct: a write that changes nothing. A transaction
 * that reads first and writes later fails at once (SQLITE_BUSY_SNAPSHOT) when another connection
 * committed in between, which only running it again cures, and under a stream of commits (an
 * import's batches, a loaded machine) every attempt of withBusyRetry could collide: a PATCH was
 * answered 503. Writing first takes the write lock before the transaction's snapshot, so the busy
 * timeout waits for its turn instead. The transaction writes the totals row at its end anyway.
 */
const SQLITE_WRITE_FIRST = 'update product_stats set live_count = live_count where id = 1';

/** How updateProduct finds and changes a row. */
export interface ProductUpdate extends WriterOptions {
  /** Only a live (not soft-deleted) product may be changed; a deleted one is not found. */
  live: boolean;
  /** Write only if the row is at this version (optimistic concurrency). */
  ifVersion?: number | undefined;
  /** The row as it should be, or undefined to leave it as it is. */
  change(current: ProductRow): ProductRow | undefined;
}

/**
 * Changes one product in the transaction of `em`: reads it (locking it on PostgreSQL; SQLite has
 * one writer), checks `ifVersion`, writes what `change` returns, adjusts the totals and appends
 * the change (deleted, restored or updated, from the transition of `deleted_at`). The check
 * and the write are in one transaction, so of two writers with the same `ifVersion` one wins.
 * @returns the row as it is after the call.
 * @throws {NotFoundError} when absent (or deleted, with `live`).
 * @throws {PreconditionFailedError} when `ifVersion` is not the row's version.
 */
export async function updateProduct(
  em: EntityManager,
  database: DatabaseKind,
  id: string,
  update: ProductUpdate,
): Promise<ProductRow> {
  const sql = transactionSql(em);
  if (database === 'sqlite') await sql(SQLITE_WRITE_FIRST);
  const lock = database === 'postgresql' ? ' for update' : '';
  const [raw] = await sql<ProductDbRow>(`select * from products where id = ?${lock}`, [id]);
  const current = raw ? fromDb(raw) : undefined;
  if (!current || (update.live && current.deleted_at !== null)) throw NotFoundError.product(id);
  if (update.ifVersion !== undefined && update.ifVersion !== current.version) {
    throw PreconditionFailedError.productVersion(id, update.ifVersion, current.version);
  }
  const next = update.change(current);
  if (!next) return current;
  const statement = updateStatement(next, database);
  try {
    await sql(statement.sql, statement.params);
  } catch (error) {
    throw asConflict(error);
  }
  const stats = new StatsDelta();
  stats.add(current, -1);
  stats.add(next, 1);
  await stats.apply(sql);
  await appendChanges(
    sql,
    database,
    changeTypeOf(current, next),
    [toProduct(next, true)],
    changeActorId(update.actor),
    new Date(),
  );
  return next;
}

/** What an import does with a row whose id is present already. */
export type ImportConflictMode = 'error' | 'skip' | 'update';

/** Rows of an import, some of whose ids came from the input (and so may be present already). */
export interface ImportedRows {
  rows: readonly ProductRow[];
  /** The rows whose id came from the input, in order: position in `rows`, 0-based index in the inputs. */
  identified: readonly { position: number; index: number }[];
}

/** What writeImportedProducts did. */
export interface ImportedWrite {
  inserted: number;
  /** Rows left out because their id was present (`skip`). */
  skipped: number;
  /** Present rows replaced by the imported one (`update`). */
  updated: number;
}

/** Ids per statement when looking up which imported ids are present. */
const IDS_PER_LOOKUP = 500;

/**
 * Writes imported rows in the transaction of `em`: first reads which of the ids that came from
 * the input are present (locking those rows on PostgreSQL for `update`), counting a row already
 * written by this import as present too; then, by `mode`:
 * - `error`: throws, naming them, and writes nothing (the caller's transaction rolls back);
 * - `skip`: leaves the present rows as they are and inserts the others through `writer`;
 * - `update`: inserts the others through `writer` and replaces each present row with the
 *   imported one (every column but the id: version and timestamps are the input's), counting the
 *   old row out of the dashboard totals and the new one in.
 * With `update` on SQLite, `writer` must not be the bulk writer: a row it inserted is not in the
 * name-search index until it finishes, and replacing one would unindex what was never indexed.
 * @throws {ConflictError} with `error` when an id is present, or when a SKU is taken.
 */
export async function writeImportedProducts(
  em: EntityManager,
  database: DatabaseKind,
  writer: ProductWriter,
  imported: ImportedRows,
  mode: ImportConflictMode,
  options: WriterOptions = {},
): Promise<ImportedWrite> {
  const sql = transactionSql(em);
  // The rows this import wrote before count as present: they must have reached the table.
  await writer.settle();
  const present = await presentRows(
    sql,
    database,
    imported.identified.map(({ position }) => imported.rows[position]!.id),
    mode === 'update',
  );
  const inserts: ProductRow[] = [];
  const insertedAt = new Map<string, number>();
  const replaced: { before: ProductRow; after: ProductRow }[] = [];
  const taken: { id: string; index: number }[] = [];
  const result: ImportedWrite = { inserted: 0, skipped: 0, updated: 0 };
  let next = 0;
  for (let position = 0; position < imported.rows.length; position++) {
    const row = imported.rows[position]!;
    const identified = imported.identified[next]?.position === position ? imported.identified[next++] : undefined;
    const before = identified ? present.get(row.id) : undefined;
    const earlier = identified ? insertedAt.get(row.id) : undefined;
    if (before === undefined && earlier === undefined) {
      if (identified) insertedAt.set(row.id, inserts.length);
      inserts.push(row);
    } else if (mode === 'error') taken.push({ id: row.id, index: identified!.index });
    else if (mode === 'skip') result.skipped++;
    else {
      result.updated++;
      if (earlier !== undefined) inserts[earlier] = row;
      else {
        replaced.push({ before: before!, after: row });
        present.set(row.id, row);
      }
    }
  }
  if (taken.length > 0) throw ConflictError.idsTaken(taken);
  await writer.add(inserts);
  result.inserted = inserts.length;
  // The inserts' changes first, then the replacements', as when the writer did not pipeline.
  if (replaced.length > 0) await writer.settle();
  await replaceProducts(sql, database, replaced, changeActorId(options.actor));
  return result;
}

/**
 * The lookup of presentRows, its ids one JSON array parameter. On PostgreSQL each id is its own
 * index probe (a LATERAL subquery with LIMIT is not flattened into a join), whatever the table's
 * statistics say: during a bulk load there are none yet, and a plain `id in (list)` was planned as a
 * scan of the whole table for every group of ids, which made a large import quadratic.
 */
export function presentSql(database: DatabaseKind, full: boolean): string {
  if (database === 'postgresql') {
    return `select present.* from json_array_elements_text(?::json) as wanted(id)
      cross join lateral (select ${full ? '*' : 'id'} from products where products.id = wanted.id::uuid limit 1${full ? ' for update' : ''}) as present`;
  }
  return `select ${full ? '*' : 'id'} from products where id in (select value from json_each(?))`;
}

/** The rows among `ids` that are present, by id (with `full` the row, else null). */
async function presentRows(
  sql: TransactionSql,
  database: DatabaseKind,
  ids: readonly string[],
  full: boolean,
): Promise<Map<string, ProductRow | null>> {
  const found = new Map<string, ProductRow | null>();
  const statement = presentSql(database, full);
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
    const rows = await sql<ProductDbRow>(statement, [JSON.stringify(ids.slice(i, i + IDS_PER_LOOKUP))]);
    for (const raw of rows) found.set(String(raw.id), full ? fromDb(raw) : null);
  }
  return found;
}

/**
 * Replaces each `before` with its `after` (same id), the totals counting `before` out and `after`
 * in, and appends each replacement to the change feed.
 */
async function replaceProducts(
  sql: TransactionSql,
  database: DatabaseKind,
  replaced: readonly { before: ProductRow; after: ProductRow }[],
  actorId: string | null,
): Promise<void> {
  if (replaced.length === 0) return;
  const stats = new StatsDelta();
  for (const { before, after } of replaced) {
    const statement = replaceStatement(after, database);
    try {
      await sql(statement.sql, statement.params);
    } catch (error) {
      throw asConflict(error);
    }
    stats.add(before, -1);
    stats.add(after, 1);
    await appendChanges(sql, database, changeTypeOf(before, after), [toProduct(after, true)], actorId, new Date());
  }
  await stats.apply(sql);
}

/**
 * Multi-row inserts of ROWS_PER_STATEMENT rows, totals applied at the end. On PostgreSQL each
 * group's statements are pipelined (db/statement-pipeline.ts): the next group's JSON is built
 * while the server writes this one. On SQLite each group is written before `add` returns.
 */
function statementWriter(sql: TransactionSql, database: DatabaseKind, record: RecordCreated): ProductWriter {
  const stats = new StatsDelta();
  const statement = insertSql(database);
  const pipeline = statementPipeline();
  return {
    async add(rows) {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const group = rows.slice(i, i + ROWS_PER_STATEMENT);
        const parameter = insertParameter(group, database);
        for (const row of group) stats.add(row, 1);
        await pipeline.push(async () => {
          await sql(statement, [parameter]);
          await record(group);
        });
      }
      if (database !== 'postgresql') await pipeline.drain();
    },
    settle: () => pipeline.drain(),
    async finish() {
      await pipeline.drain();
      await stats.apply(sql);
    },
    release: () => pipeline.drain().catch(() => undefined),
  };
}

/** A duplicate SKU, or id, is the caller's conflict, not a database failure. */
function asConflict(error: unknown): unknown {
  if (isUniqueViolation(error, 'sku')) return ConflictError.skuTaken();
  if (isUniqueViolation(error, 'id') || isUniqueViolation(error, 'products_pkey')) return ConflictError.idTaken();
  return error;
}

function withConflicts(writer: ProductWriter): ProductWriter {
  return {
    add: (rows) => writer.add(rows).catch((error: unknown) => Promise.reject(asConflict(error))),
    settle: () => writer.settle().catch((error: unknown) => Promise.reject(asConflict(error))),
    finish: () => writer.finish().catch((error: unknown) => Promise.reject(asConflict(error))),
    release: () => writer.release(),
  };
}
