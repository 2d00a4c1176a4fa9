import type { Page, Product, ProductInput, ProductListQuery, ProductPatch } from '@catalog/contract';
import type { CatalogClient, QueryValue, RequestOptions } from '../client.js';

/** The query of `iterate()`: a listing's filters and sort, plus `limit` as the page size. */
export type ProductIterateQuery = Omit<ProductListQuery, 'cursor' | 'include_total'>;

/** Options of `list()`. */
export interface ListOptions extends RequestOptions {
  /** Add `total`, the number of products matching the filters over all pages (`include_total=true`). */
  includeTotal?: boolean;
}

/**
 * Options of the writes to one product: write only if it is still as last read, else the call
 * rejects with `precondition_failed` (412) and nothing is written.
 */
export interface WriteOptions extends RequestOptions {
  /** The product's ETag as last read (`"<id>.<version>"`), or `*` (it only has to exist). */
  ifMatch?: string;
  /** The product's `version` as last read (sent as its ETag). */
  ifVersion?: number;
}

function productPath(id: string): string {
  return `/products/${encodeURIComponent(id)}`;
}

/** The ETag of version `version` of product `id`, as the server writes it. */
export function productETag(id: string, version: number): string {
  return `"${id}.${version}"`;
}

/** The `If-Match` header of a write's options, and the request options without them. */
function condition(id: string, options: WriteOptions): { headers: Record<string, string>; rest: RequestOptions } {
  const { ifMatch, ifVersion, ...rest } = options;
  if (ifMatch !== undefined && ifVersion !== undefined) throw new TypeError('pass ifMatch or ifVersion, not both');
  const tag = ifMatch ?? (ifVersion === undefined ? undefined : productETag(id, ifVersion));
  return { headers: tag === undefined ? {} : { 'if-match': tag }, rest };
}

/** Products: `client.products`. Reads need a signed-in user unless the server has public reads on. */
export class ProductsResource {
  readonly #client: CatalogClient;

  constructor(client: CatalogClient) {
    this.#client = client;
  }

  /**
   * One page of products (`GET /products`). Pass a page's `next_cursor` or `prev_cursor` as
   * `cursor`, with the same filters and sort, to move through the listing.
   * @example
   * const first = await client.products.list({ category: 'books', sort_by: 'price', sort_order: 'asc', limit: 10 });
   * const query = { category: 'books', sort_by: 'price', sort_order: 'asc', limit: 10 } as const;
   * if (first.next_cursor) await client.products.list({ ...query, cursor: first.next_cursor });
   * @throws {CatalogApiError} `validation_failed` (422) for a bad query, `invalid_cursor` (400) for a cursor of
   * another query.
   */
  list(query: ProductListQuery = {}, options: ListOptions = {}): Promise<Page<Product>> {
    const { includeTotal, ...rest } = options;
    return this.#client.send<Page<Product>>({
      ...rest,
      method: 'GET',
      path: '/products',
      query: { ...(query as Record<string, QueryValue>), ...(includeTotal ? { include_total: true } : {}) },
    });
  }

  /**
   * Every product matching `query`, page after page, following `next_cursor` until the end.
   * `options.signal` stops the walk between and during requests.
   * @example
   * for await (const product of client.products.iterate({ category: 'books', limit: 100 })) console.log(product.name);
   * @throws {CatalogApiError} as `list()` does, from whichever page failed.
   */
  async *iterate(
    query: ProductIterateQuery = {},
    options: RequestOptions = {},
  ): AsyncGenerator<Product, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list(cursor === undefined ? query : { ...query, cursor }, options);
      yield* page.data;
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
  }

  /**
   * One product (`GET /products/{id}`). With the client's `cache` on, a product read before is
   * revalidated with its ETag: while it is unchanged the server answers 304 and the kept copy is
   * returned.
   * @throws {CatalogApiError} `not_found` (404) when absent or deleted.
   */
  async get(id: string, options: RequestOptions = {}): Promise<Product> {
    const path = productPath(id);
    const cache = this.#client.cache;
    const kept = cache?.get(path);
    let etag: string | null = null;
    const product = await this.#client.send<Product>({
      ...options,
      method: 'GET',
      path,
      headers: kept ? { 'if-none-match': kept.etag } : {},
      notModified: () => kept?.value,
      onHeaders: (headers) => {
        etag = headers.get('etag');
      },
    });
    if (cache && etag !== null) cache.set(path, etag, product);
    return product;
  }

  /**
   * Creates a product (`POST /products`, admin).
   * @example
   * const tea = await client.products.create({ name: 'Green tea', category: 'drinks', price: 4.5, rating: 4.2 });
   * @throws {CatalogApiError} `forbidden` (403) for non-admins, `validation_failed` (422) for bad fields.
   */
  create(input: ProductInput, options: RequestOptions = {}): Promise<Product> {
    return this.#client.send<Product>({ ...options, method: 'POST', path: '/products', json: input });
  }

  /**
   * Creates up to 1,000 products at once (`POST /products/bulk`, admin): all or none.
   * @example
   * const [tea, mug] = await client.products.createMany([
   *   { name: 'Tea', category: 'drinks', price: 3 },
   *   { name: 'Mug', category: 'kitchen', price: 8 },
   * ]);
   * @returns the products created, in the order of `inputs`.
   * @throws {CatalogApiError} `validation_failed` (422) naming every bad field as `[i].field`, `conflict` (409) for a
   * SKU taken or given twice, `forbidden` for non-admins.
   */
  async createMany(inputs: readonly ProductInput[], options: RequestOptions = {}): Promise<Product[]> {
    const created = await this.#client.send<{ data: Product[] }>({
      ...options,
      method: 'POST',
      path: '/products/bulk',
      json: inputs,
    });
    return created.data;
  }

  /**
   * Replaces every field of a product (`PUT /products/{id}`, admin); an omitted rating becomes null.
   * @throws {CatalogApiError} `not_found`, `forbidden` or `validation_failed`. `precondition_failed` (412) when
   * `ifMatch`/`ifVersion` is stale, `precondition_required` (428) when the server requires one.
   */
  replace(id: string, input: ProductInput, options: WriteOptions = {}): Promise<Product> {
    const { headers, rest } = condition(id, options);
    return this.#client.send<Product>({ ...rest, headers, method: 'PUT', path: productPath(id), json: input });
  }

  /**
   * Changes some fields of a product (`PATCH /products/{id}`, admin).
   * @example
   * await client.products.patch(tea.id, { price: 3.99 });
   * @throws {CatalogApiError} `not_found`, `forbidden` or `validation_failed` (also for an empty patch).
   * `precondition_failed` (412) when `ifMatch`/`ifVersion` is stale, `precondition_required` (428) when the server
   * requires one.
   */
  patch(id: string, patch: ProductPatch, options: WriteOptions = {}): Promise<Product> {
    const { headers, rest } = condition(id, options);
    return this.#client.send<Product>({ ...rest, headers, method: 'PATCH', path: productPath(id), json: patch });
  }

  /**
   * Soft-deletes a product (`DELETE /products/{id}`, admin); `restore()` brings it back.
   * @throws {CatalogApiError} `not_found` (404) when absent or already deleted, `forbidden` for non-admins.
   */
  async delete(id: string, options: WriteOptions = {}): Promise<void> {
    const { headers, rest } = condition(id, options);
    await this.#client.send<undefined>({ ...rest, headers, method: 'DELETE', path: productPath(id) });
  }

  /**
   * Undoes a soft delete (`POST /products/{id}/restore`, admin).
   * @throws {CatalogApiError} `not_found` (404) when no such product exists, `forbidden` for non-admins.
   */
  restore(id: string, options: WriteOptions = {}): Promise<Product> {
    const { headers, rest } = condition(id, options);
    return this.#client.send<Product>({ ...rest, headers, method: 'POST', path: `${productPath(id)}/restore` });
  }
}
