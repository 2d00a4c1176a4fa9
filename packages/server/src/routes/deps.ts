import type { Catalog } from '@catalog/core';
import type { Router } from '@koa/router';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import type { AuthRateLimiter } from '../rate-limit/limits.js';
import type { AppState } from '../state.js';

/** What route modules are built from. */
export interface RouteDeps {
  catalog: Catalog;
  config: ServerConfig;
  limiter: AuthRateLimiter;
  /** True once shutdown has begun: `/readyz` turns 503 so load balancers stop sending traffic. */
  isShuttingDown(): boolean;
  /** Aborted when shutdown begins: long-lived responses (event streams) end on it. */
  closing: AbortSignal;
  logger: Logger;
  /** Absent when metrics are turned off. */
  metrics?: ServerMetrics | undefined;
}

export type AppRouter = Router<AppState>;

/** Headers of every token response (RFC 6749 §5.1): tokens must not be cached anywhere. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;
