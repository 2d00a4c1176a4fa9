import { ProductInputSchema, type FieldError, type ProductInputParsed } from '@catalog/contract';
import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';
import { requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { isSqliteBusy, withBusyRetry } from '../db/retry.js';
import { ValidationError } from '../errors.js';
import { openProductWriter, type ProductRow } from './product-bulk-insert.js';
import { plainProductInput } from './plain-product-input.js';
import { fold, priceToCents, ratingToTenths } from './product-view.js';

export interface ImportManyOptions extends CallOptions {
  /**
   * Inputs per transaction. Default: every input in one transaction, so a failed, aborted or
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
/** Field errors kept for the error thrown when inputs are invalid (the rest are counted). */
const MAX_REPORTED_ERRORS = 20;

/**
 * UUIDv7 ids for imported rows. The package's default generator refills its random words 8 at a
 * time, and at a million ids the system calls alone cost seconds; this one draws 4096 at a time.
 */
const random = new Uint32Array(4096);
let randomCursor = random.length;
const ids = new V7Generator({
  nextUint32() {
    if (randomCursor >= random.length) {
      randomFillSync(random);
      randomCursor = 0;
    }
    return random[randomCursor++]!;
  },
});

const DONE = Symbol('done');
const INVALID = Symbol('invalid');
/** Thrown inside the transaction to roll it back once an invalid input dooms the import. */
const REJECTED = Symbol('rejected');

/** A failure after inputs were consumed: those inputs are gone, so it must not be retried. */
class NotRetryable {
  constructor(readonly error: unknown) {}
}

/**
 * Creates a product for each of `inputs`, read one at a time (an array, a generator, a stream of
 * parsed records), holding only one chunk of rows in memory. Each input is validated like
 * `create` does. See ProductService.importMany for the contract.
 *
 * @throws {ValidationError} when an input is invalid and `skipInvalid` is not set: every input is
 * still read (and reported through `onInvalid`), nothing of the failing transaction is written.
 * @throws {ForbiddenError|UnauthorizedError} without an admin actor.
 */
export async function importProducts(
  ctx: ServiceContext,
  inputs: AsyncIterable<unknown> | Iterable<unknown>,
  options: ImportManyOptions = {},
): Promise<ImportManyResult> {
  requireAdmin(options);
  const { batchSize, skipInvalid = false } = options;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1))
    throw new RangeError('batchSize must be a whole number ≥ 1');
  const iterator = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : inputs[Symbol.iterator]();
  const result: ImportManyResult = { read: 0, created: 0, invalid: 0 };
  const errors: FieldError[] = [];
  let rejected = false;

  // One timestamp object per millisecond, not per row.
  let now = new Date();
  /** The next input: a promise only when the iterator gives one (no extra promise per input). */
  const read = (): IteratorResult<unknown> | Promise<IteratorResult<unknown>> => {
    options.signal?.throwIfAborted();
    return iterator.next();
  };
  const take = (next: IteratorResult<unknown>): ProductRow | typeof DONE | typeof INVALID => {
    if (next.done) return DONE;
    const index = result.read++;
    const data = plainProductInput(next.value);
    if (data !== undefined) return toRow(data);
    const parsed = ProductInputSchema.safeParse(next.value);
    if (!parsed.success) {
      result.invalid++;
      if (!skipInvalid) rejected = true;
      const error = ValidationError.fromZod(parsed.error);
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(...ValidationError.fromZod(parsed.error, [index]).errors!);
      options.onInvalid?.(error, index);
      return INVALID;
    }
    return toRow(parsed.data);
  };
  // toColumns (product-view) written out: one object per row instead of two.
  const toRow = (data: ProductInputParsed): ProductRow => {
    if (Date.now() !== now.getTime()) now = new Date();
    return {
      id: ids.generate().toString(),
      name: data.name,
      name_folded: fold(data.name),
      category: data.category,
      category_folded: fold(data.category),
      price_cents: priceToCents(data.price),
      rating_tenths: ratingToTenths(data.rating),
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
  };

  let done = false;
  try {
    while (!done && !rejected) {
      let pulled = false;
      // Busy is retried only while nothing was read: the writer's first statement takes the write
      // lock (see openProductWriter), so after that the transaction cannot become busy.
      const written = await withBusyRetry(async () => {
        try {
          return await ctx.orm.em.fork().transactional(async (em) => {
            const writer = await openProductWriter(em, ctx.config.database.kind);
            try {
              let inBatch = 0;
              let chunk: ProductRow[] = [];
              while (batchSize === undefined || inBatch + chunk.length < batchSize) {
                const step = read();
                const item = take(step instanceof Promise ? await step : step);
                pulled = true;
                if (item === DONE) {
                  done = true;
                  break;
                }
                if (item === INVALID) {
                  if (rejected) throw REJECTED;
                  continue;
                }
                chunk.push(item);
                if (chunk.length === CHUNK) {
                  await writer.add(chunk);
                  inBatch += chunk.length;
                  chunk = [];
                  options.onProgress?.(result.created + inBatch);
                }
              }
              await writer.add(chunk);
              inBatch += chunk.length;
              await writer.finish();
              return inBatch;
            } finally {
              await writer.release();
            }
          });
        } catch (error) {
          throw pulled && error !== REJECTED && isSqliteBusy(error) ? new NotRetryable(error) : error;
        }
      });
      result.created += written;
      options.onProgress?.(result.created);
    }
  } catch (error) {
    if (error instanceof NotRetryable) throw error.error;
    if (error !== REJECTED) throw error;
  }
  if (!rejected) return result;
  // The import is doomed, but the caller wants every problem: read and check the rest, writing nothing.
  while (!done) {
    const step = read();
    done = take(step instanceof Promise ? await step : step) === DONE;
  }
  const kept = result.created > 0 ? `; the ${result.created} products of batches committed before stay` : '';
  throw new ValidationError(
    `${result.invalid} of ${result.read} inputs are invalid; the transaction was rolled back${kept}`,
    errors,
  );
}
