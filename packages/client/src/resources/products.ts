import type { Page, Product, ProductInput, ProductListQuery, ProductPatch } from '@catalog/contract';
import type { CatalogClient, QueryValue, RequestOptions } from '../client.js';

/** The query of `iterate()`: a listing's filters and sort, plus `limit` as the page size. */
export type ProductIterateQuery = Omit<ProductListQuery, 'cursor'>;

function productPath(id: string): string {
  return `/products/${encodeURIComponent(id)}`;
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
  list(query: ProductListQuery = {}, options: RequestOptions = {}): Promise<Page<Product>> {
    return this.#client.send<Page<Product>>({
      ...options,
      method: 'GET',
      path: '/products',
      query: query as Record<string, QueryValue>,
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
   * One product (`GET /products/{id}`).
   * @throws {CatalogApiError} `not_found` (404) when absent or deleted.
   */
  get(id: string, options: RequestOptions = {}): Promise<Product> {
    return this.#client.send<Product>({ ...options, method: 'GET', path: productPath(id) });
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
   * Replaces every field of a product (`PUT /products/{id}`, admin); an omitted rating becomes null.
   * @throws {CatalogApiError} `not_found`, `forbidden` or `validation_failed`.
   */
  replace(id: string, input: ProductInput, options: RequestOptions = {}): Promise<Product> {
    return this.#client.send<Product>({ ...options, method: 'PUT', path: productPath(id), json: input });
  }

  /**
   * Changes some fields of a product (`PATCH /products/{id}`, admin).
   * @example
   * await client.products.patch(tea.id, { price: 3.99 });
   * @throws {CatalogApiError} `not_found`, `forbidden` or `validation_failed` (also for an empty patch).
   */
  patch(id: string, patch: ProductPatch, options: RequestOptions = {}): Promise<Product> {
    return this.#client.send<Product>({ ...options, method: 'PATCH', path: productPath(id), json: patch });
  }

  /**
   * Soft-deletes a product (`DELETE /products/{id}`, admin); `restore()` brings it back.
   * @throws {CatalogApiError} `not_found` (404) when absent or already deleted, `forbidden` for non-admins.
   */
  async delete(id: string, options: RequestOptions = {}): Promise<void> {
    await this.#client.send<undefined>({ ...options, method: 'DELETE', path: productPath(id) });
  }

  /**
   * Undoes a soft delete (`POST /products/{id}/restore`, admin).
   * @throws {CatalogApiError} `not_found` (404) when no such product exists, `forbidden` for non-admins.
   */
  restore(id: string, options: RequestOptions = {}): Promise<Product> {
    return this.#client.send<Product>({ ...options, method: 'POST', path: `${productPath(id)}/restore` });
  }
}
