import { ProductInputSchema, type FieldError } from '@catalog/contract';
import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';
import { ValidationError } from '../errors.js';
import { plainProductInput } from './plain-product-input.js';
import { newIdentity, toRow, type ProductRow } from './product-table.js';

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

export interface ImportSourceOptions {
  /** Leave invalid inputs out instead of stopping at the first. */
  skipInvalid: boolean;
  onInvalid?: ((error: ValidationError, index: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The inputs of an import, read one at a time and turned into product rows: validated like
 * `create` does (a few comparisons for inputs that plainly pass, the schema otherwise), counted,
 * and their problems kept for the final error.
 */
export class ImportSource {
  /** Inputs read so far. */
  read = 0;
  /** Inputs found invalid so far. */
  invalid = 0;
  /** The inputs are all read. */
  ended = false;
  /** An input was invalid and invalid inputs are not skipped: the import writes nothing more. */
  rejected = false;
  private readonly errors: FieldError[] = [];
  private readonly iterator: AsyncIterator<unknown> | Iterator<unknown>;
  /** One timestamp object per millisecond, not per row. */
  private now = new Date();

  constructor(
    inputs: AsyncIterable<unknown> | Iterable<unknown>,
    private readonly options: ImportSourceOptions,
  ) {
    this.iterator = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : inputs[Symbol.iterator]();
  }

  /**
   * Up to `max` rows of valid inputs; fewer at the end of the inputs or when an input is rejected.
   * Awaits only when the inputs are asynchronous: no promise per input.
   */
  async take(max: number): Promise<ProductRow[]> {
    const rows: ProductRow[] = [];
    while (rows.length < max && !this.ended && !this.rejected) {
      this.options.signal?.throwIfAborted();
      const step = this.iterator.next();
      const next = step instanceof Promise ? await step : step;
      if (next.done) this.ended = true;
      else {
        const row = this.toRow(next.value);
        if (row) rows.push(row);
      }
    }
    return rows;
  }

  /** Reads and checks every remaining input, writing nothing: the caller wants every problem. */
  async drain(): Promise<void> {
    while (!this.ended) {
      const step = this.iterator.next();
      const next = step instanceof Promise ? await step : step;
      if (next.done) this.ended = true;
      else this.toRow(next.value);
    }
  }

  /** The error of a rejected import. */
  failure(committed: number): ValidationError {
    const kept = committed > 0 ? `; the ${committed} products of batches committed before stay` : '';
    return new ValidationError(
      `${this.invalid} of ${this.read} inputs are invalid; the transaction was rolled back${kept}`,
      this.errors,
    );
  }

  private toRow(value: unknown): ProductRow | undefined {
    const index = this.read++;
    const data = plainProductInput(value) ?? this.parse(value, index);
    if (!data) return undefined;
    if (Date.now() !== this.now.getTime()) this.now = new Date();
    return toRow(data, newIdentity(this.now, ids.generate().toString()));
  }

  private parse(value: unknown, index: number) {
    const parsed = ProductInputSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.invalid++;
    if (!this.options.skipInvalid) this.rejected = true;
    if (this.errors.length < MAX_REPORTED_ERRORS) {
      this.errors.push(...ValidationError.fromZod(parsed.error, [index]).errors!);
    }
    this.options.onInvalid?.(ValidationError.fromZod(parsed.error), index);
    return undefined;
  }
}
