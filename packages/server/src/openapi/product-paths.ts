import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  DashboardSummarySchema,
  PRODUCT_BULK_MAX,
  ProductInputSchema,
  ProductListQuerySchema,
  ProductPatchSchema,
  ProductSchema,
} from '@catalog/contract';
import { z } from 'zod';
import { SIGNED_IN } from './auth-paths.js';
import { CONDITIONAL_READ, empty, json, jsonBody, notModified, PRODUCT_ETAG, problems } from './responses.js';
import { ProductPageSchema } from './schemas.js';

const ProductIdParams = z.object({ id: z.uuid().describe('Product id (UUIDv7)') });
const IfNoneMatch = z.object({
  'If-None-Match': z
    .string()
    .optional()
    .describe('ETags you hold (comma-separated, or `*`): 304 with no body when one names the current response.'),
});
const IfMatch = z.object({
  'If-Match': z
    .string()
    .optional()
    .describe(
      'Write only if the product is still at this ETag (`"<id>.<version>"`, from a read or a write), else 412 and nothing is written. ' +
        '`*` only asks that the product exist. Required (428 without it) when the server runs with CATALOG_REQUIRE_IF_MATCH=true.',
    ),
});
const BulkCreatedSchema = z.object({ data: z.array(ProductSchema) });
const LOCATION = { Location: { $ref: '#/components/headers/Location' } };
const ADMIN = 'Admin only.';
/** What a replace (PUT) and a change (PATCH) of one product answer: the same outcomes. */
const UPDATED_PRODUCT = {
  200: json('The updated product', ProductSchema, PRODUCT_ETAG),
  ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 503),
};

/** The /products and /dashboard endpoints; `publicRead` opens the two product reads to anonymous callers. */
export function registerProductPaths(registry: OpenAPIRegistry, publicRead: boolean): void {
  const reader: Record<string, string[]>[] = publicRead ? [{}, ...SIGNED_IN] : SIGNED_IN;
  const readerProblems = publicRead ? ([] as const) : ([401] as const);

  registry.registerPath({
    method: 'get',
    path: '/products',
    operationId: 'listProducts',
    tags: ['products'],
    summary: 'List products (keyset pagination)',
    description:
      'One page of products, filtered and sorted. Pass `next_cursor` (or `prev_cursor`) back as `cursor` with the same filters and sort to move between pages. ' +
      'Unknown parameters, malformed numbers, `min_price > max_price` and out-of-range limits give 422. `include_deleted=true` is for admins. ' +
      '`include_total=true` adds `total`, the number of products matching the filters (no count runs without it). The ETag is a hash of the page.',
    security: reader,
    request: { query: ProductListQuerySchema, headers: IfNoneMatch },
    responses: {
      200: json('A page of products', ProductPageSchema, CONDITIONAL_READ),
      ...notModified(),
      ...problems(400, ...readerProblems, 403, 422, 503),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/products',
    operationId: 'createProduct',
    tags: ['products'],
    summary: 'Create a product',
    description: ADMIN,
    security: SIGNED_IN,
    request: { body: jsonBody(ProductInputSchema) },
    responses: {
      201: json('The new product', ProductSchema, { ...LOCATION, ...PRODUCT_ETAG }),
      ...problems(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/products/bulk',
    operationId: 'createProducts',
    tags: ['products'],
    summary: 'Create many products at once',
    description:
      `A JSON array of 1 to ${PRODUCT_BULK_MAX} product inputs (body up to 2 MB), created all or nothing. ` +
      'A 422 lists every bad field of every bad item, `errors[].path` = `[i].field` (index in the array); a SKU taken or given twice is 409. ' +
      ADMIN,
    security: SIGNED_IN,
    request: {
      body: jsonBody(z.array(ProductInputSchema).min(1).max(PRODUCT_BULK_MAX)),
    },
    responses: {
      201: json('The new products, in the order of the input', BulkCreatedSchema),
      ...problems(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/products/{id}',
    operationId: 'getProduct',
    tags: ['products'],
    summary: 'Get a product',
    description: 'Soft-deleted products are not found. The ETag is strong: `"<id>.<version>"`.',
    security: reader,
    request: { params: ProductIdParams, headers: IfNoneMatch },
    responses: {
      200: json('The product', ProductSchema, CONDITIONAL_READ),
      ...notModified(),
      ...problems(...readerProblems, 404, 503),
    },
  });

  registry.registerPath({
    method: 'put',
    path: '/products/{id}',
    operationId: 'replaceProduct',
    tags: ['products'],
    summary: 'Replace a product',
    description: `Every field is set (an omitted rating becomes null). ${ADMIN}`,
    security: SIGNED_IN,
    request: {
      params: ProductIdParams,
      headers: IfMatch,
      body: jsonBody(ProductInputSchema),
    },
    responses: UPDATED_PRODUCT,
  });

  registry.registerPath({
    method: 'patch',
    path: '/products/{id}',
    operationId: 'patchProduct',
    tags: ['products'],
    summary: 'Change some fields of a product',
    description: `Any non-empty subset of the fields; \`rating: null\` clears the rating. ${ADMIN}`,
    security: SIGNED_IN,
    request: {
      params: ProductIdParams,
      headers: IfMatch,
      body: jsonBody(ProductPatchSchema),
    },
    responses: UPDATED_PRODUCT,
  });

  registry.registerPath({
    method: 'delete',
    path: '/products/{id}',
    operationId: 'deleteProduct',
    tags: ['products'],
    summary: 'Soft-delete a product',
    description: `The product disappears from reads and the dashboard until restored. ${ADMIN}`,
    security: SIGNED_IN,
    request: { params: ProductIdParams, headers: IfMatch },
    responses: { 204: empty('Deleted'), ...problems(400, 401, 403, 404, 412, 428, 503) },
  });

  registry.registerPath({
    method: 'post',
    path: '/products/{id}/restore',
    operationId: 'restoreProduct',
    tags: ['products'],
    summary: 'Restore a soft-deleted product',
    description: ADMIN,
    security: SIGNED_IN,
    request: { params: ProductIdParams, headers: IfMatch },
    responses: {
      200: json('The restored product', ProductSchema, PRODUCT_ETAG),
      ...problems(400, 401, 403, 404, 412, 428, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/dashboard/summary',
    operationId: 'dashboardSummary',
    tags: ['dashboard'],
    summary: 'Catalog summary',
    description:
      'Totals, average rating, the highest-priced and newest products, and counts per category (soft-deleted products excluded). The ETag is a hash of the body.',
    security: SIGNED_IN,
    request: { headers: IfNoneMatch },
    responses: {
      200: json('The summary', DashboardSummarySchema, CONDITIONAL_READ),
      ...notModified(),
      ...problems(401, 503),
    },
  });
}
