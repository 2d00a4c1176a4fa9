import {
  ProductBulkInputSchema,
  ProductListQuerySchema,
  type ProductInput,
  type ProductPatch,
} from '@catalog/contract';
import { authenticate } from '../auth.js';
import { BULK_BODY_LIMIT, jsonBody } from '../body.js';
import { ifMatchVersion, sendConditional, sendProduct } from '../http/conditional.js';
import { productETag } from '../http/entity-tags.js';
import { parseBody, parseId, parseQuery } from '../query.js';
import type { AppRouter, RouteDeps } from './deps.js';

/**
 * The product endpoints. Reads need a signed-in user unless `publicRead`; writes and
 * `include_deleted` are refused by the service unless the caller is an admin. Reads answer with
 * an ETag (304 on a matching `If-None-Match`); writes to one product honour `If-Match`.
 */
export function productRoutes(router: AppRouter, { catalog, config }: RouteDeps): void {
  const user = authenticate(catalog);
  const reader = authenticate(catalog, { optional: config.publicRead });
  const { products } = catalog;

  router.get('/products', reader, async (ctx) => {
    // Validated here once; listParsed trusts the schema's branded output.
    const query = parseQuery(ProductListQuerySchema, ctx.query);
    sendConditional(ctx, config, await products.listParsed(query, { actor: ctx.state.actor }));
  });

  router.post('/products', user, jsonBody(), async (ctx) => {
    const product = await products.create(ctx.request.body as ProductInput, { actor: ctx.state.actor });
    ctx.set('Location', `/products/${product.id}`);
    sendProduct(ctx, product, 201);
  });

  router.post('/products/bulk', user, jsonBody(BULK_BODY_LIMIT), async (ctx) => {
    const inputs = parseBody(ProductBulkInputSchema, ctx.request.body) as ProductInput[];
    ctx.status = 201;
    ctx.body = { data: await products.createMany(inputs, { actor: ctx.state.actor }) };
  });

  router.get('/products/:id', reader, async (ctx) => {
    const product = await products.get(parseId(ctx.params.id, 'Product'), { actor: ctx.state.actor });
    sendConditional(ctx, config, product, productETag(product));
  });

  router.put('/products/:id', user, jsonBody(), async (ctx) => {
    const id = parseId(ctx.params.id, 'Product');
    const ifVersion = ifMatchVersion(ctx, config, id);
    sendProduct(
      ctx,
      await products.replace(id, ctx.request.body as ProductInput, { actor: ctx.state.actor, ifVersion }),
    );
  });

  router.patch('/products/:id', user, jsonBody(), async (ctx) => {
    const id = parseId(ctx.params.id, 'Product');
    const ifVersion = ifMatchVersion(ctx, config, id);
    sendProduct(ctx, await products.patch(id, ctx.request.body as ProductPatch, { actor: ctx.state.actor, ifVersion }));
  });

  router.delete('/products/:id', user, async (ctx) => {
    const id = parseId(ctx.params.id, 'Product');
    const ifVersion = ifMatchVersion(ctx, config, id);
    await products.delete(id, { actor: ctx.state.actor, ifVersion });
    ctx.status = 204;
  });

  router.post('/products/:id/restore', user, async (ctx) => {
    const id = parseId(ctx.params.id, 'Product');
    const ifVersion = ifMatchVersion(ctx, config, id);
    sendProduct(ctx, await products.restore(id, { actor: ctx.state.actor, ifVersion }));
  });
}
