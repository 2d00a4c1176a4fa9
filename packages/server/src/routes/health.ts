import { ServiceUnavailableError } from '@catalog/core';
import type { AppRouter, RouteDeps } from './deps.js';

/**
 * GET /healthz (the process is up; no dependencies checked, for liveness probes) and GET /readyz
 * (the database answers and the server is not shutting down, for load balancers). With read
 * replicas, /readyz also lists each database as the replica monitor last found it; readiness
 * depends on the primary only, since reads fall back to it when no replica can serve.
 */
export function healthRoutes(router: AppRouter, { catalog, isShuttingDown }: RouteDeps): void {
  router.get('/healthz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (isShuttingDown()) throw new ServiceUnavailableError('The server is shutting down');
    try {
      await catalog.ping();
    } catch (error) {
      throw new ServiceUnavailableError('The database is not answering', { cause: error });
    }
    const databases = catalog.replication?.status();
    ctx.body = databases ? { status: 'ready', databases } : { status: 'ready' };
  });
}
