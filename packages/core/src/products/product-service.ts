import {
  isUuid,
  ProductInputSchema,
  ProductPatchSchema,
  type Page,
  type Product,
  type ProductFilter,
  type ProductInput,
  ProductListQuerySchema,
  type ProductListQuery,
  type ProductListQueryParsed,
  type ProductPatch,
} from '@catalog/contract';
import type { EntityManager } from '@mikro-orm/knex';
import type { ZodError } from 'zod';
import { isAdmin, requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { withBusyRetry } from '../db/retry.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { validate } from '../validate.js';
import { importProducts, type ImportManyOptions, type ImportManyResult } from './product-import.js';
import { listProducts } from './product-list.js';
import {
  newIdentity,
  PRODUCT_SELECT,
  toInput,
  toProduct,
  toRow,
  type ProductRow,
  type ProductWireRow,
} from '../db/product-table.js';
import { insertProducts, updateProduct, type ProductUpdate } from './product-writes.js';

/** Page size used by iterate(). */
const ITERATE_PAGE = 100;

/** Options of a conditional write. */
export interface WriteOptions extends CallOptions {
  /** Write only if the product is at this version; else PreconditionFailedError, nothing written. */
  ifVersion?: number | undefined;
}

/**
 * Products: create, read, replace, patch, soft delete, restore, list and iterate.
 * Writes and `include_deleted` need an admin actor; reads need none (the server decides who may
 * call it over HTTP).
 */
export class ProductService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * @example await catalog.products.create({ name: 'Tea', category: 'drinks', price: 3.5 }, { actor: admin })
   * @throws {ValidationError|ForbiddenError|UnauthorizedError}
   */
  async create(input: ProductInput, options?: CallOptions): Promise<Product> {
    requireAdmin(options);
    const data = validate(ProductInputSchema, input);
    // Each write runs whole again (fresh em) when SQLite finds it busy: see db/retry.ts.
    const row = toRow(data, newIdentity(new Date()));
    await this.insert([row], options);
    return toProduct(row, true);
  }

  /**
   * Creates many products in one transaction: either all are written or none. Every input is
   * validated first, and the error names every bad field of every bad item as `[i].field`
   * (`[3].price`, index in `inputs`).
   * @returns the products created, in the order of `inputs`.
   * @throws {ValidationError|ForbiddenError|UnauthorizedError}
   * @throws {ConflictError} when a SKU is taken (or given twice).
   */
  async createMany(inputs: readonly ProductInput[], options?: CallOptions): Promise<Product[]> {
    requireAdmin(options);
    const now = new Date();
    const rows: ProductRow[] = [];
    const invalid: { index: number; error: ZodError }[] = [];
    inputs.forEach((input, index) => {
      const result = ProductInputSchema.safeParse(input);
      if (result.success) rows.push(toRow(result.data, newIdentity(now)));
      else invalid.push({ index, error: result.error });
    });
    if (invalid.length > 0) throw ValidationError.fromZodItems(invalid);
    await this.insert(rows, options);
    return rows.map((row) => toProduct(row, true));
  }

  /**
   * Creates a product for each of `inputs`, read one at a time: an array, a generator, the records
   * of a file being parsed. Memory stays that of one chunk of rows however many there are, and by
   * default every input goes into ONE transaction (nothing is written unless all of it is).
   * `batchSize` commits every N inputs instead; `skipInvalid` leaves invalid inputs out;
   * `onInvalid` hears of each invalid input as it is read; `onProgress` counts rows written.
   * Without `skipInvalid`, an invalid input rolls the transaction back, the rest is still read and
   * checked (so `onInvalid` reports every problem), and the call throws.
   * An input may carry its identity (`id`, `version`, `created_at`, `updated_at`, `deleted_at`:
   * ProductImportSchema) and keeps it, so an export imports back as the same products; `onConflict`
   * says what happens when its id is present already.
   *
   * On SQLite the rows go in through the bulk path: multi-row prepared inserts, the search index
   * and dashboard totals updated once at the end, and — into an empty table — the secondary
   * indexes rebuilt after the insert, inside the same transaction (see product-bulk-insert.ts).
   *
   * @example
   * const { created } = await catalog.products.importMany(parseRecords(file), { actor: admin, skipInvalid: true });
   * @throws {ValidationError} when an input is invalid and `skipInvalid` is not set.
   * @throws {ConflictError} when an id is present (`onConflict: 'error'`) or a SKU is taken.
   * @throws {ForbiddenError|UnauthorizedError}
   */
  async importMany(
    inputs: AsyncIterable<unknown> | Iterable<unknown>,
    options?: ImportManyOptions,
  ): Promise<ImportManyResult> {
    return importProducts(this.ctx, inputs, options);
  }

  /** @throws {NotFoundError} when absent or soft-deleted. */
  async get(id: string, options?: CallOptions): Promise<Product> {
    // A plain row on the read connections, not an entity: a read-only hot path needs no identity
    // map or change tracking.
    const [row] = isUuid(id)
      ? await this.ctx.read<ProductWireRow>(
          `select ${PRODUCT_SELECT} from products where id = ? and deleted_at is null`,
          [id.toLowerCase()],
        )
      : [];
    if (!row) throw NotFoundError.product(id);
    return toProduct(row, isAdmin(options));
  }

  /**
   * Replaces every field.
   * @throws {ValidationError|NotFoundError|ForbiddenError|UnauthorizedError|PreconditionFailedError|ConflictError}
   */
  async replace(id: string, input: ProductInput, options?: WriteOptions): Promise<Product> {
    requireAdmin(options);
    const data = validate(ProductInputSchema, input);
    return this.update(id, options, { live: true, change: (current) => changed(current, toRow(data, current)) });
  }

  /**
   * Changes the given fields only.
   * @throws {ValidationError|NotFoundError|ForbiddenError|UnauthorizedError|PreconditionFailedError|ConflictError}
   */
  async patch(id: string, patch: ProductPatch, options?: WriteOptions): Promise<Product> {
    requireAdmin(options);
    const data = validate(ProductPatchSchema, patch);
    return this.update(id, options, {
      live: true,
      change: (current) => changed(current, toRow({ ...toInput(current), ...data }, current)),
    });
  }

  /** Soft-deletes. @throws {NotFoundError} when absent or already deleted. @throws {PreconditionFailedError} */
  async delete(id: string, options?: WriteOptions): Promise<void> {
    requireAdmin(options);
    await this.update(id, options, {
      live: true,
      change: (current) => {
        const now = new Date();
        return { ...changed(current, current), deleted_at: now, updated_at: now };
      },
    });
  }

  /**
   * Undoes a soft delete; restoring a live product returns it unchanged.
   * @throws {NotFoundError} @throws {PreconditionFailedError}
   */
  async restore(id: string, options?: WriteOptions): Promise<Product> {
    requireAdmin(options);
    return this.update(id, options, {
      live: false,
      change: (current) =>
        current.deleted_at === null ? undefined : { ...changed(current, current), deleted_at: null },
    });
  }

  /**
   * One page of products, newest first unless `sort_by`/`sort_order` say otherwise.
   * @example const page = await catalog.products.list({ sort_by: 'price', limit: 20 });
   * @throws {ValidationError|InvalidCursorError|ForbiddenError}
   */
  async list(query: ProductListQuery = {}, options?: CallOptions): Promise<Page<Product>> {
    return listProducts(this.ctx, validate(ProductListQuerySchema, query), options);
  }

  /**
   * list() for a query already parsed with ProductListQuerySchema (its output type is branded, so
   * nothing else type-checks here): a caller that has validated it itself — the server, to answer
   * a bad query string with its own errors — does not pay for a second parse.
   * @example const page = await catalog.products.listParsed(ProductListQuerySchema.parse(rawQuery));
   * @throws {InvalidCursorError|ForbiddenError}
   */
  async listParsed(query: ProductListQueryParsed, options?: CallOptions): Promise<Page<Product>> {
    return listProducts(this.ctx, query, options);
  }

  /**
   * Every product matching `filter`, page by page through the cursor module (constant memory).
   * @example for await (const p of catalog.products.iterate({ category: 'books' })) console.log(p.name);
   */
  async *iterate(filter: ProductFilter = {}, options?: CallOptions): AsyncGenerator<Product, void, undefined> {
    let cursor: string | undefined;
    do {
      options?.signal?.throwIfAborted();
      const page = await this.list({ ...filter, limit: ITERATE_PAGE, ...(cursor ? { cursor } : {}) }, options);
      yield* page.data;
      cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
    } while (cursor);
  }

  private em(): EntityManager {
    return this.ctx.orm.em.fork();
  }

  /** Inserts rows in one transaction. Run whole again (fresh em) when SQLite finds it busy: see db/retry.ts. */
  private async insert(rows: ProductRow[], options: CallOptions | undefined): Promise<void> {
    const database = this.ctx.config.database.kind;
    const actor = options?.actor;
    await withBusyRetry(() => this.em().transactional((em) => insertProducts(em, database, rows, { actor })));
  }

  private async update(
    id: string,
    options: WriteOptions | undefined,
    update: Omit<ProductUpdate, 'ifVersion'>,
  ): Promise<Product> {
    if (!isUuid(id)) throw NotFoundError.product(id);
    const database = this.ctx.config.database.kind;
    const row = await withBusyRetry(() =>
      this.em().transactional((em) =>
        updateProduct(em, database, id.toLowerCase(), {
          ...update,
          ifVersion: options?.ifVersion,
          actor: options?.actor,
        }),
      ),
    );
    return toProduct(row, true);
  }
}

/** `next` as the following version of `current`: version + 1, updated now, identity kept. */
function changed(current: ProductRow, next: ProductRow): ProductRow {
  return {
    ...next,
    id: current.id,
    created_at: current.created_at,
    deleted_at: current.deleted_at,
    version: current.version + 1,
    updated_at: new Date(),
  };
}
