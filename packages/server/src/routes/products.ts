import { ProductListQuerySchema, type ProductInput, type ProductPatch } from '@catalog/contract';
import { authenticate } from '../auth.js';
import { jsonBody } from '../body.js';
import { parseId, parseQuery } from '../query.js';
import type { AppRouter, RouteDeps } from './deps.js';

/**
 * The product endpoints. Reads need a signed-in user unless `publicRead`; writes and
 * `include_deleted` are refused by the service unless the caller is an admin.
 */
export function productRoutes(router: AppRouter, { catalog, config }: RouteDeps): void {
  const user = authenticate(catalog);
  const reader = authenticate(catalog, { optional: config.publicRead });
  const { products } = catalog;

  router.get('/products', reader, async (ctx) => {
    const query = parseQuery(ProductListQuerySchema, ctx.query);
    ctx.body = await products.list(query, { actor: ctx.state.actor });
  });

  router.post('/products', user, jsonBody(), async (ctx) => {
    const product = await products.create(ctx.request.body as ProductInput, { actor: ctx.state.actor });
    ctx.status = 201;
    ctx.set('Location', `/products/${product.id}`);
    ctx.body = product;
  });

  router.get('/products/:id', reader, async (ctx) => {
    ctx.body = await products.get(parseId(ctx.params.id, 'Product'), { actor: ctx.state.actor });
  });

  router.put('/products/:id', user, jsonBody(), async (ctx) => {
    const id = parseId(ctx.params.id, 'Product');
    ctx.body = await products.replace(id, ctx.request.body as ProductInput, { actor: ctx.state.actor });
  });

  router.patch('/products/:id', user, jsonBody(), async (ctx) => {
    const id = parseId(ctx.params.id, 'Product');
    ctx.body = await products.patch(id, ctx.request.body as ProductPatch, { actor: ctx.state.actor });
  });

  router.delete('/products/:id', user, async (ctx) => {
    await products.delete(parseId(ctx.params.id, 'Product'), { actor: ctx.state.actor });
    ctx.status = 204;
  });

  router.post('/products/:id/restore', user, async (ctx) => {
    ctx.body = await products.restore(parseId(ctx.params.id, 'Product'), { actor: ctx.state.actor });
  });
}
