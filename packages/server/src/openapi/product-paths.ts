import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  DashboardSummarySchema,
  ProductInputSchema,
  ProductListQuerySchema,
  ProductPatchSchema,
  ProductSchema,
} from '@catalog/contract';
import { z } from 'zod';
import { SIGNED_IN } from './auth-paths.js';
import { empty, json, problems } from './responses.js';
import { ProductPageSchema } from './schemas.js';

const ProductIdParams = z.object({ id: z.uuid().describe('Product id (UUIDv7)') });
const LOCATION = { Location: { $ref: '#/components/headers/Location' } };
const ADMIN = 'Admin only.';

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
      'Unknown parameters, malformed numbers, `min_price > max_price` and out-of-range limits give 422. `include_deleted=true` is for admins.',
    security: reader,
    request: { query: ProductListQuerySchema },
    responses: {
      200: json('A page of products', ProductPageSchema),
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
    request: { body: { required: true, content: { 'application/json': { schema: ProductInputSchema } } } },
    responses: {
      201: json('The new product', ProductSchema, LOCATION),
      ...problems(400, 401, 403, 413, 415, 422, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/products/{id}',
    operationId: 'getProduct',
    tags: ['products'],
    summary: 'Get a product',
    description: 'Soft-deleted products are not found.',
    security: reader,
    request: { params: ProductIdParams },
    responses: { 200: json('The product', ProductSchema), ...problems(...readerProblems, 404, 503) },
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
      body: { required: true, content: { 'application/json': { schema: ProductInputSchema } } },
    },
    responses: { 200: json('The updated product', ProductSchema), ...problems(400, 401, 403, 404, 413, 415, 422, 503) },
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
      body: { required: true, content: { 'application/json': { schema: ProductPatchSchema } } },
    },
    responses: { 200: json('The updated product', ProductSchema), ...problems(400, 401, 403, 404, 413, 415, 422, 503) },
  });

  registry.registerPath({
    method: 'delete',
    path: '/products/{id}',
    operationId: 'deleteProduct',
    tags: ['products'],
    summary: 'Soft-delete a product',
    description: `The product disappears from reads and the dashboard until restored. ${ADMIN}`,
    security: SIGNED_IN,
    request: { params: ProductIdParams },
    responses: { 204: empty('Deleted'), ...problems(401, 403, 404, 503) },
  });

  registry.registerPath({
    method: 'post',
    path: '/products/{id}/restore',
    operationId: 'restoreProduct',
    tags: ['products'],
    summary: 'Restore a soft-deleted product',
    description: ADMIN,
    security: SIGNED_IN,
    request: { params: ProductIdParams },
    responses: { 200: json('The restored product', ProductSchema), ...problems(401, 403, 404, 503) },
  });

  registry.registerPath({
    method: 'get',
    path: '/dashboard/summary',
    operationId: 'dashboardSummary',
    tags: ['dashboard'],
    summary: 'Catalog summary',
    description:
      'Totals, average rating, the highest-priced and newest products, and counts per category (soft-deleted products excluded).',
    security: SIGNED_IN,
    responses: { 200: json('The summary', DashboardSummarySchema), ...problems(401, 503) },
  });
}
