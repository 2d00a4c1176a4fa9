import type { Actor } from '@catalog/core';
import type { PolicyName, RateLimitReading } from './rate-limit/limits.js';

/** What the middleware chain puts on `ctx.state` for the handlers below it. */
export interface AppState {
  /** The request id: the client's `X-Request-Id` when it is sane, else a generated one. */
  requestId: string;
  /** The signed-in caller from a verified bearer token; null when none was sent. */
  actor: Actor | null;
  /** On rate-limited routes: where the client stands against each limit (http/rate-limit-headers.ts). */
  rateLimits?: Map<PolicyName, RateLimitReading>;
}
