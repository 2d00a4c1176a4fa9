import { authenticate } from '../auth.js';
import type { AppRouter, RouteDeps } from './deps.js';

/** GET /dashboard/summary: the aggregate view, for any signed-in user. */
export function dashboardRoutes(router: AppRouter, { catalog }: RouteDeps): void {
  router.get('/dashboard/summary', authenticate(catalog), async (ctx) => {
    ctx.body = await catalog.dashboard.summary({ actor: ctx.state.actor });
  });
}
