import { STATUS_CODES } from 'node:http';
import type { ErrorCode, FieldError, Problem } from '@catalog/contract';
import { asServiceUnavailable, CatalogError, RateLimitedError } from '@catalog/core';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from './state.js';

/** The one table from a Catalog error code to its HTTP status. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  validation_failed: 422,
  bad_request: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  precondition_failed: 412,
  precondition_required: 428,
  idempotency_key_reused: 422,
  idempotency_key_in_flight: 409,
  cursor_expired: 410,
  service_unavailable: 503,
  internal: 500,
});

/** Codes for errors that the HTTP layer itself raises (koa, the body parser, the router). */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'bad_request',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/**
 * An error the server raises on its own (unknown route, wrong method, malformed body, a rejected
 * token): everything needed to answer it, including extra headers such as `Allow`.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

/** What a response to a failed request is made of. */
export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: Problem;
  /** True when the error was not expected: log it with its stack. */
  unexpected: boolean;
}

/** A raw error from koa/http-errors, raw-body or co-body: it carries a status and whether its message is safe. */
interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  /** raw-body's limit in bytes, on a 413. */
  limit?: unknown;
  message: string;
}

function httpDetail(status: number, error: HttpLikeError): string {
  if (status === 413) {
    const limit = typeof error.limit === 'number' ? error.limit : 100 * 1024;
    return `The request body is larger than the ${Math.round(limit / 1024)} kB limit`;
  }
  if (status === 415)
    return error.type === 'encoding.unsupported' ? 'Unsupported Content-Encoding' : 'Unsupported Content-Type';
  if (status === 400 && error instanceof SyntaxError) return `Malformed JSON body: ${error.message}`;
  return error.expose === true ? error.message : (STATUS_CODES[status] ?? 'Bad request');
}

/**
 * Turns anything thrown while handling a request into an RFC 9457 problem. Catalog errors keep
 * their message; client errors from the HTTP stack get a fixed wording; anything else becomes
 * `500 internal` with nothing about the cause in the body.
 *
 * @example
 * const { status, body } = toProblem(NotFoundError.product(id), requestId); // 404, code not_found
 */
export function toProblem(thrown: unknown, requestId: string): ProblemResponse {
  // A lost or locked database is the client's 503 (retry later), not a bug of ours.
  const error = asServiceUnavailable(thrown);
  let status = 500;
  let code: ErrorCode = 'internal';
  let detail = `An unexpected error occurred; quote request id ${requestId} when reporting it`;
  let errors: FieldError[] | undefined;
  const headers: Record<string, string> = {};
  let unexpected = false;

  if (error instanceof CatalogError) {
    code = error.code;
    status = STATUS_BY_CODE[code];
    if (code !== 'internal') detail = error.message;
    errors = error.errors;
    if (error instanceof RateLimitedError) headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfter)));
    if (code === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer';
    unexpected = status >= 500 && code !== 'service_unavailable';
    if (code === 'service_unavailable') headers['Retry-After'] = '1';
  } else if (error instanceof HttpProblem) {
    ({ status, code } = error);
    detail = error.message;
    Object.assign(headers, error.headers);
  } else if (error instanceof Error && isClientHttpError(error)) {
    status = Number((error as HttpLikeError).status ?? (error as HttpLikeError).statusCode);
    code = CODE_BY_STATUS[status] ?? 'bad_request';
    detail = httpDetail(status, error);
  } else {
    unexpected = true;
  }

  const body: Problem = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code,
    detail,
    request_id: requestId,
  };
  if (errors && errors.length > 0) body.errors = errors;
  return { status, headers, body, unexpected };
}

function isClientHttpError(error: Error): boolean {
  const { status, statusCode } = error as HttpLikeError;
  const value = Number(status ?? statusCode);
  return Number.isInteger(value) && value >= 400 && value < 500;
}

/**
 * The one error middleware: answers every failure below it with `application/problem+json` and
 * logs unexpected ones (with stack) under the request id.
 */
export function errorHandler(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      // Statuses the router set without a body: no route, or a known path with another method.
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) throw new HttpProblem(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);
        if (ctx.status === 405 || ctx.status === 501) {
          throw new HttpProblem(405, 'bad_request', `Method ${ctx.method} is not allowed on ${ctx.path}`, {
            Allow: ctx.response.get('Allow'),
          });
        }
      }
    } catch (error) {
      const problem = toProblem(error, ctx.state.requestId);
      if (problem.unexpected) logger.error({ err: error, request_id: ctx.state.requestId }, 'request failed');
      else if (problem.status >= 500) logger.warn({ err: error, request_id: ctx.state.requestId }, problem.body.detail);
      ctx.status = problem.status;
      ctx.set(problem.headers);
      ctx.body = problem.body;
      ctx.type = 'application/problem+json; charset=utf-8';
    }
  };
}
