import { UserListQuerySchema, type UserPatch } from '@catalog/contract';
import { authenticate } from '../auth.js';
import { jsonBody } from '../body.js';
import { parseId, parseQuery } from '../query.js';
import type { AppRouter, RouteDeps } from './deps.js';

/** GET /users and PATCH /users/{id}: account administration; the service refuses non-admins. */
export function userRoutes(router: AppRouter, { catalog }: RouteDeps): void {
  const user = authenticate(catalog);

  router.get('/users', user, async (ctx) => {
    const query = parseQuery(UserListQuerySchema, ctx.query);
    ctx.body = await catalog.users.list(query, { actor: ctx.state.actor });
    ctx.set('Cache-Control', 'no-store');
  });

  router.patch('/users/:id', user, jsonBody(), async (ctx) => {
    const id = parseId(ctx.params.id, 'User');
    ctx.body = await catalog.users.update(id, ctx.request.body as UserPatch, { actor: ctx.state.actor });
  });
}
