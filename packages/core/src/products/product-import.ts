import { requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { withBusyRetry } from '../db/retry.js';
import type { ValidationError } from '../errors.js';
import { ImportSource } from './import-source.js';
import { openProductWriter, writeImportedProducts, type ImportConflictMode } from './product-writes.js';

export interface ImportManyOptions extends CallOptions {
  /**
   * Products per transaction. Default: every input in one transaction, so a failed, aborted or
   * killed import leaves nothing behind. With a batch size, each batch commits on its own and
   * a failure keeps the batches committed before it.
   */
  batchSize?: number;
  /** Leave invalid inputs out and write the rest, instead of writing nothing. */
  skipInvalid?: boolean;
  /**
   * Called for each invalid input with its 0-based position in `inputs`, synchronously, before
   * the next input is read (so a caller that streams can tell which record it was).
   */
  onInvalid?: (error: ValidationError, index: number) => void;
  /** Called after each group of rows is written, with the products written so far. */
  onProgress?: (written: number) => void;
  /**
   * What to do with an input whose `id` is present already: `error` (the default) fails the
   * import with a ConflictError naming the ids, and writes nothing (nothing more, with
   * `batchSize`); `skip` leaves the present product as it is; `update` replaces it with the
   * input, version and timestamps included.
   */
  onConflict?: ImportConflictMode;
}

export interface ImportManyResult {
  /** Inputs read. */
  read: number;
  /** Products created (committed). */
  created: number;
  /** Inputs left out because their id was present (`onConflict: 'skip'`). */
  skipped: number;
  /** Present products replaced by their input (`onConflict: 'update'`). */
  updated: number;
  /** Inputs left out as invalid (only with `skipInvalid`; otherwise the call throws). */
  invalid: number;
}

/** Rows handed to the writer at a time: the unit of memory of an import, whatever its size. */
const CHUNK = 500;

/** Thrown inside a batch's transaction to roll it back once an invalid input dooms the import. */
class ImportRejected extends Error {}

/**
 * Creates a product for each of `inputs` (see ProductService.importMany for the contract):
 * 1. read the inputs as rows, a chunk at a time (ImportSource validates and counts them);
 * 2. write them in one transaction, or one per `batchSize` inputs (importBatch);
 * 3. if an input was invalid and invalid inputs are not skipped, roll back the open batch, read
 *    the rest to report every problem, and throw.
 *
 * @throws {ValidationError} when an input is invalid and `skipInvalid` is not set.
 * @throws {ForbiddenError|UnauthorizedError} without an admin actor.
 */
export async function importProducts(
  ctx: ServiceContext,
  inputs: AsyncIterable<unknown> | Iterable<unknown>,
  options: ImportManyOptions = {},
): Promise<ImportManyResult> {
  requireAdmin(options);
  const { batchSize } = options;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new RangeError('batchSize must be a whole number ≥ 1');
  }
  const source = new ImportSource(inputs, {
    skipInvalid: options.skipInvalid ?? false,
    onInvalid: options.onInvalid,
    signal: options.signal,
  });
  const onConflict = options.onConflict ?? 'error';
  if (!CONFLICT_MODES.includes(onConflict))
    throw new RangeError(`onConflict must be one of ${CONFLICT_MODES.join(', ')}`);
  const totals: Written = { written: 0, inserted: 0, skipped: 0, updated: 0 };
  while (!source.ended && !source.rejected) {
    const before = totals.written;
    const batch = await importBatch(ctx, source, batchSize ?? Infinity, { onConflict, actor: options.actor }, (n) =>
      options.onProgress?.(before + n),
    );
    for (const key of ['written', 'inserted', 'skipped', 'updated'] as const) totals[key] += batch[key];
    options.onProgress?.(totals.written);
  }
  if (source.rejected) {
    await source.drain();
    throw source.failure(totals.inserted);
  }
  if (totals.inserted + totals.updated >= ANALYZE_MIN_ROWS) await refreshPlannerStatistics(ctx);
  return {
    read: source.read,
    created: totals.inserted,
    skipped: totals.skipped,
    updated: totals.updated,
    invalid: source.invalid,
  };
}

/** Rows an import must write before it refreshes the planner's statistics. */
const ANALYZE_MIN_ROWS = 1000;

/**
 * PostgreSQL plans from statistics that only ANALYZE (or autovacuum, which may be off) refreshes:
 * planned for the few rows it last saw, a first page after a large import becomes a bitmap scan
 * and a sort instead of an index range. SQLite's plans here do not depend on statistics (every
 * listing is written to be served by its index; test/cursor/explain.test.ts), so only PostgreSQL
 * is analysed.
 */
async function refreshPlannerStatistics(ctx: ServiceContext): Promise<void> {
  if (ctx.config.database.kind === 'postgresql') await ctx.orm.em.getConnection().execute('analyze products');
}

const CONFLICT_MODES: readonly ImportConflictMode[] = ['error', 'skip', 'update'];

/** What a batch did: rows handed over (`written`), and of those inserted, skipped and updated. */
interface Written {
  written: number;
  inserted: number;
  skipped: number;
  updated: number;
}

const NOTHING: Written = { written: 0, inserted: 0, skipped: 0, updated: 0 };

/**
 * One transaction: rows from `source` until `size` were written, the inputs end, or one is
 * rejected (then it rolls back and writes nothing). A busy database is retried only while no
 * input was read: inputs once read cannot be read again. Rows whose id came from the input go
 * through writeImportedProducts (present ids: `onConflict`); with `skip` or `update` the rows go
 * in one statement group at a time rather than through the SQLite bulk path, so that a row the
 * import itself wrote is present (and indexed) when a later input has the same id.
 */
async function importBatch(
  ctx: ServiceContext,
  source: ImportSource,
  size: number,
  { onConflict, actor }: { onConflict: ImportConflictMode; actor: ImportManyOptions['actor'] },
  onProgress: (written: number) => void,
): Promise<Written> {
  const readBefore = source.read;
  const database = ctx.config.database.kind;
  try {
    return await withBusyRetry(
      () =>
        ctx.orm.em.fork().transactional(async (em) => {
          const writer = await openProductWriter(em, database, { bulk: onConflict === 'error', actor });
          const done: Written = { ...NOTHING };
          try {
            while (!source.ended && done.written < size) {
              const chunk = await source.take(Math.min(CHUNK, size - done.written));
              if (source.rejected) throw new ImportRejected();
              if (chunk.identified.length === 0) {
                await writer.add(chunk.rows);
                done.inserted += chunk.rows.length;
              } else {
                const write = await writeImportedProducts(em, database, writer, chunk, onConflict, { actor });
                done.inserted += write.inserted;
                done.skipped += write.skipped;
                done.updated += write.updated;
              }
              done.written += chunk.rows.length;
              onProgress(done.written);
            }
            await writer.finish();
            return done;
          } finally {
            await writer.release();
          }
        }),
      undefined,
      () => source.read === readBefore,
    );
  } catch (error) {
    if (error instanceof ImportRejected) return NOTHING;
    throw error;
  }
}
