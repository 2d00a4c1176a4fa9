import type { OAuthError, TokenResponse } from '@catalog/contract';
import { CatalogError } from '@catalog/core';
import type { Context } from 'koa';
import { formBody } from '../body.js';
import { authRateLimited } from '../http/rate-limit-headers.js';
import { refuseNul } from '../nul-guard.js';
import { NO_STORE, type AppRouter, type RouteDeps } from './deps.js';
import { limitedLogin } from './auth.js';
import type { AppState } from '../state.js';

/** An RFC 6749 §5.2 error answer of the token endpoint. */
class OAuthProblem extends Error {
  constructor(
    readonly error: OAuthError['error'],
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

/** A single-valued form parameter: RFC 6749 §3.2 forbids repeating one. */
function param(form: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = form[name];
  if (value === undefined || value === '') {
    if (required) throw new OAuthProblem('invalid_request', `Missing parameter: ${name}`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new OAuthProblem('invalid_request', `Parameter ${name} must be given once, as a string`);
  return value;
}

async function grant(
  deps: RouteDeps,
  ctx: Context & { state: AppState },
  form: Record<string, unknown>,
): Promise<TokenResponse> {
  refuseNul(form, 'form');
  const grantType = param(form, 'grant_type', true);
  if (grantType === 'password') {
    const username = param(form, 'username', true) as string;
    const password = param(form, 'password', true) as string;
    return limitedLogin(deps, ctx, username, () => deps.catalog.auth.login({ email: username, password }));
  }
  if (grantType === 'refresh_token') {
    const refreshToken = param(form, 'refresh_token', true) as string;
    return deps.catalog.auth.refresh({ refresh_token: refreshToken });
  }
  throw new OAuthProblem('unsupported_grant_type', 'grant_type must be password or refresh_token');
}

/** Service errors the RFC gives a meaning to; the rest (429, 5xx) stay problem+json. */
function toOAuth(error: unknown): OAuthProblem | unknown {
  if (!(error instanceof CatalogError)) return error;
  if (error.code === 'unauthorized') return new OAuthProblem('invalid_grant', error.message);
  if (error.code === 'validation_failed') return new OAuthProblem('invalid_request', error.message);
  return error;
}

function answer(ctx: Context, problem: OAuthProblem): void {
  const body: OAuthError = { error: problem.error, error_description: problem.description };
  ctx.status = problem.status;
  ctx.body = body;
}

/**
 * POST /auth/token: the OAuth2 token endpoint (RFC 6749 §4.3 password and §6 refresh_token
 * grants) on a form body, for Swagger UI's Authorize button and any OAuth2 client. Client
 * credentials (`client_id`, Basic auth) and `scope` are accepted and ignored: this API has public
 * clients and no scopes.
 */
export function tokenRoutes(router: AppRouter, deps: RouteDeps): void {
  router.post('/auth/token', authRateLimited(deps.limiter), formBody(), async (ctx) => {
    ctx.set(NO_STORE);
    try {
      ctx.body = await grant(deps, ctx, (ctx.request.body ?? {}) as Record<string, unknown>);
    } catch (error) {
      const mapped = toOAuth(error);
      if (!(mapped instanceof OAuthProblem)) throw mapped;
      answer(ctx, mapped);
    }
  });
}
