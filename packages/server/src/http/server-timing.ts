import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { QueryObserver } from '@catalog/core';
import type { Context, Middleware } from 'koa';
import { UNMATCHED_ROUTE, type ServerMetrics } from '../metrics/metrics.js';
import type { AppState } from '../state.js';

/** What one request has spent so far. */
interface RequestTimes {
  dbMs: number;
}

/**
 * Times requests and the database statements inside them: every response gets
 * `Server-Timing: db;dur=<ms in database statements>, app;dur=<ms in the handler chain>`, and the
 * metrics get the request (by route template and status), its statements and any rate-limit
 * refusal. The statements reach the request that ran them through an AsyncLocalStorage: the
 * catalog reports each one in the async context of its caller (`catalog.observeQueries`).
 *
 * @example
 * const timing = new RequestTiming(metrics);
 * const stop = catalog.observeQueries(timing.onQuery);
 * app.use(timing.middleware());
 */
export class RequestTiming {
  private readonly current = new AsyncLocalStorage<RequestTimes>();

  constructor(private readonly metrics: ServerMetrics) {}

  /** The observer to hand to `catalog.observeQueries`. */
  readonly onQuery: QueryObserver = (ms, kind) => {
    this.metrics.query(kind, ms / 1000);
    const times = this.current.getStore();
    if (times) times.dbMs += ms;
  };

  /** Middleware; put it outside the error handler, so that it sees the final status of every request. */
  middleware(): Middleware<AppState> {
    return (ctx, next) => {
      const times: RequestTimes = { dbMs: 0 };
      const start = performance.now();
      return this.current.run(times, async () => {
        try {
          await next();
        } finally {
          const ms = performance.now() - start;
          // Headers already sent (a stream the handler wrote itself) are left alone by Koa's set().
          ctx.set('Server-Timing', `db;dur=${times.dbMs.toFixed(3)}, app;dur=${ms.toFixed(3)}`);
          this.record(ctx, ms);
        }
      });
    };
  }

  private record(ctx: Context & { state: AppState }, ms: number): void {
    this.metrics.request(ctx.method, routeTemplate(ctx), ctx.status, ms / 1000);
    if (ctx.status !== 429) return;
    for (const reading of ctx.state.rateLimits?.values() ?? []) {
      if (reading.exceeded) this.metrics.rateLimited(reading.policy);
    }
  }
}

/** The path template of the route that answered (e.g. `/products/:id`), never the raw path. */
function routeTemplate(ctx: Context): string {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : UNMATCHED_ROUTE;
}
