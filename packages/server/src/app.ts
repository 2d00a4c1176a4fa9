import type { Catalog } from '@catalog/core';
import cors from '@koa/cors';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import { errorHandler } from './errors.js';
import { idempotencyKeys } from './http/idempotency.js';
import { MIN_POSITION_HEADER, POSITION_HEADER, readYourWrites } from './http/read-your-writes.js';
import type { RequestTiming } from './http/server-timing.js';
import { requestLogger } from './logger.js';
import type { ServerMetrics } from './metrics/metrics.js';
import type { OpenApiDocument } from './openapi/document.js';
import type { AuthRateLimiter } from './rate-limit/limits.js';
import { requestId } from './request-id.js';
import { authRoutes } from './routes/auth.js';
import { changeRoutes } from './routes/changes.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import type { InFlight } from './in-flight.js';
import { productRoutes } from './routes/products.js';
import { tokenRoutes } from './routes/token.js';
import { userRoutes } from './routes/users.js';
import { securityHeaders } from './security-headers.js';
import type { AppState } from './state.js';

export interface AppParts {
  catalog: Catalog;
  config: ServerConfig;
  logger: Logger;
  limiter: AuthRateLimiter;
  document: OpenApiDocument;
  isShuttingDown(): boolean;
  /** Aborted when shutdown begins (event streams end on it). */
  closing: AbortSignal;
  inFlight: InFlight;
  /** Metrics and request timing; both absent when metrics are turned off. */
  metrics?: ServerMetrics;
  timing?: RequestTiming;
}

/**
 * Builds the Koa app. Order matters: the request id comes first so every later step (logs,
 * problems) can quote it; the request log wraps the error handler so it records the final status;
 * CORS sits outside the error handler so error responses carry its headers too.
 */
export function buildApp(parts: AppParts): Koa<AppState> {
  const { catalog, config, logger, limiter, document, isShuttingDown, closing, inFlight, metrics, timing } = parts;
  // Behind a trusted proxy, the client is the last X-Forwarded-For entry (the one the proxy
  // added); earlier entries come from the client and could be forged to dodge rate limits.
  const app = new Koa<AppState>({ proxy: config.trustProxy, maxIpsCount: 1 });
  // Errors are answered and logged by errorHandler; this catches the rest (e.g. a broken socket).
  app.silent = true;
  app.on('error', (error: unknown) => logger.warn({ err: error }, 'connection error'));

  app.use(inFlight.middleware());
  app.use(requestId());
  if (timing) app.use(timing.middleware());
  app.use(requestLogger(logger));
  app.use(securityHeaders());
  if (config.corsOrigins === '*' || config.corsOrigins.length > 0) app.use(corsFor(config.corsOrigins));
  app.use(errorHandler(logger));
  app.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      // Shutdown began while this request ran: close its connection after the response, so
      // keep-alive clients reconnect (elsewhere) instead of holding the closing server open.
      if (isShuttingDown()) ctx.set('Connection', 'close');
    }
  });
  // Outside the idempotency keys, so that a replayed write also tells where the log is now.
  app.use(readYourWrites(catalog, logger));
  // Stores and replays final responses, so the errors below it are answered (by the same
  // handler) before it sees them; its own refusals go to the handler above.
  app.use(idempotencyKeys({ catalog, logger, answerErrors: errorHandler(logger), metrics }));

  const router = new Router<AppState>();
  const deps = { catalog, config, limiter, isShuttingDown, closing, logger, metrics };
  authRoutes(router, deps);
  tokenRoutes(router, deps);
  productRoutes(router, deps);
  userRoutes(router, deps);
  changeRoutes(router, deps);
  dashboardRoutes(router, deps);
  healthRoutes(router, deps);
  docsRoutes(router, document);
  if (metrics) metricsRoutes(router, metrics, config.metricsToken);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

function corsFor(origins: string[] | '*'): Koa.Middleware<AppState> {
  const allowed = new Set(origins === '*' ? [] : origins);
  return cors({
    origin: (ctx) => {
      if (origins === '*') return '*';
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: [
      'Authorization',
      'Content-Type',
      'X-Request-Id',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
      MIN_POSITION_HEADER,
    ],
    exposeHeaders: [
      'X-Request-Id',
      'Location',
      'Retry-After',
      'WWW-Authenticate',
      'RateLimit',
      'RateLimit-Policy',
      'ETag',
      'Idempotent-Replayed',
      POSITION_HEADER,
    ],
    maxAge: 600,
    keepHeadersOnError: true,
  }) as Koa.Middleware<AppState>;
}
