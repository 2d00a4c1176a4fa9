import { authenticate } from '../auth.js';
import { sendConditional } from '../http/conditional.js';
import type { AppRouter, RouteDeps } from './deps.js';

/** GET /dashboard/summary: the aggregate view, for any signed-in user, with an ETag over the body. */
export function dashboardRoutes(router: AppRouter, { catalog, config }: RouteDeps): void {
  router.get('/dashboard/summary', authenticate(catalog), async (ctx) => {
    sendConditional(ctx, config, await catalog.dashboard.summary({ actor: ctx.state.actor }));
  });
}
