import type { Middleware } from 'koa';
import type { AppState } from './state.js';

/** The API answers JSON only: nothing it returns should run scripts, be framed or be sniffed. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Swagger UI needs its own scripts and styles (served from this origin), inline style attributes,
 * data: images, and fetches to this origin for the spec and the token endpoint.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Conservative security headers on every response. Routes that serve HTML (`/docs`) replace the
 * Content-Security-Policy with their own. HSTS is sent only over HTTPS (as seen through a trusted
 * proxy when `trustProxy` is on), where it means something.
 */
export function securityHeaders(): Middleware<AppState> {
  return async (ctx, next) => {
    ctx.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Content-Security-Policy': API_CSP,
    });
    if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}
