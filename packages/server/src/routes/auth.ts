import type { ChangePasswordInput, LoginInput, RefreshInput, RegisterInput } from '@catalog/contract';
import { CatalogError } from '@catalog/core';
import type { Context } from 'koa';
import { authenticate } from '../auth.js';
import { jsonBody } from '../body.js';
import { authRateLimited, enforce } from '../http/rate-limit-headers.js';
import type { AppState } from '../state.js';
import { NO_STORE, type AppRouter, type RouteDeps } from './deps.js';

/** Email of a login body, for the failed-login limit; the service validates the body itself. */
export function loginEmail(body: unknown): string | undefined {
  const email = (body as { email?: unknown } | null)?.email;
  return typeof email === 'string' && email.trim() ? email : undefined;
}

/**
 * Signs in with the failed-login limit of (account, client IP) around the service call: refused
 * before any password check while this client has used up its failures for the account, failures
 * counted, a success clearing this client's count. Other clients are not affected.
 */
export async function limitedLogin<T>(
  { limiter }: RouteDeps,
  ctx: Context & { state: AppState },
  email: string | undefined,
  login: () => Promise<T>,
): Promise<T> {
  if (email === undefined) return login();
  enforce(ctx.state, limiter, await limiter.checkLogin(email, ctx.ip));
  try {
    const tokens = await login();
    enforce(ctx.state, limiter, await limiter.recordLogin(email, ctx.ip, true));
    return tokens;
  } catch (error) {
    if (error instanceof CatalogError && error.code === 'unauthorized')
      enforce(ctx.state, limiter, await limiter.recordLogin(email, ctx.ip, false));
    throw error;
  }
}

/** POST /auth/register, /auth/login, /auth/refresh, /auth/logout, /auth/password and GET /auth/me. */
export function authRoutes(router: AppRouter, deps: RouteDeps): void {
  const { catalog, limiter } = deps;

  router.post('/auth/register', authRateLimited(limiter), jsonBody(), async (ctx) => {
    ctx.body = await catalog.auth.register(ctx.request.body as RegisterInput);
    ctx.status = 201;
  });

  router.post('/auth/login', authRateLimited(limiter), jsonBody(), async (ctx) => {
    const body = ctx.request.body as LoginInput;
    ctx.body = await limitedLogin(deps, ctx, loginEmail(body), () => catalog.auth.login(body));
    ctx.set(NO_STORE);
  });

  router.post('/auth/refresh', authRateLimited(limiter), jsonBody(), async (ctx) => {
    ctx.body = await catalog.auth.refresh(ctx.request.body as RefreshInput);
    ctx.set(NO_STORE);
  });

  router.post('/auth/logout', jsonBody(), async (ctx) => {
    await catalog.auth.logout(ctx.request.body as RefreshInput);
    ctx.status = 204;
  });

  // Counted like a login attempt per client IP: a stolen access token must not buy unlimited
  // guesses at the current password.
  router.post('/auth/password', authRateLimited(limiter), authenticate(catalog), jsonBody(), async (ctx) => {
    await catalog.auth.changePassword(ctx.request.body as ChangePasswordInput, { actor: ctx.state.actor });
    ctx.status = 204;
  });

  router.get('/auth/me', authenticate(catalog), async (ctx) => {
    ctx.body = await catalog.auth.me({ actor: ctx.state.actor });
    ctx.set('Cache-Control', 'no-store');
  });
}
