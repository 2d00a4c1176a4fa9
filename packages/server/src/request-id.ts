import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { AppState } from './state.js';

// Echo only ids that are safe in a header and a log line; anything else is replaced, not rejected.
const SAFE_ID = /^[A-Za-z0-9._:@\-/+=]{1,128}$/;

/**
 * Sets `ctx.state.requestId` from the `X-Request-Id` header (when it is 1–128 safe characters)
 * or a new UUID, and returns it on every response, errors included.
 */
export function requestId(): Middleware<AppState> {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    const id = SAFE_ID.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.state.actor = null;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
