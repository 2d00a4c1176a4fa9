import type { Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import { HttpProblem } from './errors.js';
import { refuseNul } from './nul-guard.js';
import type { AppState } from './state.js';

/** Largest accepted request body: over 100 kB → 413. */
export const BODY_LIMIT = '100kb';

/**
 * Largest body of `POST /products/bulk`: 1,000 products of the longest fields, every character
 * of them written as a `\uXXXX` escape, stay under it (about 2,000 bytes each).
 */
export const BULK_BODY_LIMIT = '2mb';

type BodyKind = 'json' | 'form';

const MEDIA_TYPES: Record<BodyKind, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
};

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * Route middleware that parses a body of one media type. A request without a body gets `{}` (so
 * the service reports each missing field); a body of any other type is refused with 415 before
 * it is read; malformed JSON is 400 and anything over the limit is 413 (raised by the parser);
 * JSON strings holding NUL characters are 422.
 */
function body(kind: BodyKind, limit: string): Middleware<AppState> {
  const parse = bodyParser({
    enableTypes: [kind],
    jsonLimit: limit,
    formLimit: limit,
    // Only objects and arrays are JSON bodies here; `"x"` or `1` is a client mistake (400).
    strict: true,
  }) as unknown as Middleware<AppState>;
  return async (ctx, next) => {
    if (!hasBody(ctx.req.headers)) {
      ctx.request.body = {};
      return next();
    }
    if (!ctx.request.is(MEDIA_TYPES[kind])) {
      const sent = ctx.get('Content-Type') || 'none';
      throw new HttpProblem(
        415,
        'unsupported_media_type',
        `Content-Type must be ${MEDIA_TYPES[kind]} (got ${sent.slice(0, 100)})`,
      );
    }
    let parsed = false;
    try {
      await parse(ctx, async () => {
        parsed = true;
        // The token endpoint answers in RFC 6749 terms, so it checks its form itself.
        if (kind === 'json') refuseNul(ctx.request.body, 'body');
        await next();
      });
    } catch (error) {
      if (!parsed && isCorruptCompression(error))
        throw new HttpProblem(400, 'bad_request', 'The request body does not match its Content-Encoding');
      throw error;
    }
  };
}

/** zlib's errors (`Z_DATA_ERROR`, `Z_BUF_ERROR`, …) for a body that claims gzip/deflate/br but is not. */
function isCorruptCompression(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR__ERROR_'))
  );
}

/** Parses an `application/json` body (≤ 100 kB unless `limit` says more) into `ctx.request.body`. */
export const jsonBody = (limit = BODY_LIMIT): Middleware<AppState> => body('json', limit);

/** Parses an `application/x-www-form-urlencoded` body (≤ 100 kB) into `ctx.request.body`. */
export const formBody = (): Middleware<AppState> => body('form', BODY_LIMIT);
