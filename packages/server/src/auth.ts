import type { Catalog } from '@catalog/core';
import { CatalogError } from '@catalog/core';
import type { Middleware } from 'koa';
import { HttpProblem } from './errors.js';
import type { AppState } from './state.js';

const BEARER_SCHEME = /^bearer(\s|$)/i;
const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

/**
 * Route middleware: reads `Authorization: Bearer …`, verifies the token with the catalog and sets
 * `ctx.state.actor`. A malformed, tampered or expired token is refused with 401 and
 * `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1). Without a bearer token the
 * caller is refused with a plain `WWW-Authenticate: Bearer` challenge, unless `optional` (public
 * reads), where it stays anonymous. Only routes that use the caller run it, so an expired token
 * sent along to `/auth/refresh` does not get in the way of refreshing. Roles are the services' job.
 *
 * @example
 * router.get('/auth/me', authenticate(catalog), handler);
 * router.get('/products', authenticate(catalog, { optional: config.publicRead }), handler);
 */
export function authenticate(
  catalog: Pick<Catalog, 'auth'>,
  options: { optional?: boolean } = {},
): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (BEARER_SCHEME.test(header)) {
      const token = BEARER.exec(header)?.[1];
      if (!token) throw invalidToken('Malformed bearer token');
      try {
        ctx.state.actor = await catalog.auth.verifyAccessToken(token);
      } catch (error) {
        if (error instanceof CatalogError && error.code === 'unauthorized') throw invalidToken(error.message);
        throw error;
      }
    } else if (!options.optional) {
      throw new HttpProblem(401, 'unauthorized', 'Authentication required: send Authorization: Bearer <access_token>', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    await next();
  };
}

function invalidToken(detail: string): HttpProblem {
  return new HttpProblem(401, 'unauthorized', detail, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
}
