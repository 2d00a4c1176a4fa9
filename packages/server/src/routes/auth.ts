import type { LoginInput, RefreshInput, RegisterInput } from '@catalog/contract';
import { CatalogError } from '@catalog/core';
import { authenticate } from '../auth.js';
import { jsonBody } from '../body.js';
import { NO_STORE, type AppRouter, type RouteDeps } from './deps.js';

/** Email of a login body, for the per-account limit; the service validates the body itself. */
export function loginEmail(body: unknown): string | undefined {
  const email = (body as { email?: unknown } | null)?.email;
  return typeof email === 'string' && email.trim() ? email : undefined;
}

/**
 * Signs in with the per-account failed-login limit around the service call: refused before any
 * password check while the account is locked, failures counted, success clearing the count.
 */
export async function limitedLogin<T>(
  { limiter }: RouteDeps,
  email: string | undefined,
  login: () => Promise<T>,
): Promise<T> {
  if (email === undefined) return login();
  await limiter.checkLogin(email);
  try {
    const tokens = await login();
    await limiter.recordLogin(email, true);
    return tokens;
  } catch (error) {
    if (error instanceof CatalogError && error.code === 'unauthorized') await limiter.recordLogin(email, false);
    throw error;
  }
}

/** POST /auth/register, /auth/login, /auth/refresh, /auth/logout and GET /auth/me. */
export function authRoutes(router: AppRouter, deps: RouteDeps): void {
  const { catalog, limiter } = deps;

  router.post('/auth/register', jsonBody(), async (ctx) => {
    await limiter.hitAuth(ctx.ip);
    ctx.body = await catalog.auth.register(ctx.request.body as RegisterInput);
    ctx.status = 201;
  });

  router.post('/auth/login', jsonBody(), async (ctx) => {
    await limiter.hitAuth(ctx.ip);
    const body = ctx.request.body as LoginInput;
    ctx.body = await limitedLogin(deps, loginEmail(body), () => catalog.auth.login(body));
    ctx.set(NO_STORE);
  });

  router.post('/auth/refresh', jsonBody(), async (ctx) => {
    await limiter.hitAuth(ctx.ip);
    ctx.body = await catalog.auth.refresh(ctx.request.body as RefreshInput);
    ctx.set(NO_STORE);
  });

  router.post('/auth/logout', jsonBody(), async (ctx) => {
    await catalog.auth.logout(ctx.request.body as RefreshInput);
    ctx.status = 204;
  });

  router.get('/auth/me', authenticate(catalog), async (ctx) => {
    ctx.body = await catalog.auth.me({ actor: ctx.state.actor });
    ctx.set('Cache-Control', 'no-store');
  });
}
