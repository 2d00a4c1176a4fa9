import type { Middleware } from 'koa';
import type { AuthRateLimiter, PolicyName, RateLimitReading } from '../rate-limit/limits.js';
import type { AppState } from '../state.js';

/*
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, structured-field
 * syntax): `RateLimit-Policy` lists the limits that apply to the route — quota `q` per window `w`
 * seconds — and `RateLimit` says where this client stands against each — `r` left, `t` seconds
 * until the window resets:
 *
 *   RateLimit-Policy: "auth";q=60;w=60, "login";q=10;w=900
 *   RateLimit: "auth";r=59;t=42, "login";r=10;t=0
 *
 * They go on every response of a rate-limited route, successes and errors alike, so a client can
 * slow down before it is refused.
 */

type Readings = Map<PolicyName, RateLimitReading>;

/** `"auth";q=60;w=60, …` for the policies of `readings`. */
export function policyField(readings: Iterable<RateLimitReading>): string {
  return [...readings].map((r) => `"${r.policy}";q=${r.limit.max};w=${r.limit.windowSeconds}`).join(', ');
}

/** `"auth";r=59;t=42, …` for `readings`. */
export function rateLimitField(readings: Iterable<RateLimitReading>): string {
  return [...readings].map((r) => `"${r.policy}";r=${r.remaining};t=${r.resetSeconds}`).join(', ');
}

/**
 * Route middleware of the rate-limited routes, first in their chain: counts the request against
 * the per-IP auth limit (429 when over it), lets the handler take further readings (see
 * `enforce`), and writes them all as RateLimit headers once the route is done — answered or
 * failed, body parsing included (the error handler, further out, keeps the headers).
 *
 * @example
 * router.post('/auth/login', authRateLimited(limiter), jsonBody(), handler);
 */
export function authRateLimited(limiter: AuthRateLimiter): Middleware<AppState> {
  return async (ctx, next) => {
    const readings: Readings = new Map();
    ctx.state.rateLimits = readings;
    try {
      enforce(ctx.state, limiter, await limiter.hitAuth(ctx.ip));
      await next();
    } finally {
      if (readings.size > 0) {
        ctx.set('RateLimit-Policy', policyField(readings.values()));
        ctx.set('RateLimit', rateLimitField(readings.values()));
      }
    }
  };
}

/**
 * Notes `reading` for the RateLimit headers (the latest reading of a policy wins) and refuses the
 * request with 429 when it is over the limit.
 *
 * @example
 * enforce(ctx.state, limiter, await limiter.hitAuth(ctx.ip));
 * @throws {RateLimitedError} when the reading is exceeded.
 */
export function enforce(state: AppState, limiter: AuthRateLimiter, reading: RateLimitReading | undefined): void {
  if (!reading) return;
  state.rateLimits?.set(reading.policy, reading);
  if (reading.exceeded) throw limiter.refusal(reading);
}
