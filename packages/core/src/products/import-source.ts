import {
  PRODUCT_IDENTITY_SHAPE,
  ProductIdentitySchema,
  ProductImportSchema,
  type FieldError,
  type ProductInputParsed,
} from '@catalog/contract';
import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';
import { ValidationError } from '../errors.js';
import { plainProductInput } from './plain-product-input.js';
import { importedIdentity, toRow, type GivenIdentity, type ProductRow } from '../db/product-table.js';

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

/** The fields of an input that are its identity rather than its content. */
const IDENTITY_FIELDS = new Set(Object.keys(PRODUCT_IDENTITY_SHAPE));

const newId = () => ids.generate().toString();

/** A group of rows read from the inputs. */
export interface ImportChunk {
  rows: ProductRow[];
  /**
   * The rows whose id came from their input (so it may be present already), in order: each one's
   * position in `rows` and its 0-based index in the inputs.
   */
  identified: { position: number; index: number }[];
}

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
  async take(max: number): Promise<ImportChunk> {
    const chunk: ImportChunk = { rows: [], identified: [] };
    while (chunk.rows.length < max && !this.ended && !this.rejected) {
      this.options.signal?.throwIfAborted();
      const step = this.iterator.next();
      const next = step instanceof Promise ? await step : step;
      if (next.done) this.ended = true;
      else {
        const index = this.read;
        const read = this.toRow(next.value);
        if (read) {
          if (read.identified) chunk.identified.push({ position: chunk.rows.length, index });
          chunk.rows.push(read.row);
        }
      }
    }
    return chunk;
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

  /** The row of an input, and whether its id came from the input; undefined when it is invalid. */
  private toRow(value: unknown): { row: ProductRow; identified: boolean } | undefined {
    const index = this.read++;
    const parts = splitIdentity(value);
    let input = plainProductInput(parts.input);
    let given: GivenIdentity | undefined = {};
    if (parts.identity !== undefined) {
      const identity = ProductIdentitySchema.safeParse(parts.identity);
      given = identity.success ? identity.data : undefined;
    }
    if (input === undefined || given === undefined) {
      const parsed = this.parse(value, index);
      if (!parsed) return undefined;
      ({ input, given } = parsed);
    }
    if (Date.now() !== this.now.getTime()) this.now = new Date();
    return { row: toRow(input, importedIdentity(given, this.now, newId)), identified: given.id !== undefined };
  }

  private parse(value: unknown, index: number): { input: ProductInputParsed; given: GivenIdentity } | undefined {
    const parsed = ProductImportSchema.safeParse(value);
    if (parsed.success) {
      const { id, version, created_at, updated_at, deleted_at, ...input } = parsed.data;
      return { input, given: { id, version, created_at, updated_at, deleted_at } };
    }
    this.invalid++;
    if (!this.options.skipInvalid) this.rejected = true;
    if (this.errors.length < MAX_REPORTED_ERRORS) {
      this.errors.push(...ValidationError.fromZod(parsed.error, [index]).errors!);
    }
    this.options.onInvalid?.(ValidationError.fromZod(parsed.error), index);
    return undefined;
  }
}

/**
 * An input's content and, when it has any identity field, its identity fields apart (so the
 * content still takes plainProductInput's fast path). Anything but a plain object stays whole.
 */
function splitIdentity(value: unknown): { input: unknown; identity?: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { input: value };
  let identity: Record<string, unknown> | undefined;
  for (const key in value)
    if (IDENTITY_FIELDS.has(key)) (identity ??= {})[key] = (value as Record<string, unknown>)[key];
  if (identity === undefined) return { input: value };
  const input: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!IDENTITY_FIELDS.has(key)) input[key] = field;
  return { input, identity };
}
