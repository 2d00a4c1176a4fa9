import { HttpProblem } from '../errors.js';
import { metricsAccess } from '../metrics/access.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import type { AppRouter } from './deps.js';

/**
 * GET /metrics: the Prometheus text format. Without a token, clients off this host get the same
 * 404 as any unknown path; with one, a missing or wrong bearer token gets a 401.
 */
export function metricsRoutes(router: AppRouter, metrics: ServerMetrics, token: string): void {
  router.get('/metrics', async (ctx) => {
    const access = metricsAccess({ ip: ctx.ip, authorization: ctx.get('Authorization') || undefined }, token);
    if (access === 'hidden') throw new HttpProblem(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);
    if (access === 'unauthorized') {
      throw new HttpProblem(401, 'unauthorized', 'Send the metrics token: Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer realm="metrics"',
      });
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.contentType;
    ctx.body = await metrics.text();
  });
}
