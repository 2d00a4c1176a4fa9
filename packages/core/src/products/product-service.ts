import {
  ProductInputSchema,
  ProductPatchSchema,
  type Page,
  type Product,
  type ProductFilter,
  type ProductInput,
  type ProductListQuery,
  type ProductPatch,
} from '@catalog/contract';
import type { EntityManager } from '@mikro-orm/knex';
import { uuidv7 } from 'uuidv7';
import { isAdmin, requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ProductEntity, type ProductRecord } from '../db/entities.js';
import { withBusyRetry } from '../db/retry.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { validate } from '../validate.js';
import { insertProducts, type ProductRow } from './product-bulk-insert.js';
import { importProducts, type ImportManyOptions, type ImportManyResult } from './product-import.js';
import { listProducts } from './product-list.js';
import { PRODUCT_RAW_COLUMNS, toColumns, toProduct, type ProductRawRow } from './product-view.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Page size used by iterate(). */
const ITERATE_PAGE = 100;

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
    return withBusyRetry(async () => {
      const em = this.em();
      const now = new Date();
      const record = em.create(ProductEntity, {
        id: uuidv7(),
        ...toColumns(data),
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
      await em.flush();
      return toProduct(record, true);
    });
  }

  /**
   * Creates many products in one transaction: either all are written or none. Every input is
   * validated first; a bad one fails the call with paths like `3.price` (index in `inputs`).
   * @returns the number of products created.
   * @throws {ValidationError|ForbiddenError|UnauthorizedError}
   */
  async createMany(inputs: ProductInput[], options?: CallOptions): Promise<number> {
    requireAdmin(options);
    const rows = inputs.map((input, index) => {
      const result = ProductInputSchema.safeParse(input);
      if (!result.success) throw ValidationError.fromZod(result.error, [index]);
      const now = new Date();
      const row: ProductRow = {
        id: uuidv7(),
        ...toColumns(result.data),
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      return row;
    });
    // The bulk path reads before it writes, so on SQLite another process's commit can make it busy.
    await withBusyRetry(() => this.em().transactional((em) => insertProducts(em, this.ctx.config.database.kind, rows)));
    return rows.length;
  }

  /**
   * Creates a product for each of `inputs`, read one at a time: an array, a generator, the records
   * of a file being parsed. Memory stays that of one chunk of rows however many there are, and by
   * default every input goes into ONE transaction (nothing is written unless all of it is).
   * `batchSize` commits every N inputs instead; `skipInvalid` leaves invalid inputs out;
   * `onInvalid` hears of each invalid input as it is read; `onProgress` counts rows written.
   * Without `skipInvalid`, an invalid input rolls the transaction back, the rest is still read and
   * checked (so `onInvalid` reports every problem), and the call throws.
   *
   * On SQLite the rows go in through the bulk path: multi-row prepared inserts, the search index
   * and dashboard totals updated once at the end, and — into an empty table — the secondary
   * indexes rebuilt after the insert, inside the same transaction (see product-bulk-insert.ts).
   *
   * @example
   * const { created } = await catalog.products.importMany(parseRecords(file), { actor: admin, skipInvalid: true });
   * @throws {ValidationError} when an input is invalid and `skipInvalid` is not set.
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
    const [row] = UUID.test(id)
      ? await this.ctx.read<ProductRawRow>(
          `select ${PRODUCT_RAW_COLUMNS} from products where id = ? and deleted_at is null`,
          [id.toLowerCase()],
        )
      : [];
    if (!row) throw NotFoundError.product(id);
    return toProduct(row, isAdmin(options));
  }

  /** Replaces every field. @throws {ValidationError|NotFoundError|ForbiddenError|UnauthorizedError} */
  async replace(id: string, input: ProductInput, options?: CallOptions): Promise<Product> {
    requireAdmin(options);
    const data = validate(ProductInputSchema, input);
    return withBusyRetry(() => this.update(id, toColumns(data)));
  }

  /** Changes the given fields only. @throws {ValidationError|NotFoundError|ForbiddenError|UnauthorizedError} */
  async patch(id: string, patch: ProductPatch, options?: CallOptions): Promise<Product> {
    requireAdmin(options);
    const data = validate(ProductPatchSchema, patch);
    return withBusyRetry(async () => {
      const em = this.em();
      const current = await this.findLive(em, id);
      const { name, category, price, rating } = toProduct(current, false);
      const merged = toColumns({ name, category, price, rating, ...data });
      return this.apply(em, current, merged);
    });
  }

  /** Soft-deletes. @throws {NotFoundError} when absent or already deleted. */
  async delete(id: string, options?: CallOptions): Promise<void> {
    requireAdmin(options);
    await withBusyRetry(async () => {
      const em = this.em();
      const record = await this.findLive(em, id);
      const now = new Date();
      em.assign(record, { deleted_at: now, updated_at: now });
      await em.flush();
    });
  }

  /** Undoes a soft delete; restoring a live product returns it unchanged. @throws {NotFoundError} */
  async restore(id: string, options?: CallOptions): Promise<Product> {
    requireAdmin(options);
    return withBusyRetry(async () => {
      const em = this.em();
      const record = UUID.test(id) ? await em.findOne(ProductEntity, { id: id.toLowerCase() }) : null;
      if (!record) throw NotFoundError.product(id);
      if (record.deleted_at) {
        em.assign(record, { deleted_at: null, updated_at: new Date() });
        await em.flush();
      }
      return toProduct(record, true);
    });
  }

  /**
   * One page of products, newest first unless `sort_by`/`sort_order` say otherwise.
   * @example const page = await catalog.products.list({ sort_by: 'price', limit: 20 });
   * @throws {ValidationError|InvalidCursorError|ForbiddenError}
   */
  async list(query: ProductListQuery = {}, options?: CallOptions): Promise<Page<Product>> {
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

  private async findLive(em: EntityManager, id: string): Promise<ProductRecord> {
    const record = UUID.test(id) ? await em.findOne(ProductEntity, { id: id.toLowerCase(), deleted_at: null }) : null;
    if (!record) throw NotFoundError.product(id);
    return record;
  }

  private async update(id: string, columns: ReturnType<typeof toColumns>): Promise<Product> {
    const em = this.em();
    return this.apply(em, await this.findLive(em, id), columns);
  }

  private async apply(
    em: EntityManager,
    record: ProductRecord,
    columns: ReturnType<typeof toColumns>,
  ): Promise<Product> {
    em.assign(record, { ...columns, updated_at: new Date() });
    await em.flush();
    return toProduct(record, true);
  }
}
