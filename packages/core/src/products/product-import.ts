import { requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { withBusyRetry } from '../db/retry.js';
import type { ValidationError } from '../errors.js';
import { ImportSource } from './import-source.js';
import { openProductWriter } from './product-writes.js';

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
}

export interface ImportManyResult {
  /** Inputs read. */
  read: number;
  /** Products created (committed). */
  created: number;
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
  let created = 0;
  while (!source.ended && !source.rejected) {
    created += await importBatch(ctx, source, batchSize ?? Infinity, options, (n) => options.onProgress?.(created + n));
    options.onProgress?.(created);
  }
  if (source.rejected) {
    await source.drain();
    throw source.failure(created);
  }
  return { read: source.read, created, invalid: source.invalid };
}

/**
 * One transaction: rows from `source` until `size` were written, the inputs end, or one is
 * rejected (then it rolls back and writes nothing). A busy database is retried only while no
 * input was read: inputs once read cannot be read again.
 * @returns the rows written.
 */
async function importBatch(
  ctx: ServiceContext,
  source: ImportSource,
  size: number,
  options: ImportManyOptions,
  onProgress: (written: number) => void,
): Promise<number> {
  const readBefore = source.read;
  try {
    return await withBusyRetry(
      () =>
        ctx.orm.em.fork().transactional(async (em) => {
          const writer = await openProductWriter(em, ctx.config.database.kind, {
            bulk: true,
            actor: options.actor,
          });
          try {
            let written = 0;
            while (!source.ended && written < size) {
              const rows = await source.take(Math.min(CHUNK, size - written));
              if (source.rejected) throw new ImportRejected();
              await writer.add(rows);
              written += rows.length;
              onProgress(written);
            }
            await writer.finish();
            return written;
          } finally {
            await writer.release();
          }
        }),
      undefined,
      () => source.read === readBefore,
    );
  } catch (error) {
    if (error instanceof ImportRejected) return 0;
    throw error;
  }
}
