import type { ErrorCode, FieldError, OAuthError } from '@catalog/contract';

/** Codes the SDK itself assigns when no server answer explains the failure. */
export type ClientErrorCode =
  /** fetch rejected: DNS, refused connection, CORS, offline… (`status` 0). */
  | 'network_error'
  /** The caller's `AbortSignal` fired (`status` 0). */
  | 'aborted'
  /** The call took longer than its `timeoutMs` (`status` 0). */
  | 'timeout'
  /** The server answered, but not with the JSON the API documents. */
  | 'invalid_response';

/**
 * Every `code` a `CatalogApiError` can carry: the API's problem+json codes, the RFC 6749 §5.2
 * codes of `POST /auth/token`, and the SDK's own transport codes.
 */
export type CatalogApiErrorCode = ErrorCode | OAuthError['error'] | ClientErrorCode;

export interface CatalogApiErrorInit {
  status: number;
  code: CatalogApiErrorCode;
  detail: string;
  errors?: FieldError[];
  requestId?: string | null;
  /** Seconds from `Retry-After` (429). */
  retryAfter?: number | null;
  /** The parsed error body as the server sent it, when it was JSON. */
  body?: unknown;
  cause?: unknown;
}

/**
 * The one error class the SDK throws. Switch on `code` (stable) rather than on `message`.
 *
 * @example
 * try {
 *   await client.products.get(id);
 * } catch (error) {
 *   if (error instanceof CatalogApiError && error.code === 'not_found') return null;
 *   throw error;
 * }
 */
export class CatalogApiError extends Error {
  /** HTTP status; 0 when no response arrived (network failure, abort, timeout). */
  readonly status: number;
  readonly code: CatalogApiErrorCode;
  /** Human-readable explanation (problem `detail` or OAuth `error_description`). */
  readonly detail: string;
  /** Per-field problems of a `validation_failed` (422) answer; empty otherwise. */
  readonly errors: FieldError[];
  /** The server's `X-Request-Id` (or the body's `request_id`), to quote in bug reports. */
  readonly requestId: string | null;
  /** Seconds to wait before retrying, from `Retry-After` (rate limits); null when absent. */
  readonly retryAfter: number | null;
  /** The error body as received, when it was JSON. */
  readonly body: unknown;

  constructor(init: CatalogApiErrorInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'CatalogApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.body = init.body;
  }

  /** True when the request was cancelled: by the caller's signal or by the timeout. */
  get isAbort(): boolean {
    return this.code === 'aborted' || this.code === 'timeout';
  }

  /** True when the timeout fired (also `isAbort`). */
  get isTimeout(): boolean {
    return this.code === 'timeout';
  }

  /** True when no HTTP response arrived because the network failed. */
  get isNetwork(): boolean {
    return this.code === 'network_error';
  }
}

/** Code for an HTTP status whose body did not name one (e.g. an HTML page from a proxy). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'validation_failed';
    case 429:
      return 'rate_limited';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 400 && status < 500 ? 'bad_request' : 'internal';
  }
}
